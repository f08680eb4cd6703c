"""The data contract's rules over a read snapshot: every finding at once, staged as the DfE's data screener
(eesyscreener) stages its checks.

Structure first (privacy, the columns, a file for another dataset), then each column's type; the rules after that
are tables (COMMON_RULES, then COUNT_RULES or ACTION_RULES), each naming the columns it needs with their type intact
and the rules that must have found no error before it runs, so a file with a broken column gets that column's
findings, not a cascade from it. Each check says only what is wrong and what to change, through a collector
(cpb_dash.findings.Collector) bound to the file that fills in the rest.
Pure pandas; the columns and their kinds are cpb_dash.schema's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.findings import (
    ERROR,
    PASS,
    ROWS_SHOWN,
    VALUES_SHOWN,
    Collector,
    Finding,
    clean_label,
    finding,
    plural,
    quote,
    quote_list,
    rows_label,
    sort_findings,
)
from cpb_dash.schema import BOOLEAN, DATE, INTEGER, NUMBER, TEXT, TYPE_ADVICE, ColumnSpec, column_specs, columns_for

# A change against the previous quarter worth a second look: more than 25% and more than 5 in absolute terms.
CHANGE_RELATIVE = 0.25
CHANGE_ABSOLUTE = 5.0

# Fractional figures (FTE, FTE days, population estimates by ethnicity) are rounded by their source, so a
# breakdown of them may miss its Total by a rounding error; whole counts must add up exactly.
SUM_TOLERANCE_FRACTIONAL = 0.5
FRACTIONAL_UNITS = ("FTE", "days")
FRACTIONAL_MEASURES = ("population_0_17",)

# ASCII only: Python's \d also matches other scripts' digits ('P1.١٢'), which would pass as an id.
ACTION_ID_PATTERN = re.compile(r"^P([1-9])\.(\d{2})$", re.ASCII)

# Dates a snapshot can hold: its quarter (this century) and action due dates. Anything outside is a typing error
# or a missing-value code saved as a date (0001-01-01, 9999-12-31), and pandas' own dates end in 1677 and 2262.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)

# The largest figure one local authority can report for a quarter, by the measure's unit: far above any
# council's (England's largest, Birmingham, has about 290,000 children aged 0 to 17 and about 2,000 looked
# after; its children's workforce is a few thousand FTE), far below a statistics package's missing-value code
# (8.988e307) or a spreadsheet overflow. A larger value is an error: no page could show it truthfully.
VALUE_MAX_BY_UNIT: dict[str, float] = {
    "children": 1_000_000,  # population_0_17 is the largest children count
    "young people": 100_000,
    "episodes": 1_000_000,
    "moves": 1_000_000,
    "FTE": 100_000,
    "people": 100_000,
    "cases": 1_000_000,
    "days": 10_000_000,  # FTE days lost in 12 months (253 working days x the workforce); adoption days summed
    "points": 1_000_000,  # SDQ scores summed: at most 40 a child
    "reviews": 1_000_000,
}
VALUE_MAX_DEFAULT = 1_000_000  # a measure whose unit is not listed above


@dataclass
class Snapshot:
    """What the rules read: the typed frame (usable columns only) and the context of the upload."""

    typed: pd.DataFrame
    dataset: str
    usable: set[str]
    today: dt.date
    previous: pd.DataFrame | None = None

    @cached_property
    def days(self) -> list[dt.date]:
        return sorted({v.date() for v in self.typed["period_end"].dropna()})

    @cached_property
    def totals(self) -> pd.DataFrame:
        return _totals(self.typed)

    @cached_property
    def own_measures(self) -> list[str]:
        return [m.id for m in catalogue.measures_for(self.dataset)]


@dataclass(frozen=True)
class Rule:
    """One check and what it waits for: `needs`, columns present with their type intact; `after`, rules that must
    have found no error. The check returns the text of its pass (None: nothing to say) and reports problems
    through the collector; the pass is added only when it reported none."""

    id: str
    check: Callable[[Snapshot, Collector], str | None]
    column: str | None = None  # the column its findings are about, unless a check says otherwise
    needs: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


def _run(rules: Iterable[Rule], data: Snapshot, say: Collector) -> None:
    for rule in rules:
        if not set(rule.needs) <= data.usable or any(say.failed(r) for r in rule.after):
            continue
        start = len(say.findings)
        passed = rule.check(data, say.bind(rule.id, rule.column))
        if passed and all(f.level == PASS for f in say.findings[start:]):
            say.passed(passed)


# ------------------------------------------------------------------------------------------------------------
# Privacy: column names that look like a person's identifier
# ------------------------------------------------------------------------------------------------------------

IDENTIFIER_NAMES = frozenset(
    "name names forename forenames firstname lastname fullname surname childname dob d_o_b date_of_birth birth_date"
    " birthdate birthday upn unique_pupil_number uln pupil_number childid personid clientid nhs nhsno nhsnumber"
    " ni_number nino national_insurance_number postcode post_code postal_code zip zipcode address email"
    " email_address phone telephone mobile phone_number".split()
)
# A word anywhere in the column name that marks it as personal.
IDENTIFIER_WORDS = frozenset(
    "name surname forename firstname lastname dob birth upn nhs postcode address email phone telephone".split()
)
# "<who>_id": the id of a person or their case (child_id, person_id, mosaic_id); other ids are not.
PERSON_ID_PREFIXES = frozenset(
    "child person client case pupil student young_person yp cyp mosaic lcs liquidlogic eclipse worker staff"
    " employee carer".split()
)
IDENTIFIER_WHAT = (
    ("birth", "a date of birth"),
    ("dob", "a date of birth"),
    ("upn", "a pupil number"),
    ("nhs", "an NHS number"),
    ("post", "a postcode"),
    ("zip", "a postcode"),
    ("address", "an address"),
    ("email", "an email address"),
    ("phone", "a phone number"),
    ("mobile", "a phone number"),
    ("ni_", "a National Insurance number"),
    ("nino", "a National Insurance number"),
    ("insurance", "a National Insurance number"),
    ("name", "a name"),
    ("_id", "a person's id"),
    ("id", "a person's id"),
    ("uln", "a learner number"),
)


def _snake(name: str) -> str:
    """'childName ' -> 'child_name', 'Date of Birth' -> 'date_of_birth'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name).strip())
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def identifier_kind(column: str, allowed: Iterable[str] = ()) -> str | None:
    """What kind of personal identifier a column name looks like ('a name', 'a date of birth'), or None."""
    if column in allowed:
        return None
    snake = _snake(column)
    words = snake.split("_")
    squashed = snake.replace("_", "")
    personal = (
        snake in IDENTIFIER_NAMES
        or squashed in IDENTIFIER_NAMES
        or any(w in IDENTIFIER_WORDS for w in words)
        or (len(words) >= 2 and words[-1] == "id" and "_".join(words[:-1]) in PERSON_ID_PREFIXES)
        or (squashed.endswith("id") and squashed[:-2] in PERSON_ID_PREFIXES)
    )
    if not personal:
        return None
    return next((what for key, what in IDENTIFIER_WHAT if key in snake), "a person's details")


# ------------------------------------------------------------------------------------------------------------
# Small helpers for messages
# ------------------------------------------------------------------------------------------------------------


def duplicate_columns(names: Sequence[str], say: Collector, where: str = "") -> bool:
    """An error for each column name that appears more than once (`where`: e.g. " in the heading row")."""
    twice = sorted({n for n in names if list(names).count(n) > 1})
    for name in twice:
        say.bind("required_column", name).error(
            f"Column {quote(name)} appears {list(names).count(name)} times{where}; each column must appear once."
        )
    return bool(twice)


def _case_hint(value: str, accepted: Iterable[str]) -> str:
    """' Did you mean 'Total'?' when the value differs from an accepted one only in case or spaces."""
    folded = _snake(value)
    for option in accepted:
        if _snake(option) == folded:
            return f" Did you mean {quote(option)}?"
    return ""


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _group_positions(series: pd.Series, mask: np.ndarray) -> dict[object, list[int]]:
    out: dict[object, list[int]] = defaultdict(list)
    values = series.to_numpy(dtype=object)  # plain values: a .iloc per bad row is slow on a file of 200,000
    for pos in np.flatnonzero(mask):
        out[values[pos]].append(int(pos))
    return out


def _symbol_list() -> str:
    return ", ".join(f"'{s}' ({meaning.split(':')[0].lower()})" for s, meaning in catalogue.SYMBOLS.items())


# ------------------------------------------------------------------------------------------------------------
# The validator
# ------------------------------------------------------------------------------------------------------------


def validate_frame(
    frame: pd.DataFrame,
    dataset: str,
    file_name: str,
    previous: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every contract rule over one snapshot frame; errors, warnings and passes, sorted errors first.

    `previous` is the same dataset's current snapshot for the quarter before (for the large-change warning);
    `today` is when "the future" starts (default: the system date).
    """
    say = Collector(clean_label(file_name))
    if dataset not in catalogue.UPLOADABLE_DATASETS:
        say.bind("dataset").error(
            f"{quote(dataset)} is not a dataset that can be uploaded; choose one of"
            f" {quote_list(catalogue.UPLOADABLE_DATASETS)}."
        )
        return say.findings
    if len(frame) == 0:
        return [no_rows_finding(say.file)]  # every rule would pass vacuously: say the one thing that matters
    frame = frame.reset_index(drop=True)
    specs = column_specs(dataset)
    # Stage 1, structure: privacy and the columns; a file for another dataset gets one message, not one per column.
    _column_name_checks(list(frame.columns), specs, say)
    lookalike = _lookalike(frame, dataset)
    if lookalike is not None:
        privacy = [f for f in say.findings if f.rule == "privacy_identifier" and f.level == ERROR]
        return [finding(say.file, "wrong_dataset", lookalike), *privacy]
    # Stage 2, types: a column whose cells are not all of its kind is left out of every later rule.
    frame = frame.loc[:, ~frame.columns.duplicated()]  # reported above; the first copy is checked
    bad = _type_checks(frame, specs, say.bind("column_type"))
    usable = {s.name for s in specs if s.name in frame.columns and s.name not in bad}
    # Stage 3, the rules, each when what it needs held.
    data = Snapshot(_typed(frame, specs, usable), dataset, usable, today or dt.date.today(), previous)
    _run(COMMON_RULES, data, say)
    if dataset in (catalogue.TARGETS, catalogue.COMMENTARY):
        from cpb_dash import board_notes

        board_notes.check(data.typed, dataset, data.usable, say)
    else:
        _run(ACTION_RULES if dataset == catalogue.ACTION_PLAN else COUNT_RULES, data, say)
    return sort_findings(say.findings)


def validate_read(
    frame: pd.DataFrame | None,
    read_findings: list[Finding],
    dataset: str,
    file_name: str,
    previous: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """The report for a file already read (`frame` and the reader's findings): the reader's findings, then the
    rules' (for a file read once and both checked and previewed, as the Upload page does)."""
    file_name = clean_label(file_name)
    if frame is None:
        return sort_findings(read_findings)
    frame_findings = validate_frame(frame, dataset, file_name, previous=previous, today=today)
    # The reader checks CSV cells one by one as it converts them; where it has spoken about a column, its
    # findings are the precise ones, so the frame's broader finding for that rule and column is dropped.
    said = {(f.rule, f.column) for f in read_findings if f.level != PASS}
    said_rules = {rule for rule, _ in said}
    kept = [
        f for f in frame_findings if (f.rule, f.column) not in said and not (f.level == PASS and f.rule in said_rules)
    ]
    return sort_findings(read_findings + kept)


def no_rows_finding(file_name: str) -> Finding:
    """One wording for a file with headings and no rows, whichever reader or path meets it."""
    return finding(
        file_name,
        "no_rows",
        "The file has no rows: it has the column headings but no data under them. Export the quarter's"
        " snapshot again (check the export's filter) and upload the saved file.",
    )


# ------------------------------------------------------------------------------------------------------------
# Stage 1: structure
# ------------------------------------------------------------------------------------------------------------


def _column_name_checks(columns: list[str], specs: Sequence[ColumnSpec], say: Collector) -> None:
    expected = [s.name for s in specs]
    names = [str(c) for c in columns]
    identifiers = [(c, what) for c in names if (what := identifier_kind(c, expected))]
    say.bind("privacy_identifier")
    for column, what in identifiers:
        say.error(
            f"Column {quote(column)} looks like it holds {what}. Snapshots hold counts only, never details that could"
            " identify a child, a family or a member of staff: remove this column and upload again. Nothing from"
            " this file has been kept.",
            column=column,
        )
    if not identifiers:
        say.passed(
            "No column looks like a person's identifier (name, date of birth, UPN, child id, NHS number, postcode)."
        )
    flagged = {c for c, _ in identifiers}
    unknown = [c for c in names if c not in expected and c not in flagged]
    say.bind("unknown_column")
    for column in unknown:
        say.error(
            f"Column {quote(column)} is not part of this dataset.{_case_hint(column, expected)} The accepted columns"
            f" are {quote_list(expected)}; remove any others.",
            column=column,
        )
    if not unknown:
        say.passed("No columns beyond the contract's.")
    missing = [c for c in expected if c not in names]
    say.bind("required_column")
    for column in missing:
        say.error(
            f"Column {quote(column)} is missing. Every file of this dataset has the columns {quote_list(expected)}"
            " (a column may be left empty where the contract allows).",
            column=column,
        )
    duplicated = duplicate_columns(names, say)
    if not missing and not duplicated:
        say.passed(f"All {len(expected)} required columns are present, once each: {', '.join(expected)}.")


# Headings that mark a child-level SSDA903 table or the workforce census worker table (the DfE's item names).
SSDA903_HEADINGS = frozenset(
    "CHILD DECOM RNE LS CIN PLACE PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE HOME_POST PL_POST URN SEX DOB ETHNIC"
    " UPN MOTHER MB_DOB DUC MIS_START MISSING SDQ_SCORE IN_TOUCH ACTIV ACCOM DUCTIME DATE_INT DATE_MATCH REVIEW"
    " REVIEW_CODE".split()
)
CENSUS_HEADINGS = frozenset(
    "SWENo AgencyWorker OrgRole RoleStartDate RoleEndDate Cases30 WorkingDaysLost FTE30 ReasonLeave".split()
)


def _dataset_choice(dataset: str) -> str:
    return (
        f"choose {quote(catalogue.DATASET_LABELS[dataset])} in the Dataset list (on the command line,"
        f" --dataset {dataset})"
    )


def _lookalike(frame: pd.DataFrame, dataset: str) -> str | None:
    """The one message for a file that is for another dataset or in another layout, naming what it looks like."""
    names = [str(c).strip() for c in frame.columns]
    upper = {n.upper() for n in names}
    label = catalogue.DATASET_LABELS[dataset]
    if len(upper & SSDA903_HEADINGS) >= 3:
        shown = quote_list([n for n in names if n.upper() in SSDA903_HEADINGS][:6])
        return (
            f"This looks like a table of the SSDA903 children looked after return (columns {shown}): records of"
            " individual children, not a snapshot of counts. Nothing from it has been kept. The care population"
            " and placement stability snapshots are derived from the return by the SSDA903 import, not uploaded"
            " as it is; or upload the counts in the snapshot's columns (the Upload page offers a template)."
        )
    if len({n.lower() for n in names} & {h.lower() for h in CENSUS_HEADINGS}) >= 3:
        return (
            "This looks like the workforce census worker table (one row per worker), not a snapshot of counts."
            " Nothing from it has been kept. Derive the workforce snapshot from it with: python -m cpb_dash"
            " import-census FILE --vacancies N --period YYYY-MM-DD --by EMAIL"
        )
    action_columns = set(columns_for(catalogue.ACTION_PLAN)) - {"period_end"}
    count_columns = set(columns_for(catalogue.COUNT_DATASETS[0])) - {"period_end"}
    if dataset != catalogue.ACTION_PLAN and len(set(names) & action_columns) >= 5:
        return (
            f"This looks like a Children's Action Plan file (columns such as 'action_id', 'status'), not {label}:"
            f" {_dataset_choice(catalogue.ACTION_PLAN)}."
        )
    if dataset == catalogue.ACTION_PLAN and len(set(names) & count_columns) >= 4:
        return (
            "This looks like a snapshot of counts (columns 'measure', 'breakdown_topic', 'breakdown', 'value'),"
            " not the Children's Action Plan: choose its dataset (Care population, Placement stability or"
            " Workforce stability) in the Dataset list (on the command line, --dataset)."
        )
    wide = [n for n in names if n in catalogue.MEASURES]
    if len(wide) >= 2 and "measure" not in names:
        owners = {catalogue.MEASURES[n].dataset for n in wide}
        other = f" They are {catalogue.DATASET_LABELS[owners.pop()]} measures." if len(owners) == 1 else ""
        return (
            f"This looks like a wide table, with one column per measure ({quote_list(wide[:5])}"
            f"{' and more' if len(wide) > 5 else ''}).{other} A snapshot has one row per figure: the measure's id"
            " in 'measure', 'Total' (or a breakdown) in 'breakdown_topic' and 'breakdown', and the figure in"
            f" 'value'. Start from the {label} template (on the Upload page) and copy each figure into its row."
        )
    if dataset in catalogue.COUNT_DATASETS and "measure" in frame.columns:
        present = {str(m).strip() for m in frame["measure"].dropna()}
        known = {catalogue.MEASURES[m].dataset for m in present if m in catalogue.MEASURES}
        own = {m.id for m in catalogue.measures_for(dataset)}
        if present and not present & own and len(known) == 1 and (other := known.pop()) != dataset:
            return (
                f"This looks like a {catalogue.DATASET_LABELS[other]} file, not {label}: its measures (such as"
                f" {quote_list(sorted(present)[:3])}) are all {catalogue.DATASET_LABELS[other]} measures."
                f" C{_dataset_choice(other)[1:]}."
            )
    return None


# ------------------------------------------------------------------------------------------------------------
# Stage 2: each cell against its column's kind
# ------------------------------------------------------------------------------------------------------------


def _cell_ok(value: object, kind: str) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == BOOLEAN:
        return isinstance(value, bool | np.bool_)
    if kind in (NUMBER, INTEGER):
        if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
            return False
        if not math.isfinite(float(value)):
            return False
        return kind == NUMBER or float(value).is_integer()
    if kind == DATE:
        if isinstance(value, pd.Timestamp | dt.datetime):
            ts = pd.Timestamp(value)
            return ts == ts.normalize()  # a date, not a moment in the day
        return isinstance(value, dt.date | np.datetime64)
    raise ValueError(kind)


def _as_day(value: object) -> dt.date | None:
    """A date-like cell as a calendar date, without going through pandas' nanosecond range; None if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        days = value.astype("datetime64[D]").astype("int64")
        if not -700_000 < days < 2_900_000:  # beyond what Python's dates hold (years 1 to 9999)
            return dt.date.min if days < 0 else dt.date.max
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(days))
    return None


def _outside_dates(value: object) -> bool:
    day = _as_day(value)
    return day is not None and not DATE_MIN <= day <= DATE_MAX


def _describe(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool | np.bool_):
        return "true/false"
    if isinstance(value, int | float | np.integer | np.floating):
        return "a number"
    if isinstance(value, pd.Timestamp | dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _type_checks(frame: pd.DataFrame, specs: Sequence[ColumnSpec], say: Collector) -> set[str]:
    """Each present column's cells against its kind; returns the columns that failed."""
    bad: set[str] = set()
    for spec in specs:
        if spec.name not in frame.columns:
            continue
        series = frame[spec.name]
        if spec.kind == DATE and isinstance(series.dtype, pd.DatetimeTZDtype):
            series = series.dt.tz_localize(None)
        wrong: dict[str, list[int]] = defaultdict(list)
        examples: dict[str, object] = {}
        for pos, value in enumerate(series.tolist()):
            if _is_blank(value) and not isinstance(value, str):
                continue  # emptiness is the "required values" rule's business
            if isinstance(value, str) and value.strip() == "" and spec.kind != TEXT:
                continue
            if spec.kind == DATE and _outside_dates(value):
                key = "outside the date range"
            elif not _cell_ok(value, spec.kind):
                key = _describe(value)
            else:
                continue
            wrong[key].append(pos)
            examples.setdefault(key, value)
        for described, positions in wrong.items():
            bad.add(spec.name)
            sample = examples[described]
            if spec.kind == INTEGER and described == "a number":
                found = f"{quote(sample)} is not a whole number"
            elif spec.kind == DATE and described == "a date and time":
                found = f"{quote(sample)} has a time of day as well as a date"
            elif described == "outside the date range":
                day = _as_day(sample)
                found = (
                    f"{quote(day.isoformat() if day else sample)} is outside {DATE_MIN.isoformat()} to"
                    f" {DATE_MAX.isoformat()}, the dates a snapshot can hold"
                )
            else:
                found = f"{quote(sample)} is {described}"
            how_many = f" ({plural(len(positions), 'cell')} like this)." if len(positions) > 1 else "."
            say.error(
                f"Column '{spec.name}' must hold {TYPE_ADVICE[spec.kind]}, but {found}{how_many}"
                + _type_hint(spec, sample),
                positions,
                column=spec.name,
            )
    if not bad:
        checked = [s.name for s in specs if s.name in frame.columns]
        say.passed(
            f"Every cell has its column's type ({plural(len(checked), 'column')}: dates, text, numbers and"
            " true/false where the contract asks for them)."
        )
    return bad


def _type_hint(spec: ColumnSpec, sample: object) -> str:
    if spec.name == "value" and isinstance(sample, str):
        if sample.strip() in catalogue.SYMBOLS or sample.strip() in catalogue.REFUSED_SYMBOLS:
            return (
                " For a figure you cannot give, leave 'value' empty and put a GSS symbol in 'symbol':"
                f" {_symbol_list()}."
            )
        return " Store the figure as a number, not text."
    if spec.kind == DATE and isinstance(sample, str):
        return " Store it as a date, not as text."
    return ""


def _typed(frame: pd.DataFrame, specs: Sequence[ColumnSpec], usable: set[str]) -> pd.DataFrame:
    """The usable columns in one dtype each: dates as Timestamps, numbers as floats, text as str or None."""
    out = pd.DataFrame(index=frame.index)
    for spec in specs:
        if spec.name not in usable:
            continue
        series = frame[spec.name]
        if spec.kind == DATE:
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                series = series.dt.tz_localize(None)
            series = series.map(lambda v: pd.NaT if _is_blank(v) else pd.Timestamp(v))
            out[spec.name] = pd.to_datetime(series)
        elif spec.kind in (NUMBER, INTEGER):
            out[spec.name] = pd.to_numeric(series.map(lambda v: None if _is_blank(v) else v), errors="coerce")
        elif spec.kind == BOOLEAN:
            out[spec.name] = series.map(lambda v: None if _is_blank(v) else bool(v)).astype(object)
        else:
            out[spec.name] = series.map(lambda v: None if _is_blank(v) else str(v)).astype(object)
    return out


# ------------------------------------------------------------------------------------------------------------
# Stage 3: the rules. Each check reads the Snapshot, reports through the collector, returns its pass text.
# ------------------------------------------------------------------------------------------------------------


def _required_values(data: Snapshot, say: Collector) -> str:
    for spec in column_specs(data.dataset):
        if spec.required and spec.name in data.usable:
            empty = np.flatnonzero(data.typed[spec.name].isna().to_numpy())
            if len(empty):
                message = f"Column '{spec.name}' is empty in {plural(len(empty), 'row')}; it must hold {spec.rule}."
                say.error(message, empty, column=spec.name)
    return "Every row has a value in each column that must not be empty."


def _quarter_end(data: Snapshot, say: Collector) -> str | None:
    column = data.typed["period_end"]
    present = column.notna().to_numpy()
    not_quarter: dict[dt.date, list[int]] = defaultdict(list)
    for pos, value in zip(np.flatnonzero(present), column.dropna(), strict=True):
        if not periods.is_quarter_end(value.date()):
            not_quarter[value.date()].append(int(pos))
    say.per_value(
        not_quarter,
        lambda day, _: (
            f"{quote(day.isoformat())} is not the end of a quarter. Accepted: 30 June, 30 September,"
            " 31 December or 31 March (financial-year quarters Q1 to Q4), such as '2025-09-30'."
        ),
        "dates",
    )
    return "period_end is a quarter end on every row." if present.any() else None


def _single_period(data: Snapshot, say: Collector) -> str | None:
    if len(data.days) > 1:
        counts = data.typed["period_end"].dropna().dt.date.value_counts()
        parts = ", ".join(f"{quote(d.isoformat())} ({plural(int(counts[d]), 'row')})" for d in data.days[:VALUES_SHOWN])
        say.error(
            f"This file holds {len(data.days)} periods: {parts}. A file holds one quarter: upload each quarter as its"
            " own file."
        )
    if not data.days:
        return None
    day = data.days[0]
    return f"One period in the file: {periods.quarter_label(day) if periods.is_quarter_end(day) else day.isoformat()}."


def _not_future(data: Snapshot, say: Collector) -> str | None:
    for day in (d for d in data.days if d > data.today):
        say.error(
            f"{quote(day.isoformat())} is in the future (today is {periods.long_date(data.today)}): figures can only"
            " be uploaded for a quarter that has ended, up to"
            f" {periods.latest_complete_quarter_end(data.today).isoformat()}.",
            np.flatnonzero((data.typed["period_end"].dt.date == day).to_numpy()),
        )
    return "The period has ended (it is not in the future)." if data.days else None


COMMON_RULES = (
    Rule("required_value", _required_values),
    Rule("period_quarter_end", _quarter_end, "period_end", needs=("period_end",)),
    Rule("period_single", _single_period, "period_end", needs=("period_end",)),
    Rule("period_future", _not_future, "period_end", needs=("period_end",)),
)


# -- count datasets --


def _is_march_file(typed: pd.DataFrame) -> bool:
    """True when the file's period_end is a 31 March (or cannot be read: other rules report that)."""
    if "period_end" not in typed.columns or typed["period_end"].dropna().empty:
        return True
    day = pd.Timestamp(typed["period_end"].dropna().iloc[0])
    return (day.month, day.day) == (3, 31)


def _measure_known(data: Snapshot, say: Collector) -> str:
    measures, own = data.typed["measure"], data.own_measures

    def message(value: object, _: list[int]) -> str:
        elsewhere = catalogue.MEASURES.get(value)
        why = f" It belongs to the '{elsewhere.dataset}' dataset: upload it there." if elsewhere else ""
        return (
            f"{quote(value)} is not a measure of the '{data.dataset}' dataset.{why or _case_hint(value, own)}"
            f" Accepted measures: {quote_list(own)}."
        )

    bad = measures.notna().to_numpy() & ~measures.isin(own).to_numpy()
    say.per_value(_group_positions(measures, bad), message, "unknown measures")
    return f"Every measure is in the catalogue for '{data.dataset}'."


def _measures_complete(data: Snapshot, say: Collector) -> str | None:
    present = set(data.typed["measure"].dropna())
    # Annual measures (counted at 31 March) are expected only in a 31 March file; annual_in_march refuses them
    # in any other quarter's.
    march = _is_march_file(data.typed)
    day = _file_day(data.typed)
    own = [m for m in data.own_measures if catalogue.MEASURES[m].recorded_by(day)]
    missing = [m for m in own if m not in present and (march or not _annual(m))]
    if missing and present:
        say.warning(
            f"This file has no rows for {quote_list(missing)}. Publishing it replaces this quarter's data, so the"
            " dashboard would show no figure for them: confirm that is intended."
        )
    return f"All {len(own)} measures of '{data.dataset}' are present." if present else None


def _file_day(typed: pd.DataFrame) -> dt.date | None:
    """The file's period_end, or None when it cannot be read (other rules report that)."""
    if "period_end" not in typed.columns or typed["period_end"].dropna().empty:
        return None
    return pd.Timestamp(typed["period_end"].dropna().iloc[0]).date()


def _annual(measure_id: str) -> bool:
    return catalogue.MEASURES[measure_id].reference == catalogue.ANNUAL_31_MARCH


def _annual_in_march(data: Snapshot, say: Collector) -> str | None:
    """Measures the DfE counts once a year at 31 March (the OC2 health outcomes) belong in the 31 March file."""
    rows = data.typed["measure"].isin([m for m in catalogue.MEASURES if _annual(m)]).to_numpy()
    if not rows.any():
        return None
    if not _is_march_file(data.typed):
        groups = _group_positions(data.typed["measure"], rows)
        say.error(
            f"{quote_list(list(groups))} are counted once a year, at 31 March, so they belong in the 31 March file"
            " (the quarter ending 31 March, Q4). Remove them from this quarter's file, or upload them with the"
            " 31 March figures.",
            [p for positions in groups.values() for p in positions],
            column="period_end",
        )
    return "The annual (31 March) measures are in a 31 March file."


def _breakdown_allowed(data: Snapshot, say: Collector) -> str:
    """Total/Total always; otherwise a topic the catalogue allows for the measure, and a value of it."""
    problems: dict[tuple[str, str], list[int]] = defaultdict(list)
    example: dict[tuple[str, str], tuple] = {}  # the first bad row of each problem, for its message
    rows = data.typed[["measure", "breakdown_topic", "breakdown"]].itertuples(index=False, name=None)
    for pos, (measure_id, topic, value) in enumerate(rows):
        measure = catalogue.MEASURES.get(measure_id) if measure_id is not None else None
        if measure is None or topic is None or value is None:
            continue  # unknown measure or empty cell: reported by their own rules
        if topic == catalogue.TOTAL:
            if value == catalogue.TOTAL:
                continue
            key = ("breakdown", f"total:{value}")
        elif topic not in measure.topics:
            key = ("breakdown_topic", f"{measure_id}:{topic}")
        elif value not in catalogue.BREAKDOWN_TOPICS.get(topic, ()):
            key = ("breakdown", f"{topic}:{value}")
        else:
            continue
        problems[key].append(pos)
        example.setdefault(key, (measure, topic, value))
    # Messages are written only for the problems shown: a file of 200,000 bad labels took 14 s writing messages
    # nobody would see.
    for key, positions in list(problems.items())[:VALUES_SHOWN]:
        say.error(_breakdown_message(*example[key]), positions, column=key[0])
    if len(problems) > VALUES_SHOWN:
        say.error(f"... and {len(problems) - VALUES_SHOWN:,} more problems (not listed).")
    return "Every breakdown is 'Total' or a topic and value the catalogue allows for its measure."


def _breakdown_message(measure: catalogue.Measure, topic: str, value: str) -> str:
    if topic == catalogue.TOTAL:
        return (
            f"A row with breakdown_topic 'Total' must have breakdown 'Total', not {quote(value)}."
            f"{_case_hint(value, [catalogue.TOTAL])}"
        )
    if topic not in measure.topics:
        allowed = [catalogue.TOTAL, *measure.topics]
        return (
            f"{quote(topic)} is not a breakdown the catalogue allows for {quote(measure.id)}."
            f"{_case_hint(topic, allowed)} Accepted: {quote_list(allowed)}."
        )
    options = catalogue.BREAKDOWN_TOPICS.get(topic, ())
    extra = (
        " A Total row has 'Total' in both breakdown_topic and breakdown."
        if value == catalogue.TOTAL
        else _case_hint(value, options)
    )
    return f"{quote(value)} is not a value of the breakdown {quote(topic)}.{extra} Accepted: {quote_list(options)}."


def _duplicate_rows(data: Snapshot, say: Collector) -> str:
    keys = ["measure", "breakdown_topic", "breakdown"]
    groups: dict[tuple, list[int]] = defaultdict(list)
    duplicated = np.flatnonzero(data.typed.duplicated(keys, keep=False).to_numpy())
    # One pass over plain tuples: a row-by-row .iloc took 2 minutes for a file of 200,000 repeated rows.
    for pos, key in zip(duplicated, data.typed[keys].iloc[duplicated].itertuples(index=False, name=None), strict=True):
        groups[key].append(int(pos))
    for key, positions in list(groups.items())[:VALUES_SHOWN]:
        say.error(
            f"The row {quote_list(key)} (measure, breakdown_topic, breakdown) appears {len(positions)} times; each"
            " must appear once. Remove the extra rows or correct their breakdown.",
            positions,
            column="measure",
        )
    return "Each (measure, breakdown_topic, breakdown) appears once."


def _symbol_gss(data: Snapshot, say: Collector) -> str:
    symbols = data.typed["symbol"]

    def message(value: str, _: list[int]) -> str:
        refused = value.strip() in catalogue.REFUSED_SYMBOLS
        why = " is refused: it could mean several things." if refused else " is not a GSS symbol."
        hint = "" if refused else _case_hint(value, catalogue.SYMBOLS)
        return (
            f"The symbol {quote(value)}{why}{hint} Accepted symbols: {_symbol_list()}; or leave 'symbol' empty and"
            " give the figure in 'value'."
        )

    bad = symbols.notna().to_numpy() & ~symbols.isin(list(catalogue.SYMBOLS)).to_numpy()
    say.per_value(_group_positions(symbols, bad), message, "symbols")
    return "Every symbol is a GSS symbol (c, x, z, low or u)."


def _value_xor_symbol(data: Snapshot, say: Collector) -> str:
    has_value = data.typed["value"].notna().to_numpy()
    has_symbol = data.typed["symbol"].notna().to_numpy()
    both = np.flatnonzero(has_value & has_symbol)
    neither = np.flatnonzero(~has_value & ~has_symbol)
    if len(both):
        first = int(both[0])
        say.error(
            f"A row gives both a value ({quote(_num(data.typed['value'].iloc[first]))}) and a symbol"
            f" ({quote(data.typed['symbol'].iloc[first])}). Give one: the figure in 'value', or, where there is no"
            " figure to give, a symbol with 'value' left empty.",
            both,
            column="symbol",
        )
    if len(neither):
        say.error(
            f"{plural(len(neither), 'row has', 'rows have')} neither a value nor a symbol. Give the figure in"
            f" 'value', or a symbol ({_symbol_list()}) saying why there is none.",
            neither,
            column="value",
        )
    return "Every row has either a value or a symbol, not both."


def _non_negative(data: Snapshot, say: Collector) -> str:
    negative = np.flatnonzero((data.typed["value"] < 0).to_numpy())
    if len(negative):
        values = data.typed["value"].iloc[negative].unique()[:ROWS_SHOWN]
        say.error(
            f"Counts cannot be negative: {quote_list(_num(v) for v in values)}. Give 0 or more; for a figure that"
            " cannot be given use a symbol.",
            negative,
        )
    return "No value is negative."


def value_max(measure_id: str) -> float:
    """The largest plausible value of a measure, from its unit (VALUE_MAX_BY_UNIT)."""
    measure = catalogue.MEASURES.get(measure_id)
    return VALUE_MAX_BY_UNIT.get(measure.unit, VALUE_MAX_DEFAULT) if measure else VALUE_MAX_DEFAULT


def _value_range(data: Snapshot, say: Collector) -> str:
    """A figure no local authority could report (a missing-value code, an overflow): an error, so it can never
    reach a page."""
    values, measures = data.typed["value"], data.typed["measure"]
    limits = measures.map(lambda m: value_max(m) if isinstance(m, str) else VALUE_MAX_DEFAULT).astype("float64")
    over = (values > limits).to_numpy()

    def message(measure_id: object, positions: list[int]) -> str:
        measure = catalogue.MEASURES.get(measure_id)
        unit = f" {measure.unit}" if measure else ""
        return (
            f"{quote(_num(float(values.iloc[positions[0]])))} for {quote(measure_id)} is larger than any local"
            f" authority could report (at most {value_max(measure_id):,.0f}{unit}). Check the figure: it may be a"
            " missing-value code or a number pasted into the wrong cell. For a figure you cannot give, leave"
            " 'value' empty and put a symbol in 'symbol'."
        )

    say.per_value(_group_positions(measures.astype(str), over), message, "measures")
    return "No value is larger than a local authority could report for its unit."


def _fractional(measure_id: str) -> bool:
    measure = catalogue.MEASURES.get(measure_id)
    return measure is None or measure.is_fte or measure.unit in FRACTIONAL_UNITS or measure_id in FRACTIONAL_MEASURES


def _whole_number(data: Snapshot, say: Collector) -> str:
    values, measures = data.typed["value"], data.typed["measure"]
    whole_expected = measures.map(lambda m: m is not None and not _fractional(m)).to_numpy(dtype=bool)
    positions = np.flatnonzero(values.notna().to_numpy() & whole_expected & (values.fillna(0) % 1 != 0).to_numpy())
    if len(positions):
        first = int(positions[0])
        say.warning(
            f"{quote(_num(values.iloc[first]))} for {quote(measures.iloc[first])} is not a whole number, but this"
            " measure counts children, people, cases, episodes or moves. Confirm the figure (only FTE, days and"
            " population estimates may have decimals).",
            positions,
        )
    return "Counts of children, people, cases, episodes and moves are whole numbers."


def _totals(typed: pd.DataFrame) -> pd.DataFrame:
    """Total rows, one per measure: measure, value, symbol, and the row position."""
    is_total = (typed["breakdown_topic"] == catalogue.TOTAL) & (typed["breakdown"] == catalogue.TOTAL)
    totals = typed.loc[is_total, ["measure", "value", "symbol"]].copy()
    totals["position"] = np.flatnonzero(is_total.to_numpy())
    return totals.drop_duplicates("measure").set_index("measure")


def _numerator_denominator(data: Snapshot, say: Collector) -> str | None:
    """Proportions and rates (x100, per 10,000): the numerator's Total cannot exceed its denominator's."""
    totals, own = data.totals, set(data.own_measures)
    checked: list[str] = []
    skipped: list[str] = []
    for indicator in catalogue.INDICATORS.values():
        if not indicator.denominator or indicator.scale < 100:
            continue  # not a share of a whole (a caseload may exceed its FTE)
        needed = [indicator.numerator, *indicator.denominator]
        if not set(needed) <= own:
            continue  # the denominator lives in another dataset (e.g. cla for the 20-mile measure)
        if not set(needed) <= set(totals.index) or indicator.numerator in indicator.denominator:
            continue  # agency / (agency + in post): true of any non-negative figures, nothing to check
        rows = totals.loc[needed]
        if rows["value"].isna().any():
            skipped.append(indicator.numerator)
            continue
        numerator = float(rows.loc[indicator.numerator, "value"])
        denominator = float(rows.loc[list(indicator.denominator), "value"].sum()) * indicator.denominator_factor
        checked.append(f"{indicator.numerator} <= {' + '.join(indicator.denominator)}")
        if numerator > denominator + 1e-9:
            factor = f" x {indicator.denominator_factor:g}" if indicator.denominator_factor != 1 else ""
            say.error(
                f"{quote(indicator.numerator)} is {quote(_num(numerator))}, more than"
                f" {' + '.join(quote(d) for d in indicator.denominator)}{factor} ({quote(_num(denominator))}), which"
                f" it is a part of ({indicator.label}). Check both Total rows.",
                [int(rows.loc[indicator.numerator, "position"])],
            )
    if not checked:
        return None
    note = f"; not checked where a symbol stands in: {quote_list(skipped)}" if skipped else ""
    return f"No numerator is above its denominator (Total rows: {'; '.join(checked)}){note}."


def _breakdown_sum(data: Snapshot, say: Collector) -> None:
    """Each breakdown topic must add up to its measure's Total: an error naming the figure that is off.

    With several topics the others tell which side is wrong: if every topic agrees with the others but not with
    the Total, the Total is off; if the other topics add up to the Total, this topic's rows are off.
    """
    typed, totals = data.typed, data.totals
    with_symbols: list[str] = []
    no_total: set[str] = set()
    parts = typed[(typed["breakdown_topic"] != catalogue.TOTAL) & typed["measure"].notna()]
    parts = parts[parts["breakdown_topic"].notna() & parts["measure"].isin(list(catalogue.MEASURES))]
    sums: dict[str, list[tuple[str, float, list[int]]]] = defaultdict(list)  # measure -> (topic, sum, rows)
    for (measure_id, topic), group in parts.groupby(["measure", "breakdown_topic"], sort=False):
        if measure_id not in totals.index:
            no_total.add(measure_id)
        elif group["symbol"].notna().any() or pd.notna(totals.loc[measure_id, "symbol"]):
            with_symbols.append(f"{measure_id} by {topic}")
        elif pd.isna(totals.loc[measure_id, "value"]):
            with_symbols.append(f"{measure_id} by {topic}")
        else:
            sums[measure_id].append((topic, float(group["value"].sum()), group.index.tolist()))
    for measure_id, topics in sums.items():
        total_value = float(totals.loc[measure_id, "value"])
        total_position = int(totals.loc[measure_id, "position"])
        total_row = total_position + 1
        tolerance = SUM_TOLERANCE_FRACTIONAL if _fractional(measure_id) else 1e-9
        # A topic whose groups may not cover everyone (a placement whose location is not known is in neither
        # group) may fall short of the Total: said as a warning, never refused; over the Total is still an error.
        short_allowed = [
            t for t in topics if t[0] in catalogue.TOPICS_THAT_MAY_FALL_SHORT and total_value - t[1] > tolerance
        ]
        for topic, summed, positions in short_allowed:
            say.warning(
                f"{quote(measure_id)} by {quote(topic)} adds up to {quote(_num(summed))}, {_num(total_value - summed)}"
                f" short of its Total (row {total_row}, {quote(_num(total_value))}): taken as the number whose"
                f" {topic.lower()} is not known. Confirm that is so.",
                positions,
            )
        topics = [t for t in topics if t not in short_allowed]
        off = [t for t in topics if abs(total_value - t[1]) > tolerance]
        agreeing = [t for t in topics if t not in off]
        if len(off) >= 2 and not agreeing and all(abs(t[1] - off[0][1]) <= tolerance for t in off):
            first_sum = _num(off[0][1])
            say.error(
                f"The Total of {quote(measure_id)} (row {total_row}) is {quote(_num(total_value))}, but every"
                f" breakdown of it ({quote_list(t[0] for t in off)}) adds up to {quote(first_sum)}: the Total looks"
                f" wrong. Change it to {first_sum}, or correct the breakdowns.",
                [total_position],
            )
            continue
        for topic, summed, positions in off:
            gap = _num(round(abs(total_value - summed), 6))
            label = rows_label(positions)
            rows = f"rows ({str(label).removeprefix('rows ')})" if isinstance(label, str) else f"row ({label})"
            if agreeing:
                advice = (
                    f" The other breakdowns ({quote_list(t[0] for t in agreeing)}) add up to the Total, so a figure"
                    f" in the {quote(topic)} {rows} is off: correct it so they add up to {_num(total_value)}."
                )
            else:
                advice = (
                    f" Either the Total or one of the {quote(topic)} {rows} is wrong: correct it so they agree (look"
                    " for a missing group, or one counted twice)."
                )
            say.error(
                f"{quote(measure_id)} by {quote(topic)} adds up to {quote(_num(summed))}, but its Total (row"
                f" {total_row}) is {quote(_num(total_value))}: {gap} {'short' if summed < total_value else 'over'}"
                f" (a gap of {gap}).{advice}",
                positions,
            )
    for measure_id in sorted(no_total):
        say.warning(
            f"{quote(measure_id)} has breakdown rows but no Total row (breakdown_topic 'Total', breakdown 'Total'),"
            " so its headline figure is missing and its breakdowns cannot be checked. Add its Total row.",
            column="measure",
        )
    # Skipped breakdowns are said in a pass finding: a suppressed cell is never treated as 0, so nothing is
    # wrong with them, but the officer should know they were not summed.
    skipped = (
        f" Not summed, because a symbol stands in for a figure: {quote_list(with_symbols)}." if with_symbols else ""
    )
    checked = sum(len(t) for t in sums.values())
    gaps = say.failed("breakdown_sum")
    summed = f"{plural(checked, 'breakdown adds', 'breakdowns add')} up to its Total." if checked and not gaps else ""
    if summed or skipped:
        say.passed((summed + skipped).strip())


def is_large_change(new: float, old: float) -> bool:
    """The one large-change rule (a warning to confirm, never an error): the validator's report and the Upload
    preview's flags both ask this. More than CHANGE_ABSOLUTE and more than CHANGE_RELATIVE of the old figure."""
    if pd.isna(new) or pd.isna(old):
        return False
    change = abs(new - old)
    relative = change / abs(old) if old else math.inf
    return change > CHANGE_ABSOLUTE and relative > CHANGE_RELATIVE


def _change_vs_previous(data: Snapshot, say: Collector) -> str | None:
    """A large change in a Total against the previous quarter: a warning to confirm, never an error."""
    previous = data.previous
    if previous is None or previous.empty or not {"measure", "breakdown_topic", "breakdown", "value"} <= set(previous):
        return None
    before_frame = previous.copy()
    before_frame["value"] = pd.to_numeric(before_frame["value"], errors="coerce")
    if "symbol" not in before_frame.columns:
        before_frame["symbol"] = None
    before = _totals(before_frame)
    when = ""
    if "period_end" in previous.columns and previous["period_end"].notna().any():
        day = periods.as_date(pd.Timestamp(previous["period_end"].dropna().iloc[0]))
        when = f" ({periods.short_quarter_label(day)})" if periods.is_quarter_end(day) else f" ({day.isoformat()})"
    compared = 0
    for measure_id, row in data.totals.iterrows():
        if measure_id not in before.index or pd.isna(row["value"]) or pd.isna(before.loc[measure_id, "value"]):
            continue
        compared += 1
        old, new = float(before.loc[measure_id, "value"]), float(row["value"])
        if is_large_change(new, old):
            change = new - old
            pct = "from zero" if old == 0 else f"{abs(change) / abs(old):.0%}"
            say.warning(
                f"{quote(measure_id)} changed from {quote(_num(old))} last quarter{when} to {quote(_num(new))}"
                f" ({'+' if change > 0 else ''}{_num(change)}, {pct}). Confirm the figure before publishing.",
                [int(row["position"])],
            )
    if not compared:
        return None
    return (
        f"Compared {plural(compared, 'Total')} with the previous quarter{when}: none changed by more than"
        f" {CHANGE_RELATIVE:.0%} and {CHANGE_ABSOLUTE:g}."
    )


_KEYS = ("measure", "breakdown_topic", "breakdown")
_FIGURES = (*_KEYS, "value", "symbol")

COUNT_RULES = (
    Rule("measure_known", _measure_known, "measure", needs=("measure",)),
    Rule("measures_complete", _measures_complete, "measure", needs=("measure",)),
    Rule("annual_in_march", _annual_in_march, "measure", needs=("measure",)),
    Rule("breakdown_allowed", _breakdown_allowed, "breakdown", needs=_KEYS),
    Rule("duplicate_row", _duplicate_rows, needs=_KEYS),
    Rule("symbol_gss", _symbol_gss, "symbol", needs=("symbol",)),
    Rule("value_xor_symbol", _value_xor_symbol, needs=("value", "symbol")),
    Rule("non_negative", _non_negative, "value", needs=("value",)),
    Rule("value_range", _value_range, "value", needs=("value", "measure")),
    Rule("whole_number", _whole_number, "value", needs=("value", "measure")),
    Rule("numerator_denominator", _numerator_denominator, "value", needs=_FIGURES),
    # A row with an unknown measure or breakdown is reported once, by its own rule, not again as a gap.
    Rule("breakdown_sum", _breakdown_sum, "value", needs=_FIGURES, after=("measure_known", "breakdown_allowed")),
    Rule("change_vs_previous", _change_vs_previous, "value", needs=_FIGURES),
)


# -- action plan --


def _priority_known(data: Snapshot, say: Collector) -> str:
    values = data.typed["priority"]
    plan = "; ".join(f"{n} ({p.title})" for n, p in catalogue.PRIORITIES.items())
    bad = values.notna().to_numpy() & ~values.isin(list(catalogue.PRIORITIES)).to_numpy()
    say.per_value(
        _group_positions(values, bad), lambda v, _: f"Priority {quote(_num(v))} is not in the plan. Accepted: {plan}."
    )
    return "Every priority is one of the plan's 1 to 5."


def _objective_known(data: Snapshot, say: Collector) -> str:
    """An objective not in the catalogue for its priority: a warning, as a refreshed plan may reword them."""
    unknown: dict[tuple[int, str], list[int]] = defaultdict(list)
    pairs = data.typed[["priority", "objective"]].itertuples(index=False, name=None)
    for pos, (priority, objective) in enumerate(pairs):
        plan = catalogue.PRIORITIES.get(int(priority)) if pd.notna(priority) else None
        if plan is not None and objective is not None and objective not in plan.objectives:
            unknown[(int(priority), objective)].append(pos)
    for (priority, objective), positions in list(unknown.items())[:VALUES_SHOWN]:
        say.warning(
            f"Objective {quote(objective)} is not one of priority {priority}'s objectives in the catalogue"
            f" ({quote_list(catalogue.PRIORITIES[priority].objectives)}). Confirm the wording, or ask for the"
            " catalogue to be updated if the plan has changed.",
            positions,
        )
    return "Every objective is one of its priority's objectives in the catalogue."


def _status_known(data: Snapshot, say: Collector) -> str:
    values, accepted = data.typed["status"], catalogue.ACTION_STATUSES
    say.per_value(
        _group_positions(values, values.notna().to_numpy() & ~values.isin(accepted).to_numpy()),
        lambda v, _: f"Status {quote(v)} is not accepted.{_case_hint(v, accepted)} Accepted: {quote_list(accepted)}.",
    )
    return f"Every status is one of {', '.join(accepted)}."


def _action_id_format(data: Snapshot, say: Collector) -> str:
    ids = data.typed["action_id"]
    malformed = ids.notna().to_numpy() & ~ids.map(lambda v: bool(ACTION_ID_PATTERN.match(v or ""))).to_numpy()
    say.per_value(
        _group_positions(ids, malformed),
        lambda v, _: (
            f"Action id {quote(v)} is not in the form 'P1.03': 'P', the priority number, a full stop and two digits."
        ),
        "action ids",
    )
    return "Every action id has the form 'P1.03'."


def _action_id_unique(data: Snapshot, say: Collector) -> str:
    ids = data.typed["action_id"]
    say.per_value(
        _group_positions(ids, ids.notna().to_numpy() & ids.duplicated(keep=False).to_numpy()),
        lambda v, positions: (
            f"Action id {quote(v)} appears {len(positions)} times; each action appears once per"
            " file, with the same id every quarter."
        ),
        "action ids",
    )
    return "Every action id is unique."


def _action_id_priority(data: Snapshot, say: Collector) -> None:
    pairs = data.typed[["action_id", "priority"]].itertuples(index=False, name=None)
    mismatch = [
        pos
        for pos, (action_id, priority) in enumerate(pairs)
        if (match := ACTION_ID_PATTERN.match(action_id or "")) and pd.notna(priority) and int(match[1]) != int(priority)
    ]
    if mismatch:
        first = mismatch[0]
        say.warning(
            f"Action id {quote(data.typed['action_id'].iloc[first])} starts with a different priority from its"
            f" 'priority' column ({quote(_num(data.typed['priority'].iloc[first]))}). Confirm which is right.",
            mismatch,
        )


def _progress_range(data: Snapshot, say: Collector) -> str:
    values = data.typed["progress_pct"]
    say.per_value(
        _group_positions(values, values.notna().to_numpy() & ~values.between(0, 100).to_numpy()),
        lambda v, _: (
            f"Progress {quote(_num(v))} is outside 0 to 100. Give a whole number of per cent from 0 to 100,"
            " or leave it empty."
        ),
    )
    return "Every progress figure is a whole number from 0 to 100, or empty."


def _status_progress(data: Snapshot, say: Collector) -> None:
    typed = data.typed
    done = (typed["status"] == "Complete") & typed["progress_pct"].notna() & (typed["progress_pct"] < 100)
    positions = np.flatnonzero(done.to_numpy())
    if len(positions):
        say.warning(
            f"{plural(len(positions), 'action is', 'actions are')} 'Complete' with progress below 100 (such as"
            f" {quote(_num(typed['progress_pct'].iloc[int(positions[0])]))}). Confirm the status.",
            positions,
        )


def _text_length(column: str, limit: int) -> Callable[[Snapshot, Collector], str]:
    def check(data: Snapshot, say: Collector) -> str:
        lengths = data.typed[column].map(lambda v: len(v) if isinstance(v, str) else 0)
        positions = np.flatnonzero((lengths > limit).to_numpy())
        if len(positions):
            say.error(
                f"'{column}' is longer than {limit:,} characters in {plural(len(positions), 'row')} (the longest has"
                f" {int(lengths.iloc[positions].max()):,}, starting"
                f" {quote(data.typed[column].iloc[int(positions[0])], 40)}). Shorten it to {limit:,} characters or"
                " fewer.",
                positions,
            )
        return f"'{column}' is at most {limit:,} characters on every row; it is shown as plain text, never as HTML."

    return check


ACTION_RULES = (
    Rule("priority_known", _priority_known, "priority", needs=("priority",)),
    Rule("objective_known", _objective_known, "objective", needs=("priority", "objective")),
    Rule("status_known", _status_known, "status", needs=("status",)),
    Rule("action_id_format", _action_id_format, "action_id", needs=("action_id",)),
    Rule("action_id_unique", _action_id_unique, "action_id", needs=("action_id",)),
    Rule("action_id_priority", _action_id_priority, "action_id", needs=("action_id", "priority")),
    Rule("progress_range", _progress_range, "progress_pct", needs=("progress_pct",)),
    Rule("status_progress", _status_progress, "progress_pct", needs=("progress_pct", "status")),
    Rule("text_length", _text_length("action", catalogue.ACTION_TEXT_MAX), "action", needs=("action",)),
    Rule("text_length", _text_length("update", catalogue.UPDATE_TEXT_MAX), "update", needs=("update",)),
)

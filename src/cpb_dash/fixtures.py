"""Sample snapshots for a fresh install: Hackney's published DfE figures on the annual dates, plausible
quarters between, and an invented action plan under the real priorities.

Two steps: `extract_reference` pulls the few published Hackney figures we anchor to (committed as a small CSV,
so the `fixtures` command needs no DfE files); `build_fixtures` / `write_fixtures` make every (dataset,
quarter).

To refresh the reference after a new DfE release (from the repo root, DfE CSVs in ../shared/data/dfe):

    .venv/bin/python -c "from pathlib import Path; from cpb_dash.fixtures import write_reference; \
write_reference(Path('../shared/data/dfe'), Path('data/reference/hackney_published.csv'))"

then run `python -m cpb_dash fixtures --out data/fixtures` and commit both.

Choices a reader of the sample data should know (details beside the constants below):
- CLA, placement and care-leaver figures are published at 31 March 2021-2025 only (the DfE files we hold have
  no 2020). 31 March 2020 and the 2019-20 flows are invented, so that stocks and flows agree with 2021.
- Care leavers 19-21: `cl_19_21_total` is the activity file's "Total" (19 to 21 years), `cl_19_21_eet` its
  "Total in education, employment or training", `cl_19_21_suitable_accom` the suitability file's
  "Accommodation considered suitable" and `cl_19_21_accom_total` its "Suitability total", the DfE's
  denominator for suitable accommodation. The two totals differ once (2022: 283 against 287, so 88% suitable,
  as published); between published dates the suitability total is taken equal to the activity total.
- Social worker ethnicity: csww_ethnicity_vs_population.csv has only role "Total" for local authorities, so
  the reference holds headcount by ethnicity (topic "Ethnicity", reference only) and the role split is
  invented, managers whiter than practitioners as in London. Headcount in no published group is "Refused or
  information not yet available".
- The 0-17 population by ethnicity uses assumed shares for Hackney's children (see POPULATION_SHARES).
- Fixtures hold no `c`: the app suppresses small counts itself. The only symbols are `x` on two early
  breakdowns, to exercise symbol handling.
- The action plan starts at 2024-25 Q1, the first quarter reported against the 2024 plan refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash import catalogue, config, periods
from cpb_dash.apportion import allocate
from cpb_dash.formatting import round_half_up
from cpb_dash.schema import ACTION_COLUMNS, arrow_schema

REFERENCE_PATH = config.PROJECT_ROOT / "data" / "reference" / "hackney_published.csv"
REFERENCE_COLUMNS = ["date", "measure", "breakdown_topic", "breakdown", "value", "symbol"]
SEED = 2024
FIRST_QUARTER = dt.date(2019, 6, 30)  # 2019-20 Q1
LAST_QUARTER = dt.date(2025, 9, 30)  # 2025-26 Q2
ACTION_PLAN_START = dt.date(2024, 6, 30)  # 2024-25 Q1: first quarter reported against the refreshed plan
TOTAL = catalogue.TOTAL

# ==========================================================================================================
# 1. Reference: Hackney's published figures
# ==========================================================================================================

HACKNEY_CODE = catalogue.LA_CODE
SYMBOL_VALUES = set(catalogue.SYMBOLS) | {"k"}

# DfE cla_group -> catalogue breakdown topic, for cla_characteristics_31_march.csv.
CLA_GROUP_TOPICS = {
    "Age group": "Age group",
    "Sex": "Sex",
    "Ethnicity": "Ethnicity",
    "Legal status": "Legal status",
    "Placement": "Placement type",
    "Place providers": "Placement provider",
    "Locality of placement": "Placement location",
}
STARTS_GROUP_TOPICS = {"Age on starting": "Age group", "Sex": "Sex"}
OVER_20_MILES_OUTSIDE = "4. Placed outside the LA boundary, more than 20 miles from home"
STABILITY_ROWS = {  # (cla_group, placement_stability) -> measure
    ("CLA on 31 March", "Total children"): "stab_cla_total",
    ("CLA on 31 March", "With 3 or more placements during the year"): "stab_3plus_placements",
    (
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
        "Total children",
    ): "ltstab_cohort",
    (
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
        "Living with the same carer for at least 2 years",
    ): "ltstab_same_carer_2y",
}
NUMBER_ROWS = {
    "Children looked after on 31 March each year": "cla",
    "Children starting to be looked after each year": "cla_started",
    "Children ceasing to be looked after each year": "cla_ceased",
}
CARE_LEAVER_ROWS = {  # (file, breakdown) -> measure, for care_leaver_age "19 to 21 years"
    ("la_care_leavers_activity.csv", "Total"): "cl_19_21_total",
    ("la_care_leavers_activity.csv", "Total in education, employment or training"): "cl_19_21_eet",
    ("la_care_leavers_accommodation_suitability.csv", "Accommodation considered suitable"): "cl_19_21_suitable_accom",
    ("la_care_leavers_accommodation_suitability.csv", "Suitability total"): "cl_19_21_accom_total",
}
WORKFORCE_COLUMNS = {
    "inpost_fte": "inpost_fte",
    "inpost_headcount": "inpost_headcount",
    "agency_fte": "agency_fte",
    "vacancy_fte": "vacancy_fte",
    "leavers_fte": "leavers_fte_12m",
    "starters_fte": "starters_fte_12m",
    "cases": "cases",
    "case_holders_fte": "case_holders_fte",
    "working_days_lost_fte": "working_days_lost_12m",
}
CSWW_ETHNICITY = {  # csww "Ethnicity major" -> catalogue ethnicity ("Non-white" is a derived row: skipped)
    "White": "White",
    "Mixed": "Mixed or Multiple ethnic groups",
    "Asian": "Asian or Asian British",
    "Black": "Black, African, Caribbean or Black British",
    "Other": "Other ethnic group",
}
FIRST_WORKFORCE_YEAR = FIRST_QUARTER.year  # earlier censuses fall before the sample period


def _read(source_dir: Path, name: str) -> pd.DataFrame:
    frame = pd.read_csv(source_dir / name, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    # Statistical-neighbour median rows carry Hackney's old code too: keep only Hackney's own LA rows.
    return frame[(frame["geographic_level"] == "Local authority") & (frame["new_la_code"] == HACKNEY_CODE)]


def _row(date: dt.date, measure: str, topic: str, breakdown: str, raw: str) -> dict[str, object]:
    raw = str(raw).strip()
    if raw in SYMBOL_VALUES:
        return dict(
            date=date.isoformat(),
            measure=measure,
            breakdown_topic=topic,
            breakdown=breakdown,
            value=math.nan,
            symbol=raw,
        )
    return dict(
        date=date.isoformat(),
        measure=measure,
        breakdown_topic=topic,
        breakdown=breakdown,
        value=float(raw),
        symbol=None,
    )


def _march(year: str) -> dt.date:
    return dt.date(int(year), 3, 31)


def _september(year: str) -> dt.date:
    return dt.date(int(year), 9, 30)


def extract_reference(source_dir: Path) -> pd.DataFrame:
    """Hackney's published counts from the DfE CSVs, long format (see REFERENCE_COLUMNS), sorted."""
    source_dir = Path(source_dir)
    rows: list[dict[str, object]] = []

    numbers = _read(source_dir, "cla_number_and_rate_per_10k_children.csv")
    for r in numbers.itertuples(index=False):
        measure = NUMBER_ROWS.get(r.population_type)
        if measure is None:
            continue
        rows.append(_row(_march(r.time_period), measure, TOTAL, TOTAL, r.children_count))
        if measure == "cla":
            rows.append(_row(_march(r.time_period), "population_0_17", TOTAL, TOTAL, r.population_estimate))
    cla_totals = {(x["date"], x["measure"]): x["value"] for x in rows}

    chars = _read(source_dir, "cla_characteristics_31_march.csv")
    for r in chars.itertuples(index=False):
        date = _march(r.time_period)
        if r.cla_group in CLA_GROUP_TOPICS:
            topic = CLA_GROUP_TOPICS[r.cla_group]
            if r.characteristic == TOTAL:
                # The Total comes from the number-and-rate file; the two publications must agree.
                if float(r.cla_31_march_number) != cla_totals[(date.isoformat(), "cla")]:
                    raise ValueError(f"{topic} total {r.cla_31_march_number} disagrees with the CLA number on {date}")
                continue
            if r.characteristic not in catalogue.BREAKDOWN_TOPICS[topic]:
                raise ValueError(f"unmapped DfE category {r.cla_group!r}: {r.characteristic!r}")
            rows.append(_row(date, "cla", topic, r.characteristic, r.cla_31_march_number))
        elif r.cla_group == "Unaccompanied asylum-seeking children" and r.characteristic == "UASC":
            rows.append(_row(date, "uasc", TOTAL, TOTAL, r.cla_31_march_number))
        elif r.characteristic == OVER_20_MILES_OUTSIDE:
            rows.append(_row(date, "placed_over_20_miles_outside_la", TOTAL, TOTAL, r.cla_31_march_number))

    starts = _read(source_dir, "cla_placements_characteristics.csv")
    for r in starts.itertuples(index=False):
        topic = STARTS_GROUP_TOPICS.get(r.cla_group)
        if topic is None or r.characteristic == TOTAL:
            continue
        if r.characteristic not in catalogue.BREAKDOWN_TOPICS[topic]:
            raise ValueError(f"unmapped DfE category {r.cla_group!r}: {r.characteristic!r}")
        rows.append(_row(_march(r.time_period), "cla_started", topic, r.characteristic, r.number))

    stability = _read(source_dir, "la_cla_placement_stability.csv")
    for r in stability.itertuples(index=False):
        measure = STABILITY_ROWS.get((r.cla_group, r.placement_stability))
        if measure is not None:
            rows.append(_row(_march(r.time_period), measure, TOTAL, TOTAL, r.children_count))

    for name in ("la_care_leavers_activity.csv", "la_care_leavers_accommodation_suitability.csv"):
        leavers = _read(source_dir, name)
        for r in leavers.itertuples(index=False):
            measure = CARE_LEAVER_ROWS.get((name, r.breakdown))
            if measure is not None and r.care_leaver_age == "19 to 21 years":
                rows.append(_row(_march(r.time_period), measure, TOTAL, TOTAL, r.care_leaver_count))

    workforce = _read(source_dir, "csww_indicators_2017_to_2025.csv")
    for r in workforce.itertuples(index=False):
        if int(r.time_period) < FIRST_WORKFORCE_YEAR:
            continue
        for column, measure in WORKFORCE_COLUMNS.items():
            rows.append(_row(_september(r.time_period), measure, TOTAL, TOTAL, getattr(r, column)))

    ethnicity = _read(source_dir, "csww_ethnicity_vs_population.csv")
    ethnicity = ethnicity[(ethnicity["role"] == "Total") & ethnicity["breakdown"].isin(list(CSWW_ETHNICITY))]
    for r in ethnicity.itertuples(index=False):
        if int(r.time_period) >= FIRST_WORKFORCE_YEAR:
            rows.append(
                _row(
                    _september(r.time_period),
                    "inpost_headcount",
                    "Ethnicity",
                    CSWW_ETHNICITY[r.breakdown],
                    r.inpost_headcount,
                )
            )

    frame = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    return _normalise_reference(frame)


def _normalise_reference(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["symbol"] = frame["symbol"].astype("object").where(frame["symbol"].notna(), None)
    frame = frame.sort_values(["date", "measure", "breakdown_topic", "breakdown"], kind="stable")
    return frame.reset_index(drop=True)


def reference_csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of a reference table: whole numbers without '.0', so the file reads like the DfE's."""
    out = frame.copy()
    out["value"] = [("" if pd.isna(v) else f"{v:.10g}") for v in out["value"]]
    out["symbol"] = out["symbol"].fillna("")
    return out.to_csv(index=False, lineterminator="\n")


def write_reference(source_dir: Path, path: Path) -> Path:
    """Extract the reference from the DfE CSVs and save it as CSV at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reference_csv_text(extract_reference(source_dir)), encoding="utf-8")
    return path


def read_reference(path: Path = REFERENCE_PATH) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"symbol": str}, keep_default_na=False, na_values={"value": [""]})
    frame["symbol"] = frame["symbol"].replace("", None)
    return _normalise_reference(frame)


# ==========================================================================================================
# 2. Allocation helpers: integer parts that add up exactly
# ==========================================================================================================


def split_table(
    row_totals: Sequence[int], col_totals: Sequence[int], row_weights: Sequence[Sequence[float]] | None = None
) -> list[list[int]]:
    """Whole-number table with both margins exact: rows in turn take their share of what each column has left.

    Capping each row at what a column has left keeps every cell non-negative; the last row takes the rest.
    """
    if sum(row_totals) != sum(col_totals):
        raise ValueError("row and column totals differ")
    left = list(col_totals)
    table = []
    for r, total in enumerate(row_totals):
        if r == len(row_totals) - 1:
            row = list(left)
        else:
            bias = row_weights[r] if row_weights is not None else [1.0] * len(left)
            row = allocate(total, [b * c for b, c in zip(bias, left, strict=True)], caps=left)
        left = [c - x for c, x in zip(left, row, strict=True)]
        table.append(row)
    return table


def fill_published(total: int, cells: dict[str, float | None], order: Sequence[str]) -> dict[str, int]:
    """Whole counts for a published breakdown: published cells as they are, suppressed (`c`) cells filled.

    Suppressed cells share what the published cells leave of the total, 1 to 5 each where the gap allows;
    where it allows less (the DfE hides a 0 beside a small count), earlier ones get 1 and the rest 0.
    """
    known = {k: int(v) for k, v in cells.items() if v is not None and not math.isnan(v)}
    hidden = [k for k in order if k in cells and k not in known]
    gap = total - sum(known.values())
    out = {k: known.get(k, 0) for k in order}
    if hidden:
        if gap < 0:
            raise ValueError(f"published cells exceed the total {total}")
        if gap >= len(hidden):
            for k, part in zip(hidden, allocate(gap, [1.0] * len(hidden)), strict=True):
                out[k] = part
        else:
            for k in hidden[:gap]:
                out[k] = 1
    elif gap:
        # Published cells that do not add up (as submitted): the gap goes on the largest cell.
        biggest = max(order, key=lambda k: out[k])
        out[biggest] += gap
    return out


# ==========================================================================================================
# 3. Time series
# ==========================================================================================================

QUARTERS: list[dt.date] = periods.quarter_ends_between(FIRST_QUARTER, LAST_QUARTER)


def _qindex(day: dt.date) -> int:
    return (day.year * 12 + day.month) // 3


def interpolate(
    anchors: dict[dt.date, float], rng: np.random.Generator, noise: float = 0.02, dps: int = 0
) -> dict[dt.date, float]:
    """Every quarter from anchor values: exact at an anchor, linear between, flat beyond, a little noise"
    " elsewhere."""
    xs = sorted(anchors)
    idx = [_qindex(d) for d in xs]
    vals = [anchors[d] for d in xs]
    out = {}
    for q in QUARTERS:
        if q in anchors:
            out[q] = float(anchors[q])
            continue
        value = float(np.interp(_qindex(q), idx, vals))
        value *= 1 + rng.normal(0, noise)
        out[q] = max(round_half_up(value, dps), 0.0)
    return out


def _fy_end(day: dt.date) -> int:
    """The year of the 31 March that ends the financial year containing `day`."""
    return day.year + 1 if day.month >= 4 else day.year


def _lerp_shares(a: Sequence[float], b: Sequence[float], t: float) -> list[float]:
    return [x + (y - x) * t for x, y in zip(a, b, strict=True)]


def _fraction_of_year(day: dt.date) -> float:
    return periods.quarter_number(day) / 4


# ==========================================================================================================
# 4. Invented anchors and shares (documented; everything else comes from the reference)
# ==========================================================================================================

# 2019-20 is not in the DfE files we hold. Invented flows; 31 March 2020 then follows from 31 March 2021's
# stock and
# 2020-21's published flows, so the stock-flow arithmetic holds across the gap.
INVENTED_FLOWS = {
    ("cla_started", 2020): 205,
    ("cla_ceased", 2020): 199,
    ("cla_started", 2026): 142,
    ("cla_ceased", 2026): 150,
}  # 2025-26: Q1-Q2 used
INVENTED_MARCH_2020 = {  # totals for placement and care-leaver measures at 31 March 2020 (not published)
    "uasc": 36,
    "stab_3plus_placements": 47,
    "ltstab_cohort": 112,
    "ltstab_same_carer_2y": 80,
    "placed_over_20_miles_outside_la": 71,
    "cl_19_21_total": 255,
    "cl_19_21_eet": 140,
    "cl_19_21_suitable_accom": 219,
}
POPULATION_2019_20 = 58_520  # ONS mid-2019 estimate not in our files: a plausible value above 2021's 57,781
# Hackney's children by ethnicity. Assumed, not copied: informed by Census 2021 for Hackney (all ages: White
# 53.1%,
# Mixed 6.7%, Asian 10.4%, Black 21.1%, Other 8.7%, from csww_ethnicity_vs_population.csv) and the younger age
# profile of the Mixed, Black and Charedi (White) communities. Replace with ONS Census 2021 ethnic group by
# age
# (Nomis RM032) for the borough when available.
POPULATION_SHARES = {
    "White": 0.41,
    "Mixed or Multiple ethnic groups": 0.14,
    "Asian or Asian British": 0.09,
    "Black, African, Caribbean or Black British": 0.25,
    "Other ethnic group": 0.11,
}
# Share of each age group with 3+ placements in a year, and placement moves per child: older children move
# more.
AGE_MOVE_PROPENSITY = (0.04, 0.07, 0.07, 0.14, 0.17)
# Propensity of each placement type to be 20+ miles away and outside Hackney.
DISTANT_PROPENSITY = (0.07, 0.25, 0.02, 0.15, 0.45, 0.5, 0.6, 0.2)
# Catalogue order: Access and Assessment, CIN/CP, LAC and Leaving Care, Disabled Children, Fostering/Adoption.
SERVICE_SHARES = {
    "staff": (0.24, 0.31, 0.23, 0.09, 0.13),
    "agency_fte": (0.33, 0.34, 0.20, 0.06, 0.07),
    "vacancy_fte": (0.30, 0.33, 0.21, 0.07, 0.09),
    "leavers_fte_12m": (0.30, 0.32, 0.21, 0.07, 0.10),
    "starters_fte_12m": (0.33, 0.30, 0.20, 0.07, 0.10),
    "cases": (0.27, 0.36, 0.25, 0.10, 0.02),  # supervising social workers hold carers, not children
    "case_holders_fte": (0.26, 0.33, 0.24, 0.09, 0.08),
    "working_days_lost_12m": (0.26, 0.33, 0.22, 0.08, 0.11),
}
ROLE_SHARES = (0.53, 0.28, 0.19)  # Practitioner, Senior practitioner, Manager
# Ethnicity bias by role, relative to the whole workforce: managers whiter and less often Black, as in London
# data.
ROLE_ETHNICITY_BIAS = {
    "Manager": (1.7, 0.9, 1.0, 0.5, 1.0, 1.0),
    "Senior practitioner": (1.15, 1.0, 1.0, 0.9, 1.0, 1.0),
}
UNKNOWN_ETHNICITY = catalogue.ETHNICITIES[-1]


# ==========================================================================================================
# 5. Building the count datasets
# ==========================================================================================================


class _Rows:
    """Collects count rows per (dataset, period) in a stable order."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, dt.date], list[tuple[str, str, str, float | None, str | None]]] = {}

    def add(
        self, day: dt.date, measure: str, topic: str, breakdown: str, value: float | None, symbol: str | None = None
    ) -> None:
        dataset = catalogue.MEASURES[measure].dataset
        self.rows.setdefault((dataset, day), []).append((measure, topic, breakdown, value, symbol))

    def total(self, day: dt.date, measure: str, value: float) -> None:
        self.add(day, measure, TOTAL, TOTAL, float(value))

    def breakdown(
        self, day: dt.date, measure: str, topic: str, parts: Sequence[float], names: Sequence[str] | None = None
    ) -> None:
        for name, value in zip(names or catalogue.BREAKDOWN_TOPICS[topic], parts, strict=True):
            self.add(day, measure, topic, name, float(value))


class _Reference:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def total(self, measure: str) -> dict[dt.date, float]:
        f = self.frame[(self.frame["measure"] == measure) & (self.frame["breakdown_topic"] == TOTAL)]
        return {periods.as_date(d): float(v) for d, v in zip(f["date"], f["value"], strict=True)}

    def cells(self, measure: str, topic: str, day: dt.date) -> dict[str, float | None]:
        f = self.frame[
            (self.frame["measure"] == measure)
            & (self.frame["breakdown_topic"] == topic)
            & (self.frame["date"] == day.isoformat())
        ]
        pairs = zip(f["breakdown"], f["value"], strict=True)
        return {b: (None if pd.isna(v) else float(v)) for b, v in pairs}

    def dates(self, measure: str, topic: str) -> list[dt.date]:
        f = self.frame[(self.frame["measure"] == measure) & (self.frame["breakdown_topic"] == topic)]
        return sorted({periods.as_date(d) for d in f["date"]})


def _published_shares(
    ref: _Reference, measure: str, topic: str, totals: dict[dt.date, float]
) -> dict[dt.date, list[int]]:
    """Filled published breakdowns (whole counts in catalogue order) at each published date."""
    order = catalogue.BREAKDOWN_TOPICS[topic]
    out = {}
    for day in ref.dates(measure, topic):
        filled = fill_published(int(totals[day]), ref.cells(measure, topic, day), order)
        out[day] = [filled[k] for k in order]
    return out


def _shares_at(published: dict[dt.date, list[int]], day: dt.date) -> list[float]:
    """Shares for any quarter: the published ones on a published date, interpolated between, held beyond."""
    dates = sorted(published)
    as_shares = {d: [x / max(sum(published[d]), 1) for x in published[d]] for d in dates}
    if day <= dates[0]:
        return as_shares[dates[0]]
    if day >= dates[-1]:
        return as_shares[dates[-1]]
    after = next(d for d in dates if d >= day)
    before = max(d for d in dates if d < day)
    t = (_qindex(day) - _qindex(before)) / (_qindex(after) - _qindex(before))
    return _lerp_shares(as_shares[before], as_shares[after], t)


def _breakdown_at(
    published: dict[dt.date, list[int]], day: dt.date, total: int, caps: Sequence[int] | None = None
) -> list[int]:
    if day in published and sum(published[day]) == total:
        return list(published[day])
    return allocate(total, _shares_at(published, day), caps)


def _split_fy(annual: int, quarters: int, rng: np.random.Generator) -> list[int]:
    weights = [max(0.25 + rng.normal(0, 0.035), 0.1) for _ in range(4)]
    return allocate(annual, weights)[:quarters]


def _care_population(ref: _Reference, rows: _Rows, rng: np.random.Generator) -> dict[str, dict[dt.date, int]]:
    """cla, flows, UASC, population, care leavers, missing episodes. Returns the cla breakdowns for later"
    " use."""
    annual = {m: {d.year: int(v) for d, v in ref.total(m).items()} for m in ("cla_started", "cla_ceased")}
    for (m, year), v in INVENTED_FLOWS.items():
        annual[m].setdefault(year, v)
    cla_march = {d.year: int(v) for d, v in ref.total("cla").items()}
    cla_march[2020] = cla_march[2021] - annual["cla_started"][2021] + annual["cla_ceased"][2021]
    cla_march[2019] = cla_march[2020] - annual["cla_started"][2020] + annual["cla_ceased"][2020]

    # Flows by quarter; a published year's four quarters add up to its annual figure.
    flows: dict[str, dict[dt.date, int]] = {"cla_started": {}, "cla_ceased": {}}
    for m in flows:
        for year in range(_fy_end(FIRST_QUARTER), _fy_end(LAST_QUARTER) + 1):
            fy_quarters = [q for q in QUARTERS if _fy_end(q) == year]
            for q, v in zip(fy_quarters, _split_fy(annual[m][year], len(fy_quarters), rng), strict=True):
                flows[m][q] = v

    # Stock follows the flows; on a published year the gap between flows and stocks (DfE counts children, not
    # episodes) is spread evenly over the year so that 31 March equals the published figure.
    cla: dict[dt.date, int] = {}
    for q in QUARTERS:
        year = _fy_end(q)
        fy_so_far = [x for x in QUARTERS if _fy_end(x) == year and x <= q]
        net = sum(flows["cla_started"][x] - flows["cla_ceased"][x] for x in fy_so_far)
        start = cla_march[year - 1]
        if year in cla_march:
            gap = cla_march[year] - start - (annual["cla_started"][year] - annual["cla_ceased"][year])
            cla[q] = start + net + round(gap * _fraction_of_year(q))
        else:
            cla[q] = start + net
    for q in QUARTERS:
        if q.month == 3 and q.year in cla_march:
            assert cla[q] == cla_march[q.year]

    # cla breakdowns: published at 31 March, shares interpolated between.
    cla_parts: dict[str, dict[dt.date, list[int]]] = {}
    for topic in catalogue.MEASURES["cla"].topics:
        totals = {d: cla_march[d.year] for d in ref.dates("cla", topic)}
        published = _published_shares(ref, "cla", topic, totals)
        cla_parts[topic] = {q: _breakdown_at(published, q, cla[q]) for q in QUARTERS}

    # Starts by age and sex: a published year's quarters add up to the published annual breakdown too.
    start_parts: dict[str, dict[dt.date, list[int]]] = {}
    for topic in catalogue.MEASURES["cla_started"].topics:
        totals = {d: annual["cla_started"][d.year] for d in ref.dates("cla_started", topic)}
        published = _published_shares(ref, "cla_started", topic, totals)
        start_parts[topic] = {}
        for year in range(_fy_end(FIRST_QUARTER), _fy_end(LAST_QUARTER) + 1):
            fy_quarters = [q for q in QUARTERS if _fy_end(q) == year]
            q_totals = [flows["cla_started"][q] for q in fy_quarters]
            march = dt.date(year, 3, 31)
            if march in published and len(fy_quarters) == 4:
                table = split_table(q_totals, published[march])
            else:
                shares = _shares_at(published, march)
                table = [allocate(t, shares) for t in q_totals]
            for q, row in zip(fy_quarters, table, strict=True):
                start_parts[topic][q] = row

    uasc = interpolate({**ref.total("uasc"), dt.date(2020, 3, 31): INVENTED_MARCH_2020["uasc"]}, rng, 0.05)
    population = {d.year: int(v) for d, v in ref.total("population_0_17").items()}
    population[2020] = POPULATION_2019_20
    leavers = {
        m: interpolate({**ref.total(m), dt.date(2020, 3, 31): INVENTED_MARCH_2020[m]}, rng, 0.015)
        for m in ("cl_19_21_total", "cl_19_21_eet", "cl_19_21_suitable_accom")
    }
    accom_totals = ref.total("cl_19_21_accom_total")

    for i, q in enumerate(QUARTERS):
        rows.total(q, "cla", cla[q])
        for topic in catalogue.MEASURES["cla"].topics:
            if topic == "Placement location" and q == FIRST_QUARTER:
                # Not recorded in the old case management system for this quarter: `x` exercises symbol
                # handling.
                for name in catalogue.BREAKDOWN_TOPICS[topic]:
                    rows.add(q, "cla", topic, name, None, "x")
            else:
                rows.breakdown(q, "cla", topic, cla_parts[topic][q])
        rows.total(q, "cla_started", flows["cla_started"][q])
        for topic in catalogue.MEASURES["cla_started"].topics:
            if topic == "Sex" and q == FIRST_QUARTER:
                for name in catalogue.BREAKDOWN_TOPICS[topic]:
                    rows.add(q, "cla_started", topic, name, None, "x")
            else:
                rows.breakdown(q, "cla_started", topic, start_parts[topic][q])
        rows.total(q, "cla_ceased", flows["cla_ceased"][q])
        rows.total(q, "uasc", min(uasc[q], cla[q]))
        # The ONS mid-year estimate changes once a year: each quarter uses the one for its financial year;
        # 2025-26
        # has none published yet, so it keeps 2024-25's (as the DfE would until the next release).
        pop = population[min(_fy_end(q), max(population))]
        rows.total(q, "population_0_17", pop)
        rows.breakdown(
            q,
            "population_0_17",
            "Ethnicity",
            allocate(pop, [POPULATION_SHARES[e] for e in catalogue.POPULATION_ETHNICITIES]),
            names=catalogue.POPULATION_ETHNICITIES,
        )
        total = leavers["cl_19_21_total"][q]
        rows.total(q, "cl_19_21_total", total)
        rows.total(q, "cl_19_21_eet", min(leavers["cl_19_21_eet"][q], total))
        # The DfE's suitability total where published; the activity total between (no random draw, so the rest of
        # the sample data is unchanged by this measure).
        accom_total = accom_totals.get(q, total)
        rows.total(q, "cl_19_21_accom_total", accom_total)
        rows.total(q, "cl_19_21_suitable_accom", min(leavers["cl_19_21_suitable_accom"][q], accom_total))
        # Missing episodes (local data, invented): slowly falling; return interviews offered and accepted
        # rising.
        t = i / (len(QUARTERS) - 1)
        missing = max(int(round((148 - 30 * t) * (1 + rng.normal(0, 0.08)))), 40)
        offered = min(int(round(missing * (0.80 + 0.15 * t + rng.normal(0, 0.02)))), missing)
        accepted = min(int(round(offered * (0.55 + 0.15 * t + rng.normal(0, 0.03)))), offered)
        rows.total(q, "missing_episodes", missing)
        rows.total(q, "rhi_offered", offered)
        rows.total(q, "rhi_accepted", accepted)

    # Hand on what placement stability needs: cla and its age and placement-type splits.
    return {"cla": cla, "age": cla_parts["Age group"], "placement": cla_parts["Placement type"]}


def _placement_stability(ref: _Reference, rows: _Rows, rng: np.random.Generator, cla: dict) -> None:
    march_2020 = dt.date(2020, 3, 31)
    series = {
        m: interpolate({**ref.total(m), march_2020: INVENTED_MARCH_2020[m]}, rng, 0.04)
        for m in ("stab_3plus_placements", "ltstab_cohort", "ltstab_same_carer_2y", "placed_over_20_miles_outside_la")
    }
    for i, q in enumerate(QUARTERS):
        total, ages, places = cla["cla"][q], cla["age"][q], cla["placement"][q]
        # The 3+ placements denominator is the children looked after at period end: the same children as
        # `cla`.
        rows.total(q, "stab_cla_total", total)
        rows.breakdown(q, "stab_cla_total", "Age group", ages)
        three = int(min(series["stab_3plus_placements"][q], total))
        rows.total(q, "stab_3plus_placements", three)
        rows.breakdown(
            q, "stab_3plus_placements", "Age group", allocate(three, _weighted(ages, AGE_MOVE_PROPENSITY), caps=ages)
        )
        cohort = int(series["ltstab_cohort"][q])
        rows.total(q, "ltstab_cohort", cohort)
        rows.total(q, "ltstab_same_carer_2y", min(series["ltstab_same_carer_2y"][q], cohort))
        distant = int(min(series["placed_over_20_miles_outside_la"][q], total))
        rows.total(q, "placed_over_20_miles_outside_la", distant)
        rows.breakdown(
            q,
            "placed_over_20_miles_outside_la",
            "Placement type",
            allocate(distant, _weighted(places, DISTANT_PROPENSITY), caps=places),
        )
        t = i / (len(QUARTERS) - 1)
        moves = max(int(round((58 - 14 * t) * (1 + rng.normal(0, 0.1)))), 10)
        rows.total(q, "placement_moves_in_quarter", moves)
        rows.breakdown(
            q, "placement_moves_in_quarter", "Age group", allocate(moves, _weighted(ages, AGE_MOVE_PROPENSITY))
        )


def _weighted(counts: Sequence[int], propensity: Sequence[float]) -> list[float]:
    return [c * p for c, p in zip(counts, propensity, strict=True)]


def _jitter(shares: Sequence[float], rng: np.random.Generator, sd: float = 0.01) -> list[float]:
    return [max(s + rng.normal(0, sd), 0.001) for s in shares]


def _workforce(ref: _Reference, rows: _Rows, rng: np.random.Generator) -> None:
    fte_measures = [m for m in catalogue.measures_for("workforce") if m.id != "inpost_headcount"]
    series: dict[str, dict[dt.date, float]] = {}
    for m in fte_measures:
        dps = 1 if m.is_fte or m.id == "working_days_lost_12m" else 0
        series[m.id] = interpolate(ref.total(m.id), rng, 0.012, dps=dps)
    headcount = interpolate(ref.total("inpost_headcount"), rng, 0.0)
    # Noise must not push FTE above the number of people (published years already respect this).
    series["inpost_fte"] = {q: min(v, headcount[q]) for q, v in series["inpost_fte"].items()}
    # Ethnicity of the whole workforce: published headcounts at 30 September; the rest of the headcount is
    # unknown.
    eth_published: dict[dt.date, list[int]] = {}
    for day in ref.dates("inpost_headcount", "Ethnicity"):
        cells = ref.cells("inpost_headcount", "Ethnicity", day)
        counts = [int(cells.get(e) or 0) for e in catalogue.ETHNICITIES[:-1]]
        unknown = int(headcount[day]) - sum(counts)
        if unknown < 0:
            raise ValueError(f"social worker ethnicity headcounts exceed the total on {day}")
        eth_published[day] = [*counts, unknown]

    for q in QUARTERS:
        for m in fte_measures:
            value = series[m.id][q]
            rows.total(q, m.id, value)
            # Tenths for FTE and days (published to 1 decimal place), whole numbers for cases.
            scale = 10 if (m.is_fte or m.id == "working_days_lost_12m") else 1
            key = m.id if m.id in SERVICE_SHARES else "staff"
            parts = allocate(int(round(value * scale)), _jitter(SERVICE_SHARES[key], rng))
            rows.breakdown(q, m.id, "Service area", [p / scale for p in parts])
        heads = int(headcount[q])
        rows.total(q, "inpost_headcount", heads)
        rows.breakdown(q, "inpost_headcount", "Service area", allocate(heads, _jitter(SERVICE_SHARES["staff"], rng)))
        roles = allocate(heads, _jitter(ROLE_SHARES, rng, 0.01))
        rows.breakdown(q, "inpost_headcount", "Role", roles)
        ethnicity = _breakdown_at(eth_published, q, heads)
        # Managers first, then senior practitioners, each biased; practitioners take what is left.
        order = [2, 1, 0]  # indices into ROLES
        table = split_table(
            [roles[r] for r in order],
            ethnicity,
            [ROLE_ETHNICITY_BIAS[catalogue.ROLES[r]] for r in order[:-1]] + [[1.0] * len(ethnicity)],
        )
        by_role = dict(zip(order, table, strict=True))
        rows.breakdown(
            q, "inpost_headcount", "Role and ethnicity", [x for r in range(len(catalogue.ROLES)) for x in by_role[r]]
        )


# ==========================================================================================================
# 6. Action plan (invented actions under the real priorities and commitments)
# ==========================================================================================================

# Status over the six quarters 2024-25 Q1 .. 2025-26 Q2: N Not started, O On track, A At risk, F Off track,
# C Complete, "." not yet in the plan.
STATUS_CODES = {"N": "Not started", "O": "On track", "A": "At risk", "F": "Off track", "C": "Complete"}
HEAD_LAC = "Head of Service, Looked After Children and Leaving Care"
HEAD_AA = "Head of Service, Access and Assessment"
HEAD_FA = "Head of Service, Fostering and Adoption"
HEAD_QA = "Head of Quality Assurance and Safeguarding"
HEAD_CS = "Head of Service, Contextual Safeguarding"
HEAD_COMM = "Head of Commissioning, Children's Services"
PSW = "Principal Social Worker"
PARTICIPATION = "Participation Lead, Children in Care Council"
HR = "HR Business Partner, Children's Services"
WFD = "Head of Workforce Development"
VSH = "Virtual School Headteacher"
IRO = "Independent Reviewing Officer Service Manager"

# (action_id, objective index, anti_racist, lead, due date, statuses, subject for updates, action text)
ACTIONS: tuple[tuple[str, int, bool, str, str, str, str, str], ...] = (
    (
        "P1.01",
        0,
        True,
        PSW,
        "2025-03-31",
        "OOACCC",
        "the anti-racist practice training",
        "Deliver anti-racist practice training to every social work team, with follow-up reflective sessions"
        " led by"
        " practice leads.",
    ),
    (
        "P1.02",
        0,
        True,
        HEAD_QA,
        "2024-12-31",
        "OOCCCC",
        "the new identity prompts",
        "Add a prompt on identity, culture and experiences of racism to assessment, child in care review and"
        " pathway"
        " plan templates.",
    ),
    (
        "P1.03",
        0,
        True,
        HEAD_QA,
        "2026-03-31",
        "NOOOOO",
        "the quarterly identity audit",
        "Audit a sample of assessments each quarter for how well they capture the child's identity and"
        " experiences"
        " of racism, and report the findings to the Corporate Parenting Board.",
    ),
    (
        "P1.04",
        1,
        True,
        HEAD_AA,
        "2025-06-30",
        "NOOAFA",
        "the analysis of entry-to-care decisions",
        "Analyse entry-to-care decisions for Black and mixed-heritage children with the Performance team, and"
        " publish"
        " the findings with an improvement plan.",
    ),
    (
        "P1.05",
        1,
        True,
        HEAD_COMM,
        "2025-12-31",
        "NNNOOA",
        "the family group conference offer",
        "Commission a family group conference offer at the edge of care, delivered by practitioners from the"
        " communities most over-represented in care.",
    ),
    (
        "P1.06",
        1,
        True,
        IRO,
        "2025-03-31",
        "OOOOCC",
        "the review of Section 20 arrangements",
        "Review the use of Section 20 voluntary accommodation for Black and mixed-heritage teenagers with the"
        " Independent Reviewing Officer service.",
    ),
    (
        "P1.07",
        2,
        False,
        PSW,
        "2026-03-31",
        "OOOOOO",
        "systemic practice induction",
        "Train every new starter in the Hackney systemic practice model within their first six months.",
    ),
    (
        "P1.08",
        2,
        False,
        HEAD_FA,
        "2025-06-30",
        "NOOOOC",
        "the trauma-informed supervision guidance",
        "Roll out trauma-informed supervision guidance for supervising social workers and foster carers.",
    ),
    (
        "P1.09",
        2,
        False,
        HEAD_LAC,
        "2026-03-31",
        "...NOO",
        "the clinical consultation forum",
        "Set up a monthly clinical consultation forum with the clinical service for children with complex trauma.",
    ),
    (
        "P2.01",
        0,
        False,
        PARTICIPATION,
        "2025-03-31",
        "OOOCCC",
        "the co-chaired Board meeting",
        "Children in Care Council members co-chair a Corporate Parenting Board meeting each year and set one"
        " priority for the Board.",
    ),
    (
        "P2.02",
        0,
        False,
        PARTICIPATION,
        "2025-12-31",
        "NOOAOO",
        "the welcome pack and rights guide",
        "Co-produce a new welcome pack and 'my rights' guide with children in care and care leavers, in plain"
        " English and the community languages most used in Hackney.",
    ),
    (
        "P2.03",
        0,
        True,
        HEAD_LAC,
        "2025-09-30",
        "NNOOOC",
        "the care leaver focus groups",
        "Run focus groups with Black and mixed-heritage care leavers on their experience of leaving care, and"
        " act on"
        " what they tell us.",
    ),
    (
        "P2.04",
        1,
        False,
        IRO,
        "2025-03-31",
        "OOAAAF",
        "plain-English letters after conferences and reviews",
        "Write to children and families after every child protection conference and child in care review in"
        " plain"
        " English, checked with a readability tool.",
    ),
    (
        "P2.05",
        1,
        False,
        HEAD_COMM,
        "2025-12-31",
        "NNNOAA",
        "the parent advocacy service",
        "Offer every parent whose child comes into care an independent parent advocate.",
    ),
    (
        "P2.06",
        2,
        False,
        "Complaints and Feedback Manager",
        "2024-12-31",
        "OCCCCC",
        "the 'you said, we did' summary",
        "Publish a quarterly 'you said, we did' summary of complaints and compliments from children in care and"
        " care leavers.",
    ),
    (
        "P3.01",
        0,
        False,
        "Head of Service, Corporate Parenting",
        "2025-03-31",
        "OOOAOC",
        "the corporate parenting pledge",
        "Agree a corporate parenting pledge with the NHS, the police and housing, signed by each partner's"
        " senior"
        " leader.",
    ),
    (
        "P3.02",
        0,
        False,
        HR,
        "2025-06-30",
        "OOOOCC",
        "the apprenticeship and guaranteed interview offer",
        "Give care leavers priority for council apprenticeships and a guaranteed interview for council jobs.",
    ),
    (
        "P3.03",
        1,
        False,
        VSH,
        "2026-03-31",
        "NOOOAO",
        "the employment coach for care leavers",
        "Raise the share of care leavers aged 19 to 21 in education, employment or training with a dedicated"
        " employment coach.",
    ),
    (
        "P3.04",
        1,
        False,
        "Designated Nurse for Children Looked After",
        "2025-12-31",
        "AFFAAO",
        "timely initial health assessments",
        "Complete an initial health assessment within 20 working days for every child coming into care.",
    ),
    (
        "P3.05",
        1,
        False,
        VSH,
        "2025-09-30",
        "..NOOC",
        "quality checks of post-16 education plans",
        "Extend Personal Education Plan quality checks to post-16 students in further education.",
    ),
    (
        "P3.06",
        2,
        True,
        HEAD_FA,
        "2026-03-31",
        "OOAAFF",
        "foster carer recruitment",
        "Recruit 20 new Hackney foster carers a year, with a campaign aimed at Black and global majority communities.",
    ),
    (
        "P3.07",
        2,
        False,
        HEAD_COMM,
        "2025-06-30",
        "NOOAFF",
        "the local children's home",
        "Open a two-bed local children's home so that children can come back from distant residential placements.",
    ),
    (
        "P4.01",
        0,
        False,
        HEAD_CS,
        "2024-12-31",
        "OOCCCC",
        "the weekly exploitation panel",
        "Hold a weekly multi-agency exploitation panel with police, health and youth justice, with a shared risk"
        " tracker.",
    ),
    (
        "P4.02",
        0,
        True,
        PSW,
        "2025-09-30",
        "NNOOOA",
        "the review of adultification bias",
        "Review how adultification bias affects safeguarding responses to Black teenagers, and train staff on"
        " the"
        " findings.",
    ),
    (
        "P4.03",
        1,
        False,
        HEAD_CS,
        "2025-03-31",
        "OAAOOC",
        "return home interviews within 72 hours",
        "Offer a return home interview within 72 hours of every missing episode, and track uptake monthly.",
    ),
    (
        "P4.04",
        1,
        False,
        HEAD_COMM,
        "2025-06-30",
        "NOOAAF",
        "the missing-from-care protocol with providers",
        "Agree a missing-from-care protocol with the residential and supported accommodation providers we use most.",
    ),
    (
        "P4.05",
        2,
        False,
        HEAD_QA,
        "2026-03-31",
        "OOOOOO",
        "the monthly audit cycle",
        "Run a monthly practice audit cycle, with every audit moderated by a senior manager.",
    ),
    (
        "P4.06",
        2,
        False,
        HEAD_LAC,
        "2025-03-31",
        "OOOCCC",
        "management oversight checks",
        "Check that every child looked after has a recorded management oversight decision at least every three months.",
    ),
    (
        "P5.01",
        0,
        False,
        HR,
        "2025-09-30",
        "OOAOOC",
        "the permanent recruitment campaign",
        "Convert agency posts to permanent posts through a rolling recruitment campaign and a 'return to"
        " Hackney'"
        " offer.",
    ),
    (
        "P5.02",
        0,
        False,
        WFD,
        "2026-03-31",
        "OOOOOO",
        "the newly qualified social worker programme",
        "Run an Assessed and Supported Year in Employment programme for at least 15 newly qualified social"
        " workers"
        " a year.",
    ),
    (
        "P5.03",
        1,
        True,
        WFD,
        "2025-03-31",
        "NOOOCC",
        "the leadership programme",
        "Launch a leadership development programme for Black and global majority social workers who want to move"
        " into manager posts.",
    ),
    (
        "P5.04",
        1,
        True,
        HR,
        "2024-12-31",
        "OACCCC",
        "the workforce ethnicity report",
        "Publish workforce ethnicity data by grade twice a year and set targets for representation at manager level.",
    ),
    (
        "P5.05",
        1,
        True,
        "Director of Children's Social Care",
        "2025-06-30",
        "NNOAAA",
        "diverse interview panels and anonymised shortlisting",
        "Introduce diverse interview panels and anonymised shortlisting for every social work manager post.",
    ),
    (
        "P5.06",
        2,
        False,
        HEAD_AA,
        "2026-03-31",
        "AAOOOA",
        "the caseload target",
        "Keep average caseloads at or below 15 per case-holding social worker, reviewed monthly by team managers.",
    ),
    (
        "P5.07",
        2,
        False,
        PSW,
        "2026-03-31",
        "....NO",
        "monthly reflective supervision",
        "Give every social worker monthly reflective supervision, recorded on the case management system.",
    ),
)
RISK_REASONS = (
    "of vacancies in the team delivering it",
    "we are waiting for partners to sign off the approach",
    "procurement is taking longer than planned",
    "the budget for next year is not yet confirmed",
    "staff time has gone on an inspection",
    "the data we need is not yet reliable",
)


def _update(
    subject: str, status: str, previous: str | None, progress: int, period: dt.date, rng: np.random.Generator
) -> str:
    """A plain-English progress note, as a lead would write it."""
    moved = f"Moved from {previous} to {status} this quarter. " if previous and previous != status else ""
    reason = RISK_REASONS[int(rng.integers(len(RISK_REASONS)))]
    next_q = periods.short_quarter_label(periods.shift_quarters(period, 1))
    if status == "Not started":
        text = f"Not started yet. Work on {subject} is planned to begin in {next_q}, once scope is agreed."
    elif status == "Complete":
        text = (
            f"Work on {subject} is complete. Impact will be checked through the quarterly audit and"
            " reported to the Board."
            if previous != "Complete"
            else "Complete. No further update; impact is monitored through routine reporting."
        )
    elif status == "At risk":
        text = (
            f"Work on {subject} is behind plan because {reason}. A recovery plan is agreed and the lead"
            f" will report back in {next_q}."
        )
    elif status == "Off track":
        text = (
            f"Work on {subject} has slipped because {reason}. This has been escalated to the Director of"
            " Children's Social Care for a decision on resources."
        )
    elif progress < 35:
        text = f"Early work on {subject} is under way: scope, milestones and measures of success are agreed."
    elif progress < 70:
        text = f"Work on {subject} is about {progress}% done and on schedule. Next step: test it with one team first."
    else:
        text = f"Work on {subject} is nearly complete; the lead is checking the final steps with the teams involved."
    return moved + text


def _action_plan(rng: np.random.Generator) -> dict[dt.date, list[tuple]]:
    plan_quarters = [q for q in QUARTERS if q >= ACTION_PLAN_START]
    out: dict[dt.date, list[tuple]] = {q: [] for q in plan_quarters}
    for action_id, objective, anti_racist, lead, due, codes, subject, text in ACTIONS:
        if len(codes) != len(plan_quarters):
            raise ValueError(f"{action_id}: {len(codes)} statuses for {len(plan_quarters)} quarters")
        priority = int(action_id[1])
        objective_text = catalogue.PRIORITIES[priority].objectives[objective]
        progress, previous = 0, None
        for q, code in zip(plan_quarters, codes, strict=True):
            if code == ".":
                continue
            status = STATUS_CODES[code]
            # Progress never goes backwards; stalled actions creep, on-track ones move 8-18 points a quarter.
            if status == "Not started":
                progress = 0
            elif status == "Complete":
                progress = 100
            elif status == "On track":
                progress = min(progress + int(rng.integers(8, 19)), 90)
            else:
                progress = min(progress + int(rng.integers(0, 9)), 90)
            update = _update(subject, status, previous, progress, q, rng)
            out[q].append(
                (
                    q,
                    priority,
                    objective_text,
                    action_id,
                    text,
                    lead,
                    dt.date.fromisoformat(due),
                    status,
                    progress,
                    anti_racist,
                    update,
                )
            )
            previous = status
    return out


# ==========================================================================================================
# 7. Assemble and write
# ==========================================================================================================


def _count_frame(day: dt.date, entries: list[tuple]) -> pd.DataFrame:
    # Rows in catalogue order: measure, then Total before its breakdowns in topic order.
    measure_order = {m: i for i, m in enumerate(catalogue.MEASURES)}
    entries = sorted(entries, key=lambda e: (measure_order[e[0]], e[1] != TOTAL))
    frame = pd.DataFrame(entries, columns=["measure", "breakdown_topic", "breakdown", "value", "symbol"])
    frame.insert(0, "period_end", pd.Timestamp(day))
    frame["value"] = frame["value"].astype("float64")
    frame["symbol"] = frame["symbol"].astype("object").where(frame["symbol"].notna(), None)
    return frame


def build_fixtures(reference: pd.DataFrame) -> dict[tuple[str, dt.date], pd.DataFrame]:
    """Every (dataset, quarter end) of the sample data, from the published reference. Deterministic (seed"
    " 2024)."""
    rng = np.random.default_rng(SEED)
    ref = _Reference(_normalise_reference(reference))
    rows = _Rows()
    cla = _care_population(ref, rows, rng)
    _placement_stability(ref, rows, rng, cla)
    _workforce(ref, rows, rng)
    from cpb_dash import fixtures_measures  # health, leaving care, children's voice: their own module and seed

    fixtures_measures.generate(rows, QUARTERS)
    out: dict[tuple[str, dt.date], pd.DataFrame] = {}
    for dataset in catalogue.COUNT_DATASETS:
        for q in QUARTERS:
            out[(dataset, q)] = _count_frame(q, rows.rows[(dataset, q)])

    for q, actions in _action_plan(rng).items():
        frame = pd.DataFrame(actions, columns=ACTION_COLUMNS)
        frame["period_end"] = pd.Timestamp(q)
        frame["due_date"] = pd.to_datetime(frame["due_date"])
        out[(catalogue.ACTION_PLAN, q)] = frame
    from cpb_dash import fixtures_notes  # officers' targets and commentary: no random numbers, so nothing else moves

    out.update(fixtures_notes.build())
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _to_table(frame: pd.DataFrame, dataset: str) -> pa.Table:
    schema = arrow_schema(dataset)
    arrays = []
    for field in schema:
        values = frame[field.name].tolist()
        if pa.types.is_date32(field.type):
            values = [periods.as_date(v) for v in values]
        elif pa.types.is_floating(field.type):
            values = [None if _missing(v) else float(v) for v in values]
        elif field.name in ("symbol", "rationale"):
            values = [None if _missing(v) else str(v) for v in values]
        arrays.append(pa.array(values, type=field.type))
    # Built from arrays, not from pandas: no pandas metadata, so the bytes depend only on the data.
    return pa.Table.from_arrays(arrays, schema=schema)


def parquet_bytes(frame: pd.DataFrame, dataset: str) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(_to_table(frame, dataset), buffer, compression="zstd")
    return buffer.getvalue()


def write_fixtures(data_dir: Path) -> list[Path]:
    """Write every sample snapshot as <data_dir>/<dataset>/<YYYY-MM-DD>/<sha256>.parquet; returns the paths.

    Replaces older files in each period folder it writes; leaves all else (benchmarks, store.sqlite) alone.
    """
    data_dir = Path(data_dir)
    written = []
    for (dataset, day), frame in build_fixtures(read_reference(REFERENCE_PATH)).items():
        data = parquet_bytes(frame, dataset)
        folder = data_dir / dataset / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{hashlib.sha256(data).hexdigest()}.parquet"
        for old in folder.glob("*.parquet"):
            if old != path:
                old.unlink()
        path.write_bytes(data)
        written.append(path)
    return written

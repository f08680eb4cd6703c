"""Workforce census intake: the DfE children's social work workforce census worker file -> a `workforce` snapshot.

The input is the census's worker-level table as the DfE specifies it (one row per worker and role, with the
census item names as headings: SWENo, AgencyWorker, FTE, OrgRole, RoleStartDate, RoleEndDate, ReasonLeave,
Ethnicity, Cases30, WorkingDaysLost), as CSV or .xlsx, or the census XML itself (Message > CSWWWorker), plus the
council's vacancy count (the census's LALevelVacancies item NumberOfVacancies, read from the XML when not given)
and the quarter end. One optional column of the council's own,
ServiceArea, gives the service-area breakdowns. Other columns (dates of birth, gender, qualifications) are never
read.

Definitions: DfE, "Children's social work workforce census: guide" and the statistics' methodology
(https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce), applied
to the quarter end instead of 30 September:
- in post: a worker whose role started on or before the date and has not ended by it (RoleEndDate empty or
  later); FTE in post and headcount count directly employed workers (AgencyWorker 0), each person once;
- agency workers: AgencyWorker 1, in post on the date, counted by FTE;
- leavers and starters: directly employed workers whose RoleEndDate (RoleStartDate) falls in the 12 months to
  the date, counted by their FTE; turnover is leavers FTE over FTE in post (the catalogue's indicator);
- vacancies: the council's own count of vacant FTE posts, whether or not covered by agency workers;
- cases: Cases30, the cases a worker in post holds on the date; case holders are the workers in post (directly
  employed and agency) holding one or more cases, counted by FTE;
- working days lost: WorkingDaysLost, days lost to sickness absence in the 12 months, by directly employed
  workers in post on the date.
Roles group OrgRole: 1 to 3 (senior, middle and first line managers) as Manager, 4 as Senior practitioner, 5 and 6
(case holder, qualified without cases) as Practitioner. Ethnicity codes are grouped into the DfE's major groups.

Privacy: worker rows are read in memory only and never stored, logged or written to a temporary file; messages
name a row by its number and never quote a worker's id.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from cpb_dash import periods
from cpb_dash.catalogue import ETHNICITIES, ROLES, SERVICE_AREAS, TOTAL
from cpb_dash.findings import ERROR, PASS, Collector, Finding, clean_label, finding, plural, quote, quote_list
from cpb_dash.safe_read import CsvTooMuch, csv_records
from cpb_dash.schema import truth

DATASET = "workforce"
MAX_BYTES = 60 * 1024 * 1024
MAX_ROWS = 50_000  # the largest council in England reports a few thousand workers
MAX_COLUMNS = 100  # a full census export has about 25 columns

# The census items read, as the DfE names them; ServiceArea is the council's own.
SWENO = "SWENo"
AGENCY = "AgencyWorker"
FTE = "FTE"
ORG_ROLE = "OrgRole"
START = "RoleStartDate"
END = "RoleEndDate"
REASON = "ReasonLeave"
ETHNICITY = "Ethnicity"
CASES = "Cases30"
DAYS_LOST = "WorkingDaysLost"
SERVICE_AREA = "ServiceArea"
REQUIRED_COLUMNS = (SWENO, AGENCY, FTE, ORG_ROLE, START, END, REASON, ETHNICITY, CASES, DAYS_LOST)
COLUMNS = (*REQUIRED_COLUMNS, SERVICE_AREA)

# OrgRole codes (census guide) -> the catalogue's roles.
ROLE_OF_ORG_ROLE = {
    1: "Manager",
    2: "Manager",
    3: "Manager",
    4: "Senior practitioner",
    5: "Practitioner",
    6: "Practitioner",
}
ORG_ROLE_NAMES = {
    1: "senior manager",
    2: "middle manager",
    3: "first line manager",
    4: "senior practitioner",
    5: "case holder",
    6: "qualified without cases",
}
REASON_CODES = range(1, 11)  # 1 resignation ... 9 not known, 10 not yet collected
# Ethnicity codes (DfE common basic data set) -> the DfE's major groups, as the catalogue names them. Chinese is
# counted with Asian, as in the DfE's publications since the 2021 Census groupings.
_WHITE, _MIXED, _ASIAN, _BLACK, _OTHER, _REFUSED = ETHNICITIES
ETHNIC_GROUP = {
    **dict.fromkeys(("WBRI", "WIRI", "WOTH", "WIRT", "WROM"), _WHITE),
    **dict.fromkeys(("MWBC", "MWBA", "MWAS", "MOTH"), _MIXED),
    **dict.fromkeys(("AIND", "APKN", "ABAN", "AOTH", "CHNE"), _ASIAN),
    **dict.fromkeys(("BCRB", "BAFR", "BOTH"), _BLACK),
    **dict.fromkeys(("OOTH", "ARAB"), _OTHER),
    **dict.fromkeys(("REFU", "NOBT"), _REFUSED),
}
DAYS_IN_YEAR_MAX = Decimal(366)
SNAPSHOT_HEADINGS = {"measure", "breakdown_topic", "breakdown", "value"}

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Worker:
    row: int  # 1-based data row, for messages
    person: str  # SWENo: used to count each person once, never shown
    agency: bool
    fte: Decimal
    role: str
    ethnicity: str
    start: dt.date | None
    end: dt.date | None
    cases: int
    days_lost: Decimal
    service_area: str | None


@dataclass
class CensusResult:
    """The derived snapshot (None if the file has errors), every finding, and what was counted."""

    file_name: str
    findings: list[Finding]
    frame: pd.DataFrame | None = None
    workers: int = 0  # rows read
    source_hash: str = ""  # SHA-256 of the uploaded bytes: recorded in the audit label, not the bytes
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def audit_label(self) -> str:
        """The 'file name' the audit log records for a publish: what it came from, never a worker's detail."""
        return f"Workforce census extract, {plural(self.workers, 'worker row')}, sha256 {self.source_hash[:16]}"


def derive_workforce(
    data: bytes, file_name: str, period_end: dt.date, vacancies_fte: float | None, today: dt.date | None = None
) -> CensusResult:
    """Read the worker file in memory and derive the workforce snapshot for `period_end`.

    `vacancies_fte` may be None for the census XML, which carries the council's count (NumberOfVacancies).
    """
    label = clean_label(file_name)
    data = bytes(data)
    result = CensusResult(label, [], source_hash=hashlib.sha256(data).hexdigest())
    say = Collector(label, result.findings)
    _check_period(say, period_end, today or dt.date.today())
    if looks_like_xml(data):
        records, read_findings, from_file = read_xml(data, label)
        if vacancies_fte is None and from_file is not None:
            vacancies_fte = from_file
    else:
        records, read_findings = read_table(data, label)
    _check_vacancies(say, vacancies_fte)
    result.findings += read_findings
    if records is None:
        return result
    workers = _workers(records, say)
    result.workers = len(records) - 1
    if workers is None or result.errors:
        return result
    frame, result.notes = _snapshot(workers, say, period_end, Decimal(str(vacancies_fte)))
    if not result.errors:
        result.frame = frame
    return result


# ---------------------------------------------------------------------------------------------------------------
# Reading: CSV or .xlsx, within caps, as rows of text
# ---------------------------------------------------------------------------------------------------------------


def read_table(data: bytes, file_name: str) -> tuple[list[list[str]] | None, list[Finding]]:
    """[headings, row, ...] as text from CSV or .xlsx bytes, or None and the findings saying why not."""
    from cpb_dash import safe_xlsx

    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [finding(file_name, rule, message)]

    if not data:
        return fail("file_size", "The file is empty (0 bytes). Export the census worker table again.")
    if len(data) > MAX_BYTES:
        return fail(
            "file_size",
            f"The file is over the {MAX_BYTES // (1024 * 1024)} MB limit; a census worker"
            " table is well under 5 MB. Check that this is the right file.",
        )
    if safe_xlsx.looks_like_xlsx(data) or safe_xlsx.looks_like_old_excel(data):
        return safe_xlsx.read_records(data, file_name, COLUMNS, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    if data[:4] == b"PAR1":
        return fail(
            "file_format",
            "This is a parquet file: a published snapshot, not the census worker table."
            " Publish a snapshot with 'python -m cpb_dash publish FILE --dataset workforce'.",
        )
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        line = body[: err.start].count(b"\n") + 1
        return fail(
            "encoding",
            f"The file is not UTF-8 text (line {line} has a character UTF-8 does not allow)."
            " In Excel, use Save As 'CSV UTF-8 (Comma delimited) (*.csv)', or upload the .xlsx file.",
        )
    if "\x00" in text[:65536]:
        return fail(
            "file_format",
            "This is neither CSV text nor an Excel workbook. Upload the census worker table as .csv (UTF-8) or .xlsx.",
        )
    try:  # the snapshot reader's bounded CSV records: row, record-length and cell-count caps
        raw, _blank = csv_records(text, MAX_ROWS)
    except CsvTooMuch as err:
        return fail(err.rule, err.message)
    except csv.Error as err:
        return fail("csv_shape", f"The CSV text cannot be read ({err}). Check for an unclosed quote mark.")
    records = [[cell.strip() for cell in record] for record in raw]
    if not records:
        return fail("csv_shape", "The file has no heading row and no data.")
    if len(records[0]) > MAX_COLUMNS:
        return fail("column_limit", f"The file has {len(records[0]):,} columns; at most {MAX_COLUMNS} are read.")
    message = f"CSV text with {plural(len(records) - 1, 'row')} under the heading row."
    return records, [finding(file_name, "csv_shape", message, level=PASS)]


def looks_like_xml(data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") or head.startswith(b"<Message")


def read_xml(data: bytes, file_name: str) -> tuple[list[list[str]] | None, list[Finding], float | None]:
    """The census XML as the DfE specifies it (Message > LALevelVacancies, CSWWWorker...): [headings, rows] as
    text, the findings, and NumberOfVacancies if given. Parsed by defusedxml: no DTD, no entities."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    def fail(message: str) -> tuple[None, list[Finding], None]:
        return None, [finding(file_name, "census_xml", message)], None

    if len(data) > MAX_BYTES:
        return fail(f"The file is over the {MAX_BYTES // (1024 * 1024)} MB limit. Check that this is the right file.")
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return fail(
            "The XML declares a DOCTYPE or entities, which the census XML never has; it was not read. Export"
            " the census file again."
        )
    except ElementTree.ParseError as err:
        return fail(f"The XML cannot be read ({err}). Export the census file again, whole.")
    if _local(root.tag) != "Message":
        return fail(
            f"The XML's root is {quote(_local(root.tag))}, not the census's 'Message'. Upload the children's"
            " social work workforce census XML, or the worker table as .xlsx or CSV."
        )
    workers = [w for w in root if _local(w.tag) == "CSWWWorker"]
    if len(workers) > MAX_ROWS:
        return fail(f"The XML holds more than {MAX_ROWS:,} workers; check that this is the right file.")
    rows = [[cell for cell in (_child_text(w, name) for name in COLUMNS)] for w in workers]
    vacancies = None
    for block in root:
        if _local(block.tag) == "LALevelVacancies":
            text = _child_text(block, "NumberOfVacancies")
            number = _decimal(text) if text else None
            vacancies = float(number) if number is not None else None
    if not workers:
        return fail("The XML has no CSWWWorker records: no worker to count.")
    # The DfE's XML has no ServiceArea (a council may add it): without it, Totals and roles only.
    columns = REQUIRED_COLUMNS + ((SERVICE_AREA,) if any(_has_child(w, SERVICE_AREA) for w in workers) else ())
    records = [list(columns)] + [row[: len(columns)] for row in rows]
    message = f"The census XML: {plural(len(workers), 'CSWWWorker record')}" + (
        f", NumberOfVacancies {vacancies:g}." if vacancies is not None else "."
    )
    return records, [finding(file_name, "census_xml", message, level=PASS)], vacancies


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _has_child(element, name: str) -> bool:
    return any(_local(child.tag) == name for child in element)


# ---------------------------------------------------------------------------------------------------------------
# Checking each worker row
# ---------------------------------------------------------------------------------------------------------------


def _key(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def _workers(records: list[list[str]], say: Collector) -> list[Worker] | None:
    headings = records[0]
    keys = [_key(h) for h in headings]
    say.bind("census_columns")
    if SNAPSHOT_HEADINGS <= {h.strip() for h in headings}:
        say.error(
            "This file looks like a workforce snapshot (measure, breakdown_topic, breakdown, value), not the census"
            " worker table. Publish a snapshot on the Upload page, or with 'python -m cpb_dash publish FILE"
            " --dataset workforce'."
        )
        return None
    position = {}
    for name in COLUMNS:
        if _key(name) in keys:
            position[name] = keys.index(_key(name))
    missing = [c for c in REQUIRED_COLUMNS if c not in position]
    if missing:
        say.error(
            f"The census worker table must have the columns {quote_list(missing)}, named as in the DfE's census"
            f" guide; {'it is' if len(missing) == 1 else 'they are'} missing. The headings found are"
            f" {quote_list(headings[:15])}{' and more' if len(headings) > 15 else ''}. Export the worker table"
            f" with the census item names ({', '.join(REQUIRED_COLUMNS)}; optionally {SERVICE_AREA})."
        )
        return None
    problems: dict[tuple[str, str], list[int]] = defaultdict(list)  # (column, message) -> data rows (0-based)
    workers: list[Worker] = []
    for index, record in enumerate(records[1:]):

        def cell(name: str, record: list[str] = record) -> str:
            at = position.get(name)
            return record[at].strip() if at is not None and at < len(record) else ""

        def bad(name: str, message: str, index: int = index) -> None:
            problems[(name, message)].append(index)

        person = cell(SWENO)
        if not person:
            bad(
                SWENO,
                "The worker's SWENo (Social Work England registration number, or the council's own worker"
                " id) is empty. Every row needs one.",
            )
        agency_text = cell(AGENCY).lower()
        agency = truth(agency_text)
        if agency is None:
            bad(AGENCY, f"AgencyWorker must be 0 (directly employed) or 1 (agency), not {quote(cell(AGENCY))}.")
        fte = _decimal(cell(FTE))
        if fte is None or not Decimal(0) < fte <= Decimal(1):
            bad(FTE, f"FTE must be a number above 0 and at most 1 (0.5 for half time), not {quote(cell(FTE))}.")
        org_role = _whole(cell(ORG_ROLE))
        if org_role not in ROLE_OF_ORG_ROLE:
            bad(
                ORG_ROLE,
                f"OrgRole must be a census role code, 1 to 6, not {quote(cell(ORG_ROLE))}: "
                + "; ".join(f"{k} {v}" for k, v in ORG_ROLE_NAMES.items())
                + ".",
            )
        ethnicity_code = cell(ETHNICITY).upper()
        if ethnicity_code and ethnicity_code not in ETHNIC_GROUP:
            bad(
                ETHNICITY,
                f"Ethnicity {quote(cell(ETHNICITY))} is not a DfE ethnicity code. Accepted: "
                + ", ".join(ETHNIC_GROUP)
                + " (leave it empty if not yet obtained).",
            )
        start, start_ok = _date(cell(START))
        end, end_ok = _date(cell(END))
        if not start_ok:
            bad(START, f"RoleStartDate {quote(cell(START))} is not a date: write it as 2024-09-30 or 30/09/2024.")
        if not end_ok:
            bad(END, f"RoleEndDate {quote(cell(END))} is not a date: write it as 2024-09-30 or 30/09/2024.")
        if start is None and start_ok and agency is False:
            bad(START, "RoleStartDate is empty for a directly employed worker: give the date they started the role.")
        if start and end and end < start:
            bad(END, "RoleEndDate is before RoleStartDate: correct one of the two dates.")
        reason = cell(REASON)
        if end and not reason:
            bad(
                REASON,
                "ReasonLeave is empty for a worker with a RoleEndDate: give the census reason code (1 to"
                " 10; 9 if not known).",
            )
        elif reason and _whole(reason) not in REASON_CODES:
            bad(REASON, f"ReasonLeave must be a census code from 1 to 10, not {quote(reason)}.")
        cases = _whole(cell(CASES)) if cell(CASES) else 0
        if cases is None or cases < 0:
            bad(CASES, f"Cases30 must be a whole number of cases, 0 or more (empty means 0), not {quote(cell(CASES))}.")
        days = _decimal(cell(DAYS_LOST)) if cell(DAYS_LOST) else Decimal(0)
        if days is None or not Decimal(0) <= days <= DAYS_IN_YEAR_MAX:
            bad(
                DAYS_LOST,
                f"WorkingDaysLost must be a number of days from 0 to 366 (empty means 0), not"
                f" {quote(cell(DAYS_LOST))}.",
            )
        area = cell(SERVICE_AREA) or None
        if SERVICE_AREA in position and area not in SERVICE_AREAS:
            hint = next((f" Did you mean {quote(a)}?" for a in SERVICE_AREAS if area and _key(a) == _key(area)), "")
            bad(
                SERVICE_AREA,
                f"ServiceArea {quote(area or '')} is not one of the council's service areas.{hint}"
                f" Accepted: {quote_list(SERVICE_AREAS)}.",
            )
        if any(index in rows for rows in problems.values()):
            continue
        workers.append(
            Worker(
                row=index + 1,
                person=person,
                agency=bool(agency),
                fte=fte,
                role=ROLE_OF_ORG_ROLE[org_role],
                ethnicity=ETHNIC_GROUP.get(ethnicity_code, _REFUSED),
                start=start,
                end=end,
                cases=int(cases),
                days_lost=days,
                service_area=area,
            )
        )
    say.bind("census_value")
    for (column, message), rows in list(problems.items())[:30]:
        say.error(message, rows, column=column)
    if len(problems) > 30:
        say.error(f"And {len(problems) - 30} more problems of these kinds: correct those above first.")
    if problems:
        return None
    ignored = [h for h, k in zip(headings, keys, strict=True) if k not in {_key(c) for c in COLUMNS}]
    say.passed(
        f"Every one of the {plural(len(workers), 'worker row')} has a valid SWENo, AgencyWorker, FTE, OrgRole,"
        " dates, ReasonLeave, Ethnicity, Cases30 and WorkingDaysLost."
        + (f" {plural(len(ignored), 'other column')} not read." if ignored else "")
    )
    return workers


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _whole(text: str) -> int | None:
    value = _decimal(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def _date(text: str) -> tuple[dt.date | None, bool]:
    """(date or None, whether the text was empty or a date)."""
    if not text:
        return None, True
    try:
        if match := ISO_DATE.match(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3])), True
        if match := UK_DATE.match(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1])), True
    except ValueError:
        pass
    return None, False


def _check_period(say: Collector, period_end: dt.date, today: dt.date) -> None:
    if not periods.is_quarter_end(period_end):
        say.bind("period_quarter_end").error(
            f"{quote(period_end.isoformat())} is not the end of a quarter: give 30 June, 30 September,"
            " 31 December or 31 March, such as 2025-09-30."
        )
    elif period_end > today:
        say.bind("period_future").error(
            f"{quote(period_end.isoformat())} is in the future: figures can be published for a quarter"
            f" that has ended, up to {periods.latest_complete_quarter_end(today).isoformat()}."
        )
    else:
        say.bind("period_quarter_end").passed(f"The snapshot is for {periods.quarter_label(period_end)}.")


def _check_vacancies(say: Collector, vacancies_fte: float | None) -> None:
    say.bind("vacancies")
    if vacancies_fte is None:
        say.error(
            "Give the council's vacant social worker posts on the date (FTE): --vacancies N on the"
            " command line, or the box on the Upload page. (The census XML carries it as"
            " NumberOfVacancies.)"
        )
    elif not isinstance(vacancies_fte, int | float) or vacancies_fte != vacancies_fte or not 0 <= vacancies_fte < 1e5:
        say.error(f"The vacancy count must be the FTE of vacant posts, 0 or more, not {quote(vacancies_fte)}.")
    else:
        say.passed(f"Vacancies: {vacancies_fte:g} FTE.")


# ---------------------------------------------------------------------------------------------------------------
# Deriving the snapshot
# ---------------------------------------------------------------------------------------------------------------


def _in_post(worker: Worker, day: dt.date) -> bool:
    return (worker.start is None or worker.start <= day) and (worker.end is None or worker.end > day)


def _in_year_to(when: dt.date | None, day: dt.date) -> bool:
    """In the 12 months to `day`: after the same date a year earlier, up to and including `day`."""
    if when is None:
        return False
    try:
        year_before = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        year_before = day.replace(year=day.year - 1, day=28)
    return year_before < when <= day


def _snapshot(
    workers: list[Worker], say: Collector, day: dt.date, vacancies: Decimal
) -> tuple[pd.DataFrame | None, list[str]]:
    employed_in_post = [w for w in workers if not w.agency and _in_post(w, day)]
    agency_in_post = [w for w in workers if w.agency and _in_post(w, day)]
    seen: dict[str, int] = {}
    twice: list[int] = []
    for worker in employed_in_post:
        if worker.person in seen:
            twice += [seen[worker.person] - 1, worker.row - 1]
        seen.setdefault(worker.person, worker.row)
    if twice:
        say.bind("census_duplicate", SWENO).error(
            f"The same SWENo is in post on {day.isoformat()} in more than one row. Give one row per worker in"
            " post (a worker with two part-time roles: one row, with the FTEs added).",
            twice,
        )
        return None, []
    if not employed_in_post:
        say.bind("census_in_post").error(
            f"No directly employed worker is in post on {day.isoformat()} (RoleStartDate on or before it,"
            " and RoleEndDate empty or after it). Check --period, or that the file is the worker table for"
            " that date."
        )
        return None, []
    leavers = [w for w in workers if not w.agency and _in_year_to(w.end, day)]
    starters = [w for w in workers if not w.agency and _in_year_to(w.start, day)]
    case_holders = [w for w in employed_in_post + agency_in_post if w.cases > 0]
    later = sum(1 for w in workers if w.start and w.start > day)

    rows: list[tuple[str, str, str, Decimal]] = []
    by_area = any(w.service_area for w in workers)

    def add(measure: str, chosen: list[Worker], amount) -> None:
        rows.append((measure, TOTAL, TOTAL, sum((amount(w) for w in chosen), Decimal(0))))
        if by_area:
            for area in SERVICE_AREAS:
                part = sum((amount(w) for w in chosen if w.service_area == area), Decimal(0))
                rows.append((measure, "Service area", area, part))

    add("inpost_fte", employed_in_post, lambda w: w.fte)
    add("inpost_headcount", employed_in_post, lambda w: Decimal(1))
    for role in ROLES:
        rows.append(("inpost_headcount", "Role", role, Decimal(sum(w.role == role for w in employed_in_post))))
    for role in ROLES:
        for group in ETHNICITIES:
            count = sum(w.role == role and w.ethnicity == group for w in employed_in_post)
            rows.append(("inpost_headcount", "Role and ethnicity", f"{role}: {group}", Decimal(count)))
    add("agency_fte", agency_in_post, lambda w: w.fte)
    rows.append(("vacancy_fte", TOTAL, TOTAL, vacancies))
    add("leavers_fte_12m", leavers, lambda w: w.fte)
    add("starters_fte_12m", starters, lambda w: w.fte)
    add("cases", case_holders, lambda w: Decimal(w.cases))
    add("case_holders_fte", case_holders, lambda w: w.fte)
    add("working_days_lost_12m", employed_in_post, lambda w: w.days_lost)

    frame = pd.DataFrame(
        {
            "period_end": pd.Timestamp(day),
            "measure": [r[0] for r in rows],
            "breakdown_topic": [r[1] for r in rows],
            "breakdown": [r[2] for r in rows],
            "value": [float(r[3].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for r in rows],
            "symbol": pd.Series([None] * len(rows), dtype=object),
        }
    )
    notes = [
        f"{plural(len(employed_in_post), 'directly employed worker')} and"
        f" {plural(len(agency_in_post), 'agency worker')} in post on {periods.long_date(day)};"
        f" {plural(len(leavers), 'leaver')} and {plural(len(starters), 'starter')} in the 12 months to it.",
    ]
    if later:
        notes.append(
            f"{plural(later, 'row')} with a RoleStartDate after {day.isoformat()} not counted (they"
            " started after the quarter)."
        )
    if not by_area:
        notes.append(f"No {SERVICE_AREA} column: Totals and roles only, no service-area breakdowns.")
    say.bind("census_derived").passed(
        f"Derived {plural(len(frame), 'snapshot row')} by the DfE census definitions. " + " ".join(notes)
    )
    return frame, notes


def snapshot_bytes(frame: pd.DataFrame) -> bytes:
    """The derived snapshot as parquet in the contract's schema: the bytes the ordinary publishing path checks."""
    from cpb_dash.store import encode_snapshot

    return encode_snapshot(frame, DATASET)

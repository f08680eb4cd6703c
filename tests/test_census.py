"""The workforce census intake: small hand-built worker tables, each figure worked out by hand from the DfE's
definitions; bad tables refused with a message naming the column and row and never a worker's id; the command
line publishes through the ordinary path and nothing else; the committed sample derives near the sample snapshot."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cpb_dash.intake.census import COLUMNS, derive_workforce
from cpb_dash.intake.census_sample import sample_csv
from cpb_dash.store import Store
from tests.conftest import FIXTURES, ROOT

PERIOD = dt.date(2025, 9, 30)
TODAY = dt.date(2025, 11, 1)
SAMPLE = FIXTURES / "census" / "workforce_census_sample.csv"


def table(*workers: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """A census worker table as CSV; each worker gives only what differs from a full-time practitioner."""
    base = {
        "AgencyWorker": "0",
        "FTE": "1",
        "OrgRole": "5",
        "RoleStartDate": "2020-01-01",
        "RoleEndDate": "",
        "ReasonLeave": "",
        "Ethnicity": "WBRI",
        "Cases30": "0",
        "WorkingDaysLost": "0",
        "ServiceArea": "Access and Assessment",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for number, worker in enumerate(workers, start=1):
        writer.writerow({**base, "SWENo": f"ZZ{number:010d}", **worker})
    return buffer.getvalue().encode("utf-8")


def derive(data: bytes, vacancies: float = 0, period: dt.date = PERIOD, name: str = "census.csv"):
    return derive_workforce(data, name, period, vacancies, today=TODAY)


def value(frame: pd.DataFrame, measure: str, topic: str = "Total", breakdown: str = "Total") -> float:
    row = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == topic) & (frame["breakdown"] == breakdown)]
    assert len(row) == 1, (measure, topic, breakdown)
    return float(row["value"].iloc[0])


# -- known answers --


def test_in_post_counts_fte_and_people_directly_employed_on_the_date():
    result = derive(
        table(
            {},  # full time, in post
            {"FTE": "0.6"},  # part time
            {"RoleStartDate": "2025-09-30"},  # started on the date: in post
            {"RoleStartDate": "2025-10-01"},  # started the day after: not yet
            {"RoleEndDate": "2025-09-30", "ReasonLeave": "1"},  # left on the date: no longer in post
            {"AgencyWorker": "1", "FTE": "0.5"},  # agency: not in post FTE
        )
    )
    assert result.errors == [], result.errors
    frame = result.frame
    assert value(frame, "inpost_fte") == 2.6
    assert value(frame, "inpost_headcount") == 3
    assert value(frame, "agency_fte") == 0.5
    assert value(frame, "inpost_fte", "Service area", "Access and Assessment") == 2.6


def test_leavers_and_starters_in_the_12_months_to_the_date():
    result = derive(
        table(
            {"RoleEndDate": "2025-09-30", "ReasonLeave": "1", "FTE": "0.8"},  # last day of the window: a leaver
            {"RoleEndDate": "2024-10-01", "ReasonLeave": "5"},  # first day of the window: a leaver
            {"RoleEndDate": "2024-09-30", "ReasonLeave": "1"},  # a day before the window: not
            {"RoleEndDate": "2025-10-15", "ReasonLeave": "1"},  # after the date: in post, not a leaver
            {"RoleStartDate": "2024-10-01"},  # starter
            {"RoleStartDate": "2024-09-30"},  # a day too early: not a starter
            {"AgencyWorker": "1", "RoleStartDate": "2025-01-01"},  # agency: never a starter
            {"AgencyWorker": "1", "RoleEndDate": "2025-06-01", "ReasonLeave": "9"},  # nor a leaver
        )
    )
    assert result.errors == [], result.errors
    assert value(result.frame, "leavers_fte_12m") == 1.8
    assert value(result.frame, "starters_fte_12m") == 1
    # in post: the October leaver and the two starters (the agency ones are not directly employed)
    assert value(result.frame, "inpost_headcount") == 3


def test_cases_and_case_holders_include_agency_workers_holding_cases():
    result = derive(
        table(
            {"Cases30": "18"},
            {"Cases30": "9", "FTE": "0.5", "ServiceArea": "Fostering and Adoption"},
            {"Cases30": "0", "OrgRole": "3"},  # a manager holding no cases
            {"AgencyWorker": "1", "Cases30": "20"},
            {"Cases30": "30", "RoleEndDate": "2025-08-01", "ReasonLeave": "1"},  # left: holds none now
        )
    )
    assert result.errors == [], result.errors
    frame = result.frame
    assert value(frame, "cases") == 47
    assert value(frame, "case_holders_fte") == 2.5
    assert value(frame, "cases", "Service area", "Fostering and Adoption") == 9
    assert value(frame, "case_holders_fte", "Service area", "Access and Assessment") == 2


def test_working_days_lost_by_directly_employed_workers_in_post():
    result = derive(
        table(
            {"WorkingDaysLost": "12.5"},
            {"WorkingDaysLost": "3", "FTE": "0.5"},
            {"WorkingDaysLost": ""},  # empty: none lost
            {"AgencyWorker": "1", "WorkingDaysLost": "40"},  # agency absence is not counted
        )
    )
    assert result.errors == [], result.errors
    assert value(result.frame, "working_days_lost_12m") == 15.5


def test_vacancies_are_the_councils_count_and_roles_and_ethnicity_group_the_census_codes():
    result = derive(
        table(
            {"OrgRole": "1", "Ethnicity": "BAFR"},
            {"OrgRole": "3", "Ethnicity": "BCRB"},
            {"OrgRole": "4", "Ethnicity": "CHNE"},
            {"OrgRole": "5", "Ethnicity": ""},
            {"OrgRole": "6", "Ethnicity": "MWBC"},
        ),
        vacancies=12.5,
    )
    frame = result.frame
    assert value(frame, "vacancy_fte") == 12.5
    assert value(frame, "inpost_headcount", "Role", "Manager") == 2
    assert value(frame, "inpost_headcount", "Role", "Senior practitioner") == 1
    assert value(frame, "inpost_headcount", "Role", "Practitioner") == 2
    black = "Black, African, Caribbean or Black British"
    assert value(frame, "inpost_headcount", "Role and ethnicity", f"Manager: {black}") == 2
    assert value(frame, "inpost_headcount", "Role and ethnicity", "Senior practitioner: Asian or Asian British") == 1
    assert (
        value(frame, "inpost_headcount", "Role and ethnicity", "Practitioner: Refused or information not yet available")
        == 1
    )
    assert value(frame, "inpost_headcount", "Role and ethnicity", "Practitioner: Mixed or Multiple ethnic groups") == 1


def test_without_a_service_area_column_only_totals_and_roles():
    result = derive(table({}, {}, columns=COLUMNS[:-1]))
    assert result.errors == []
    assert set(result.frame["breakdown_topic"]) == {"Total", "Role", "Role and ethnicity"}
    assert any("No ServiceArea column" in n for n in result.notes)


def test_headings_match_whatever_their_case_and_spacing_and_other_columns_are_not_read():
    data = table({"Cases30": "4"}).replace(b"Cases30", b"cases 30").replace(b"SWENo,", b"sweno,")
    extra = data.replace(b"\n", b",1980-01-01\n", 1).replace(b"ServiceArea,", b"ServiceArea,")
    result = derive(extra.replace(b"ServiceArea\n", b"ServiceArea,PersonBirthDate\n"))
    assert result.errors == [], result.errors
    assert value(result.frame, "cases") == 4


def test_the_derived_snapshot_passes_the_contract():
    from cpb_dash.contract import validate_frame

    result = derive(SAMPLE.read_bytes(), vacancies=66)
    findings = validate_frame(result.frame, "workforce", "derived", today=TODAY)
    assert [f for f in findings if f.level == "error"] == []
    assert not [f for f in findings if f.rule == "breakdown_sum" and f.level != "pass"]


def test_the_committed_sample_is_the_generators_and_sits_near_the_sample_snapshot():
    assert SAMPLE.read_bytes() == sample_csv(), "rebuild: python -m cpb_dash.intake.census_sample " + str(SAMPLE)
    frame = derive(SAMPLE.read_bytes(), vacancies=66).frame
    published = pd.read_parquet(next((FIXTURES / "workforce" / "2025-09-30").glob("*.parquet")))
    for measure in (
        "inpost_fte",
        "inpost_headcount",
        "agency_fte",
        "leavers_fte_12m",
        "starters_fte_12m",
        "cases",
        "case_holders_fte",
        "working_days_lost_12m",
    ):
        mine, theirs = value(frame, measure), value(published, measure)
        assert abs(mine - theirs) <= 0.1 * theirs, (measure, mine, theirs)
    ids = [r["SWENo"] for r in csv.DictReader(io.StringIO(SAMPLE.read_text()))]
    assert all(i.startswith("ZZ") for i in ids) and len(set(ids)) == len(ids)


def test_an_xlsx_census_table_gives_the_same_snapshot_as_its_csv():
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text())))
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active["A1"] = "Census return 2025"
    sheet = book.create_sheet("Workers")
    for row in rows:
        sheet.append([float(c) if c.replace(".", "").isdigit() and not c.startswith("ZZ") else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = derive(buffer.getvalue(), vacancies=66, name="census.xlsx").frame
    from_csv = derive(SAMPLE.read_bytes(), vacancies=66).frame
    pd.testing.assert_frame_equal(from_xlsx, from_csv)


# -- bad tables: a message naming the column and row, never a worker's id --


@pytest.mark.parametrize(
    ("worker", "column", "says"),
    [
        ({"AgencyWorker": "maybe"}, "AgencyWorker", "0 (directly employed) or 1 (agency)"),
        ({"FTE": "1.5"}, "FTE", "at most 1"),
        ({"FTE": "0"}, "FTE", "above 0"),
        ({"OrgRole": "7"}, "OrgRole", "1 to 6"),
        ({"Ethnicity": "WHITE"}, "Ethnicity", "not a DfE ethnicity code"),
        ({"RoleStartDate": "31/02/2024"}, "RoleStartDate", "not a date"),
        ({"RoleStartDate": ""}, "RoleStartDate", "empty for a directly employed worker"),
        ({"RoleEndDate": "2019-01-01", "ReasonLeave": "1"}, "RoleEndDate", "before RoleStartDate"),
        ({"RoleEndDate": "2025-01-01"}, "ReasonLeave", "ReasonLeave is empty"),
        ({"Cases30": "-2"}, "Cases30", "0 or more"),
        ({"WorkingDaysLost": "400"}, "WorkingDaysLost", "0 to 366"),
        ({"ServiceArea": "access and assessment"}, "ServiceArea", "Did you mean 'Access and Assessment'?"),
        ({"SWENo": ""}, "SWENo", "is empty"),
    ],
)
def test_a_bad_value_is_named_with_its_column_and_row(worker, column, says):
    result = derive(table({}, {}, worker))
    assert result.frame is None
    (error,) = result.errors
    assert error.column == column and error.row == 3 and says in error.message, error
    assert "ZZ0000000003" not in error.message


def test_a_worker_in_post_twice_is_refused_without_quoting_the_id():
    result = derive(table({}, {}).replace(b"ZZ0000000002", b"ZZ0000000001"))
    (error,) = result.errors
    assert error.rule == "census_duplicate" and error.row == "rows 1, 2"
    assert "ZZ0000000001" not in error.message


def test_missing_columns_are_named_and_a_snapshot_is_recognised():
    result = derive(table({}, columns=tuple(c for c in COLUMNS if c not in ("FTE", "OrgRole"))))
    (error,) = result.errors
    assert "'FTE', 'OrgRole'" in error.message
    snapshot = b"period_end,measure,breakdown_topic,breakdown,value,symbol\n2025-09-30,cases,Total,Total,4,\n"
    (error,) = derive(snapshot).errors
    assert "looks like a workforce snapshot" in error.message


@pytest.mark.parametrize(
    ("period", "vacancies", "says"),
    [
        (dt.date(2025, 8, 31), 0, "not the end of a quarter"),
        (dt.date(2025, 12, 31), 0, "in the future"),
        (PERIOD, -1, "0 or more"),
    ],
)
def test_a_bad_period_or_vacancy_count(period, vacancies, says):
    result = derive(table({}), vacancies=vacancies, period=period)
    assert result.frame is None and any(says in e.message for e in result.errors), result.errors


def test_nobody_in_post_on_the_date():
    result = derive(table({"RoleStartDate": "2025-10-05"}))
    assert result.frame is None and "No directly employed worker is in post" in result.errors[0].message


# -- the command line --


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "src"), "CPB_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "cpb_dash", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    import shutil

    dest = tmp_path / "data"
    shutil.copytree(FIXTURES, dest)
    return dest


def test_cli_previews_then_publishes_with_the_source_in_the_audit_log_and_no_worker_anywhere(data_dir, tmp_path):
    census = tmp_path / "census.csv"
    census.write_bytes(SAMPLE.read_bytes())
    before = tree(data_dir)
    preview = run_cli(
        data_dir,
        "import-census",
        str(census),
        "--vacancies",
        "66",
        "--period",
        "2025-09-30",
        "--by",
        "hr@hackney.gov.uk",
    )
    assert preview.returncode == 0, preview.stderr
    assert "Nothing was published (a preview)" in preview.stdout
    assert tree(data_dir) == before
    published = run_cli(
        data_dir,
        "import-census",
        str(census),
        "--vacancies",
        "66",
        "--period",
        "2025-09-30",
        "--by",
        "hr@hackney.gov.uk",
        "--publish",
        "--confirm-warnings",
    )
    assert published.returncode == 0, published.stdout + published.stderr
    store = Store(data_dir)
    history = store.history("workforce")
    latest = history[history["period_end"] == "2025-09-30"].iloc[0]
    assert latest["file_name"].startswith("Workforce census extract, 291 worker rows, sha256 ")
    assert latest["published_by"] == "hr@hackney.gov.uk"
    frame = store.read_current("workforce")
    assert value(frame[frame["period_end"] == "2025-09-30"], "vacancy_fte") == 66
    # No worker id reached the store, the database or what was printed.
    some_ids = [b"ZZ0000000001", b"ZZ0000000150", b"ZZ0000000291"]
    for path, content in tree(data_dir).items():
        if not path.startswith("census/"):  # the sample input itself, copied with the fixtures
            assert not any(i in content for i in some_ids), path
    assert not any(i.decode() in preview.stdout + published.stdout + published.stderr for i in some_ids)


def test_cli_refuses_a_bad_table_and_changes_nothing(data_dir, tmp_path):
    census = tmp_path / "census.csv"
    census.write_bytes(table({}, {"FTE": "2"}))
    before = tree(data_dir)
    result = run_cli(
        data_dir,
        "import-census",
        str(census),
        "--vacancies",
        "3",
        "--period",
        "2025-09-30",
        "--by",
        "hr@hackney.gov.uk",
        "--publish",
    )
    assert result.returncode == 1
    assert "FTE must be a number above 0 and at most 1" in result.stdout
    assert "Nothing was published" in result.stderr
    assert "ZZ0000000002" not in result.stdout + result.stderr
    assert tree(data_dir) == before


# -- the census XML, as the DfE specifies it --


def census_xml(with_area: bool = False, vacancies: str | None = "66.00", doctype: str = "") -> bytes:
    """The sample as the census's XML: Header, LALevelVacancies, one CSWWWorker per row, empty items left out."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<Message><Header><CollectionDetails>'
        "<Collection>CSWW</Collection><Year>2025</Year><ReferenceDate>2025-09-30</ReferenceDate>"
        "</CollectionDetails></Header>"
    ]
    if vacancies is not None:
        parts.append(
            f"<LALevelVacancies><NumberOfVacancies>{vacancies}</NumberOfVacancies><NoAgencyFTE>53.00"
            "</NoAgencyFTE><NoAgencyHeadcount>53</NoAgencyHeadcount></LALevelVacancies>"
        )
    for row in csv.DictReader(io.StringIO(SAMPLE.read_text())):
        items = "".join(f"<{k}>{v}</{k}>" for k, v in row.items() if v and (with_area or k != "ServiceArea"))
        parts.append(f"<CSWWWorker><PersonBirthDate>1980-01-01</PersonBirthDate>{items}</CSWWWorker>")
    parts.append("</Message>")
    return "".join(parts).encode("utf-8")


def test_the_census_xml_gives_the_same_totals_with_its_own_vacancy_count():
    from_xml = derive(census_xml(), vacancies=None, name="csww.xml")
    assert from_xml.errors == [], from_xml.errors
    from_csv = derive(SAMPLE.read_bytes(), vacancies=66).frame
    totals = from_csv[from_csv["breakdown_topic"].isin(["Total", "Role", "Role and ethnicity"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_xml.frame, totals)
    with_area = derive(census_xml(with_area=True), vacancies=None, name="csww.xml").frame
    pd.testing.assert_frame_equal(with_area, from_csv)


def test_the_vacancy_count_given_overrides_the_xmls_and_one_is_needed():
    assert value(derive(census_xml(), vacancies=70, name="csww.xml").frame, "vacancy_fte") == 70
    result = derive(census_xml(vacancies=None), vacancies=None, name="csww.xml")
    assert result.frame is None and "Give the council's vacant social worker posts" in result.errors[0].message


def test_an_xml_with_entities_or_another_root_is_refused():
    bomb = '<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    result = derive(census_xml(doctype=bomb), name="csww.xml")
    assert result.frame is None and "declares a DOCTYPE or entities" in result.errors[0].message
    result = derive(b'<?xml version="1.0"?><Children><Child/></Children>', name="cin.xml")
    assert "not the census's 'Message'" in result.errors[0].message


def test_cli_takes_the_census_xml_without_vacancies(data_dir, tmp_path):
    census = tmp_path / "csww.xml"
    census.write_bytes(census_xml())
    result = run_cli(data_dir, "import-census", str(census), "--period", "2025-09-30", "--by", "hr@hackney.gov.uk")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NumberOfVacancies 66" in result.stdout and "Nothing was published (a preview)" in result.stdout

"""Excel uploads: a real workbook reads as its CSV would; hostile or unreadable ones are refused, unexpanded and
with a message saying what to do, through the reader and the command line, and the store is left unchanged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cpb_dash import cli
from cpb_dash.safe_read import read_snapshot, validate_file
from cpb_dash.safe_xlsx import read_records
from cpb_dash.store import Store, content_hash
from tests.contract_helpers import PERIOD, TODAY, care_population, csv_bytes, errors, one, parquet_bytes
from tests.xlsx_helpers import (
    edited,
    with_cached_formula,
    with_entity_bomb,
    with_macros,
    with_zip_bomb,
    workbook_bytes,
)

OFFICER = "officer@hackney.gov.uk"


def messages(findings) -> str:
    return " ".join(f.message for f in findings)


def test_a_workbook_reads_as_its_csv_does():
    from_xlsx, xlsx_findings = read_snapshot(workbook_bytes(care_population()), "care_population", "q2.xlsx")
    from_csv, _ = read_snapshot(csv_bytes(care_population()), "care_population", "q2.csv")
    assert errors(xlsx_findings) == []
    assert from_xlsx.equals(from_csv)
    assert errors(validate_file(workbook_bytes(care_population()), "care_population", "q2.xlsx", today=TODAY)) == []


def test_the_sheet_is_found_by_its_headings_below_a_title_and_behind_other_sheets():
    data = workbook_bytes(
        care_population(),
        sheet="Figures",
        above=[["Care population, Q2 2025-26"], []],
        before_sheets=("Read me", "Chart"),
    )
    frame, findings = read_snapshot(data, "care_population", "q2.xlsx")
    assert errors(findings) == []
    assert len(frame) == len(care_population())
    said = one(findings, "xlsx_sheet", "pass").message
    assert "'Figures', headings on row 3" in said and "'Read me'" in said


def test_dates_typed_as_text_in_british_order_are_read():
    frame = care_population().assign(period_end="30/09/2025")
    read, findings = read_snapshot(workbook_bytes(frame), "care_population", "q2.xlsx")
    assert errors(findings) == [] and str(read["period_end"].iloc[0].date()) == "2025-09-30"


def test_a_formula_is_read_as_its_last_calculated_value_never_run():
    data = with_cached_formula(workbook_bytes(care_population()), cached="40", formula='WEBSERVICE("http://x")')
    frame, findings = read_snapshot(data, "care_population", "q2.xlsx")
    assert errors(findings) == [] and frame["value"].iloc[0] == 40


def test_an_error_value_in_a_cell_is_named_with_its_row():
    data = edited(
        workbook_bytes(care_population()),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="E2" t="n"><v>40</v>', b'<c r="E2" t="e"><v>#DIV/0!</v>', 1),
    )
    findings = validate_file(data, "care_population", "q2.xlsx", today=TODAY)
    error = one(findings, "column_type")
    assert error.column == "value" and error.row == 1 and "'#DIV/0!'" in error.message


HOSTILE = {
    "macros (a vbaProject part)": (
        lambda: with_macros(workbook_bytes(care_population())),
        "q2.xlsx",
        "xlsx_macros",
        "macros",
    ),
    "a macro-enabled name": (lambda: workbook_bytes(care_population()), "q2.xlsm", "xlsx_macros", ".xlsm"),
    "an entity expansion bomb": (
        lambda: with_entity_bomb(workbook_bytes(care_population())),
        "q2.xlsx",
        "xlsx_damaged",
        "declares entities",
    ),
    "a zip bomb": (
        lambda: with_zip_bomb(workbook_bytes(care_population())),
        "q2.xlsx",
        "xlsx_zip_limits",
        "It was not expanded",
    ),
    "an old .xls workbook": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "q2.xls",
        "file_format",
        "older Excel workbook",
    ),
    "a zip that is not a workbook": (
        lambda: workbook_bytes(care_population()).replace(b"xl/worksheets/", b"xl/worksheetz/"),
        "q2.xlsx",
        "file_format",
        "not an Excel workbook",
    ),
    "a damaged workbook": (
        lambda: workbook_bytes(care_population())[:2000],
        "q2.xlsx",
        "xlsx_damaged",
        "cut short or damaged",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_or_unreadable_workbook_is_refused_quickly_with_a_message(case):
    make, name, rule, says = HOSTILE[case]
    data = make()
    started = time.perf_counter()
    frame, findings = read_snapshot(data, "care_population", name)
    assert time.perf_counter() - started < 5
    assert frame is None
    refused = errors(findings)
    assert refused, findings
    if rule:
        assert refused[0].rule == rule and says in refused[0].message, refused


def test_row_and_column_caps_apply_as_for_csv():
    data = workbook_bytes(care_population())
    records, findings = read_records(data, "q2.xlsx", ["measure"], max_rows=5)
    assert records is None and "more than 5 rows" in one(findings, "row_limit").message
    records, findings = read_records(data, "q2.xlsx", ["measure"], max_columns=4)
    assert records is None and "more than 4 columns" in one(findings, "column_limit").message


def test_rows_below_the_declared_sheet_size_are_read_not_dropped():
    data = edited(
        workbook_bytes(care_population()),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:F17" />', b'<dimension ref="A1:F5" />'),
    )
    frame, findings = read_snapshot(data, "care_population", "q2.xlsx")
    assert errors(findings) == [] and len(frame) == len(care_population())


def test_a_cell_far_below_the_table_is_refused_quickly():
    data = edited(
        workbook_bytes(care_population()),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="99999999"><c r="A99999999" t="n"><v>1</v></c></row></sheetData>'
        ),
    )
    started = time.perf_counter()
    records, findings = read_records(data, "q2.xlsx", ["measure"], max_rows=1_000)
    assert time.perf_counter() - started < 5
    assert records is None and "Delete the empty rows" in one(findings, "row_limit").message


def test_a_value_right_of_the_headings_is_named():
    frame = care_population()
    data = edited(
        workbook_bytes(frame),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'</row><row r="3">', b'<c r="H2" t="n"><v>7</v></c></row><row r="3">', 1),
    )
    _, findings = read_snapshot(data, "care_population", "q2.xlsx")
    error = one(findings, "csv_shape")
    assert error.row == 1 and "right of its last heading" in error.message


# -- the command line: publish an .xlsx, refuse a hostile one, store unchanged --


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    Store(root).publish(parquet_bytes(care_population()), "care_population", PERIOD, "first.parquet", by=OFFICER)
    return root


def hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def test_cli_publishes_an_xlsx_as_the_same_stored_version_as_its_csv(store_dir, tmp_path, capsys):
    frame = care_population()
    frame.loc[0, "value"] = 41.0
    frame.loc[1, "value"] = 4.0
    path = tmp_path / "q2.xlsx"
    path.write_bytes(workbook_bytes(frame))
    assert cli.main(["publish", str(path), "--dataset", "care_population", "--by", OFFICER]) == 0
    history = Store(store_dir).history("care_population")
    xlsx_version = history.iloc[0]["version"]
    assert history.iloc[0]["file_name"] == "q2.xlsx"
    capsys.readouterr()
    csv_path = tmp_path / "q2.csv"
    csv_path.write_bytes(csv_bytes(frame))
    assert cli.main(["publish", str(csv_path), "--dataset", "care_population", "--by", OFFICER]) == 0
    assert "already current" in capsys.readouterr().out.lower()
    assert Store(store_dir).current_version("care_population", PERIOD) == xlsx_version


@pytest.mark.parametrize("case", list(HOSTILE))
def test_cli_refuses_a_hostile_workbook_and_changes_nothing(store_dir, tmp_path, capsys, case):
    make, name, _, says = HOSTILE[case]
    path = tmp_path / name
    path.write_bytes(make())
    before = hashes(store_dir)
    assert cli.main(["publish", str(path), "--dataset", "care_population", "--by", OFFICER]) == 1
    out = capsys.readouterr()
    assert "Nothing was published" in out.err and says in out.out
    assert hashes(store_dir) == before

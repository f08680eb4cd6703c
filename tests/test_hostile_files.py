"""Files built as an attacker (or a tired officer) would, through the paths that failed: `validate` and `publish` on
the command line (the Upload page shares check_upload and the store's publish). Each gets a clear message naming
what is wrong, exit 1, no traceback, and the store stays byte-for-byte as it was. Issue 15, items 2 to 5, 7 and 9,
and the reader and rule attacks beyond them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.bombs import lying_footer_bomb
from cpb_dash import cli, safe_read
from cpb_dash.contract import VALUE_MAX_BY_UNIT
from cpb_dash.safe_read import validate_file
from cpb_dash.store import Store, content_hash
from tests.contract_helpers import PERIOD, TODAY, action_plan, care_population, csv_bytes, errors, one, parquet_bytes

OFFICER = "officer@hackney.gov.uk"


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def table_bytes(table: pa.Table, **kwargs) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **kwargs)
    return buffer.getvalue()


def care_table(frame: pd.DataFrame | None = None) -> pa.Table:
    frame = care_population() if frame is None else frame
    return pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)


def with_column(table: pa.Table, name: str, array: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, array)


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    Store(root).publish(parquet_bytes(care_population()), "care_population", PERIOD, "first.parquet", by=OFFICER)
    return root


def run_cli(tmp_path, capsys, command: str, data: bytes, name: str, dataset: str, *extra: str) -> tuple[int, str]:
    path = tmp_path / "uploads" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    args = [command, str(path), "--dataset", dataset, *extra]
    if command == "publish":
        args += ["--by", OFFICER, "--confirm-warnings"]
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


# ---------------------------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------------------------


def dictionary_bomb(rows: int = 200_000, length: int = 10_000) -> bytes:
    """Issue item 2: one long string in a dictionary page, referred to by every row (a few kB on disk)."""
    long = "x" * length
    table = pa.table(
        {
            "period_end": pa.array([PERIOD] * rows, pa.date32()),
            "measure": pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([long])),
            "breakdown_topic": pa.array(["Total"] * rows),
            "breakdown": pa.array(["Total"] * rows),
            "value": pa.array([1.0] * rows),
            "symbol": pa.array([None] * rows, pa.string()),
        }
    )
    return table_bytes(table, compression="zstd")


def reader_killer() -> bytes:
    """Found by fuzzing: a size statistic whose definition-level histogram is one entry too long (3 for a column
    whose levels go to 1). pyarrow 26 cannot pass the error on and aborts the whole process when it meets it."""
    data = parquet_bytes(care_population())
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    at = footer.index(b"\x19\x26")  # field 3 (definition_level_histogram), a list of 2 i64
    footer = footer[:at] + b"\x19\x36\x00" + footer[at + 2 :]  # a list of 3: one more 0 in front
    return data[: -8 - length] + footer + len(footer).to_bytes(4, "little") + b"PAR1"


def bomb_under_the_row_cap() -> bytes:
    """The same trick at the row cap: 1,000 rows x three columns of one 15 kB string = 45 MB once unpacked."""
    rows, long = 1_000, "y" * 15_000
    one_string = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([long]))
    table = pa.table(
        {
            "period_end": pa.array([PERIOD] * rows, pa.date32()),
            "measure": one_string,
            "breakdown_topic": one_string,
            "breakdown": one_string,
            "value": pa.array([1.0] * rows),
            "symbol": pa.array([None] * rows, pa.string()),
        }
    )
    return table_bytes(table, compression="zstd")


def one_huge_cell() -> bytes:
    table = care_table()
    measures = table.column("measure").to_pylist()
    measures[3] = "z" * 40_000
    return table_bytes(with_column(table, "measure", pa.array(measures)))


def identical_rows(rows: int = 200_000) -> bytes:
    """Issue item 7: 200,000 copies of one row, a few kB of parquet."""
    frame = care_population().head(1)
    return table_bytes(care_table(frame.loc[frame.index.repeat(rows)].reset_index(drop=True)), compression="zstd")


def with_value(value: float) -> bytes:
    frame = care_population()
    frame.loc[frame["measure"] == "cla_started", "value"] = value
    return parquet_bytes(frame)


def with_period_end(day: object, arrow_type: pa.DataType) -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "period_end", pa.array([day] * table.num_rows, arrow_type)))


def csv_with_period_end(text: str) -> bytes:
    lines = csv_bytes(care_population()).decode().splitlines()
    return "\n".join([lines[0]] + [text + line[len("2025-09-30") :] for line in lines[1:]]).encode()


def plan_due(day: dt.date) -> bytes:
    table = pa.Table.from_pandas(action_plan(), preserve_index=False).replace_schema_metadata(None)
    days = [dt.date(2026, 3, 31), day, dt.date(2026, 6, 30)]
    return table_bytes(with_column(table, "due_date", pa.array(days, pa.date32())))


def float16_dates() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "period_end", pa.array(np.full(table.num_rows, 2025.75, np.float16))))


def empty_parquet(dataset: str = "care_population") -> bytes:
    frame = (action_plan() if dataset == "action_plan" else care_population()).head(0)
    return parquet_bytes(frame)


def csv_heading_only() -> bytes:
    return csv_bytes(care_population()).splitlines(keepends=True)[0]


def csv_of_empty_rows(rows: int = 200_000) -> bytes:
    """Issue item 7: a heading and a spreadsheet's worth of ',,,,,' rows (1.2 MB)."""
    return csv_heading_only() + b",,,,,\r\n" * rows


def csv_of_blank_lines(lines: int = 1_200_000) -> bytes:
    return csv_bytes(care_population()) + b"\n" * lines


def csv_unclosed_quote() -> bytes:
    return csv_bytes(care_population()) + b'2025-09-30,"cla,Total,Total,1,\n' + b"more text\n" * 20_000


def csv_one_record_of_tiny_cells() -> bytes:
    """A record of a million quoted one-character cells spread over a million lines: one row, never 'a row'."""
    return csv_heading_only() + b",".join([b'"\n"'] * 1_000_000) + b"\n"


def csv_wide_heading(columns: int) -> bytes:
    return (",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("1" for _ in range(columns))).encode()


def csv_nul_after_64k() -> bytes:
    data = csv_bytes(care_population())
    padding = (b"2025-09-30,cla,Age group," + b"b" * 60 + b",1,\n") * 900  # the sniffer reads the first 64 kB only
    return data + padding + b"2025-09-30,cla\x00,Age group,Under 1 year,1,\n"


def utf16_csv() -> bytes:
    return csv_bytes(care_population()).decode().encode("utf-16")


def bom_then_nul() -> bytes:
    return b"\xef\xbb\xbf\x00" + csv_bytes(care_population())


def nested_value() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "value", pa.array([[1.0]] * table.num_rows, pa.list_(pa.float64()))))


def struct_period() -> bytes:
    table = care_table()
    struct = pa.array([{"y": 2025, "m": 9}] * table.num_rows)
    return table_bytes(with_column(table, "period_end", struct))


def decimal_value() -> bytes:
    from decimal import Decimal

    table = care_table()
    values = [None if v is None else Decimal(str(v)) for v in table.column("value").to_pylist()]
    return table_bytes(with_column(table, "value", pa.array(values, pa.decimal128(38, 2))))


def binary_measure() -> bytes:
    table = care_table()
    return table_bytes(
        with_column(table, "measure", pa.array([m.encode() for m in table.column("measure").to_pylist()], pa.binary()))
    )


def time_period() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "period_end", pa.array([dt.time(0, 0)] * table.num_rows, pa.time32("s"))))


def duration_value() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "value", pa.array([1] * table.num_rows, pa.duration("s"))))


def thousand_columns_of_nothing() -> bytes:
    return table_bytes(pa.table({f"c{i}": pa.array([None], pa.null()) for i in range(1_000)}))


def int_dates() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "period_end", pa.array([20250930] * table.num_rows, pa.int64())))


def bool_values() -> bytes:
    table = care_table()
    return table_bytes(with_column(table, "value", pa.array([True] * table.num_rows, pa.bool_())))


def nested_quotes_csv() -> bytes:
    plan = action_plan()
    plan.loc[0, "update"] = 'She said ""ok"", then "quoted, with a comma" and \'single\' \\" back'
    return csv_bytes(plan)


def csv_control_characters() -> bytes:
    frame = care_population()
    frame.loc[1, "breakdown"] = "Under 1 year\x1b[31m\u202e"
    return csv_bytes(frame)


# (file, name, dataset, rule that must be an error, words the message must hold)
REFUSED = {
    "a dictionary bomb (200,000 rows of one 10 kB string)": (
        dictionary_bomb,
        "bomb.parquet",
        "care_population",
        "row_limit",
        "200,000 rows",
    ),
    "a dictionary bomb under the row cap": (
        bomb_under_the_row_cap,
        "bomb.parquet",
        "care_population",
        "cell_size",
        "once unpacked",
    ),
    "plain text whose footer lies about its size": (
        lambda: lying_footer_bomb(rows=20, cell=4_000_000)[0],
        "lies.parquet",
        "care_population",
        "parquet_footer",
        "pages would unpack to more than 64.0 MB",
    ),
    "a footer that aborts pyarrow": (
        reader_killer,
        "q2.parquet",
        "care_population",
        "file_format",
        "made the reader fail",
    ),
    "one 40 kB cell": (one_huge_cell, "q2.parquet", "care_population", "cell_size", "'measure' has a cell"),
    "200,000 identical rows": (identical_rows, "same.parquet", "care_population", "row_limit", "200,000 rows"),
    "a total of 8.988e307": (
        lambda: with_value(8.988e307),
        "q2.parquet",
        "care_population",
        "value_range",
        "8.988e+307",
    ),
    "a total of 1e28": (lambda: with_value(1e28), "q2.parquet", "care_population", "value_range", "1e+28"),
    "a count of a million and one": (
        lambda: with_value(VALUE_MAX_BY_UNIT["children"] + 1),
        "q2.parquet",
        "care_population",
        "value_range",
        "at most 1,000,000 children",
    ),
    "period_end in year 1 (parquet)": (
        lambda: with_period_end(dt.date(1, 3, 31), pa.date32()),
        "q2.parquet",
        "care_population",
        "date_range",
        "'0001-03-31'",
    ),
    "period_end in 1677 (parquet)": (
        lambda: with_period_end(dt.date(1677, 9, 30), pa.date32()),
        "q2.parquet",
        "care_population",
        "date_range",
        "'1677-09-30'",
    ),
    "period_end in 2263 (parquet)": (
        lambda: with_period_end(dt.date(2263, 3, 31), pa.date32()),
        "q2.parquet",
        "care_population",
        "date_range",
        "'2263-03-31'",
    ),
    "period_end in 9999 (parquet timestamp)": (
        lambda: with_period_end(dt.datetime(9999, 12, 31), pa.timestamp("s")),
        "q2.parquet",
        "care_population",
        "date_range",
        "'9999-12-31'",
    ),
    "period_end in year 1 (CSV)": (
        lambda: csv_with_period_end("0001-03-31"),
        "q2.csv",
        "care_population",
        "column_type",
        "between 1900-01-01 and 2099-12-31",
    ),
    "period_end in 2263 (CSV, British)": (
        lambda: csv_with_period_end("31/03/2263"),
        "q2.csv",
        "care_population",
        "column_type",
        "between 1900-01-01 and 2099-12-31",
    ),
    "period_end in 1677 (CSV)": (
        lambda: csv_with_period_end("1677-09-30"),
        "q2.csv",
        "care_population",
        "column_type",
        "'1677-09-30'",
    ),
    "due_date in 9999": (
        lambda: plan_due(dt.date(9999, 12, 31)),
        "plan.parquet",
        "action_plan",
        "date_range",
        "'due_date' holds the date '9999-12-31'",
    ),
    "a date past the year 9999": (
        lambda: table_bytes(
            with_column(
                care_table(),
                "period_end",
                pa.array(np.full(len(care_population()), 3_000_000, np.int32), pa.int32()).cast(pa.date32()),
            )
        ),
        "q2.parquet",
        "care_population",
        "date_range",
        "holds the date outside the years 1 to 9999",
    ),
    "due_date in 1677": (
        lambda: plan_due(dt.date(1677, 1, 1)),
        "plan.parquet",
        "action_plan",
        "date_range",
        "'1677-01-01'",
    ),
    "a date stored as float16": (float16_dates, "q2.parquet", "care_population", "column_type", "float16"),
    "an empty parquet file": (empty_parquet, "q2.parquet", "care_population", "no_rows", "the file has no rows"),
    "an empty action plan": (
        lambda: empty_parquet("action_plan"),
        "plan.parquet",
        "action_plan",
        "no_rows",
        "the file has no rows",
    ),
    "a CSV heading and no rows": (csv_heading_only, "q2.csv", "care_population", "no_rows", "the file has no rows"),
    "200,000 rows of empty cells (CSV)": (
        csv_of_empty_rows,
        "q2.csv",
        "care_population",
        "row_limit",
        "reading stopped there",
    ),
    "1.2 million blank lines (CSV)": (
        csv_of_blank_lines,
        "q2.csv",
        "care_population",
        "row_limit",
        "reading stopped there",
    ),
    "an unclosed quote (CSV)": (csv_unclosed_quote, "q2.csv", "care_population", "csv_shape", "never closed"),
    "one record of a million quoted cells": (
        csv_one_record_of_tiny_cells,
        "q2.csv",
        "care_population",
        "csv_shape",
        "longer than 64.0 KB",
    ),
    "a 60,000-column heading (CSV)": (
        lambda: csv_wide_heading(60_000),
        "q2.csv",
        "care_population",
        "csv_shape",
        "a heading with thousands of columns",
    ),
    "a 5,000-column heading (CSV)": (
        lambda: csv_wide_heading(5_000),
        "q2.csv",
        "care_population",
        "column_limit",
        "5,000 cells",
    ),
    "a NUL past the first 64 kB (CSV)": (
        csv_nul_after_64k,
        "q2.csv",
        "care_population",
        "measure_known",
        "'cla\\x00' is not a measure",
    ),
    "semicolon-separated CSV": (
        lambda: csv_bytes(care_population()).replace(b",", b";"),
        "q2.csv",
        "care_population",
        "csv_shape",
        "separates its cells with semicolons",
    ),
    "tab-separated CSV": (
        lambda: csv_bytes(care_population()).replace(b",", b"\t"),
        "q2.csv",
        "care_population",
        "csv_shape",
        "separates its cells with tabs",
    ),
    "a 20 MB footer of pandas metadata": (
        lambda: table_bytes(care_table().replace_schema_metadata({b"pandas": b"{" + b"1" * 20_000_000 + b"}"})),
        "q2.parquet",
        "care_population",
        "parquet_footer",
        "over the 16.0 MB limit",
    ),
    "two byte-order marks": (
        lambda: b"\xef\xbb\xbf" + b"\xef\xbb\xbf" + csv_bytes(care_population()),
        "q2.csv",
        "care_population",
        "unknown_column",
        "'\\ufeffperiod_end' is not part of this dataset",
    ),
    "a UTF-8 mark on UTF-16 text": (
        lambda: b"\xef\xbb\xbf" + csv_bytes(care_population()).decode().encode("utf-16-le"),
        "q2.csv",
        "care_population",
        "file_format",
        "neither a parquet file nor CSV text",
    ),
    "UTF-16 text": (utf16_csv, "q2.csv", "care_population", "encoding", "UTF-16"),
    "a BOM then a NUL": (bom_then_nul, "q2.csv", "care_population", "file_format", "neither a parquet file"),
    "a list in 'value'": (nested_value, "q2.parquet", "care_population", "column_type_safe", "nested type"),
    "a struct in 'period_end'": (struct_period, "q2.parquet", "care_population", "column_type_safe", "nested type"),
    "decimals in 'value'": (decimal_value, "q2.parquet", "care_population", "column_type", "decimal128"),
    "bytes in 'measure'": (binary_measure, "q2.parquet", "care_population", "column_type", "binary"),
    "a time of day in 'period_end'": (time_period, "q2.parquet", "care_population", "column_type", "time32"),
    "a duration in 'value'": (duration_value, "q2.parquet", "care_population", "column_type", "duration"),
    "1,000 null-typed columns": (
        thousand_columns_of_nothing,
        "q2.parquet",
        "care_population",
        "column_limit",
        "1,000 columns",
    ),
    "whole numbers in 'period_end'": (int_dates, "q2.parquet", "care_population", "column_type", "'20250930'"),
    "true/false in 'value'": (bool_values, "q2.parquet", "care_population", "column_type", "true/false"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_validate_names_what_is_wrong_without_a_traceback(tmp_path, capsys, case):
    make, name, dataset, rule, words = REFUSED[case]
    code, output = run_cli(tmp_path, capsys, "validate", make(), name, dataset)
    assert code == 1, output
    assert f"ERROR   [{rule}]" in output and words.lower() in output.lower(), output
    assert "Traceback" not in output


@pytest.mark.parametrize("case", list(REFUSED))
def test_publish_refuses_and_the_store_is_unchanged(store_dir, tmp_path, capsys, case):
    make, name, dataset, rule, words = REFUSED[case]
    before = file_hashes(store_dir)
    code, output = run_cli(tmp_path, capsys, "publish", make(), name, dataset)
    assert code == 1, output
    assert "Nothing was published" in output and words.lower() in output.lower(), output
    assert file_hashes(store_dir) == before


def test_an_out_of_range_date_names_its_column_and_rows():
    findings = validate_file(
        with_period_end(dt.date(1677, 9, 30), pa.date32()), "care_population", "q2.parquet", today=TODAY
    )
    finding = one(findings, "date_range")
    assert finding.column == "period_end" and finding.row == f"rows 1, 2, 3, 4, 5 and {len(care_population()) - 5} more"


def test_a_period_end_with_a_time_zone_is_its_local_date_everywhere(store_dir, tmp_path, capsys):
    """Item 5, decided: a zone is dropped and the local wall-clock date kept (as the contract says), by the
    reader, so validate, the preview and publish all see the same plain date."""
    london = pa.timestamp("us", tz="Europe/London")
    data = with_period_end(pd.Timestamp("2025-06-30", tz="Europe/London"), london)  # 23:00 UTC on the 29th
    code, output = run_cli(tmp_path, capsys, "validate", data, "q1.parquet", "care_population")
    assert code == 0 and "One period in the file: 2025-26 Q1" in output, output
    code, output = run_cli(tmp_path, capsys, "publish", data, "q1.parquet", "care_population")
    assert code == 0 and "for 2025-06-30: published" in output, output
    stored = Store(store_dir).read_current("care_population")
    assert sorted(stored["period_end"].dt.date.unique()) == [dt.date(2025, 6, 30), PERIOD]


def test_a_time_zone_that_moves_the_day_is_a_time_of_day():
    """Midnight in Tokyo is 15:00 the day before in UTC: the wall-clock date is kept, so it is a quarter end."""
    data = with_period_end(pd.Timestamp("2025-09-30", tz="Asia/Tokyo"), pa.timestamp("ns", tz="Asia/Tokyo"))
    assert errors(validate_file(data, "care_population", "q2.parquet", today=TODAY)) == []


def test_the_bomb_is_refused_from_its_footer_before_any_text_is_unpacked(monkeypatch):
    """The row cap comes from the footer; with it lifted, the dictionary is measured before it is expanded."""
    monkeypatch.setattr(safe_read, "max_rows", lambda dataset: 1_000_000)
    frame, findings = safe_read.read_snapshot(dictionary_bomb(), "care_population", "bomb.parquet")
    assert frame is None and "once unpacked" in one(findings, "cell_size").message


def test_nested_quotes_and_control_characters_are_text():
    plan_findings = validate_file(nested_quotes_csv(), "action_plan", "plan.csv", today=TODAY)
    assert errors(plan_findings) == []
    findings = validate_file(csv_control_characters(), "care_population", "q2.csv", today=TODAY)
    finding = one(findings, "breakdown_allowed")
    assert "\\x1b" in finding.message and "\u202e" not in finding.message  # shown, never acted on


def test_empty_rows_below_the_data_are_skipped_and_said():
    data = csv_bytes(care_population()) + b",,,,,\r\n" * 30
    findings = validate_file(data, "care_population", "q2.csv", today=TODAY)
    assert errors(findings) == []
    assert "30 empty rows skipped" in one(findings, "csv_shape", level="pass").message


def test_many_row_groups_of_a_valid_file_still_read():
    data = table_bytes(care_table(), row_group_size=1)
    assert errors(validate_file(data, "care_population", "q2.parquet", today=TODAY)) == []


def test_a_categorical_text_column_still_reads():
    frame = care_population()
    frame["measure"] = frame["measure"].astype("category")
    assert errors(validate_file(parquet_bytes(frame), "care_population", "q2.parquet", today=TODAY)) == []


# ---------------------------------------------------------------------------------------------------------------
# The rules against hostile values
# ---------------------------------------------------------------------------------------------------------------


def test_an_action_id_with_another_scripts_digits_is_refused():
    plan = action_plan()
    plan.loc[0, "action_id"] = "P1.\u0661\u0662"  # Arabic-Indic one and two: \d matches them
    finding = one(validate_file(parquet_bytes(plan), "action_plan", "plan.parquet", today=TODAY), "action_id_format")
    assert finding.row == 1 and "'P1." in finding.message


def test_absurd_whole_numbers_in_an_action_plan_are_named():
    plan = action_plan()
    plan.loc[1, "priority"] = 2**62
    plan.loc[2, "progress_pct"] = 1e300
    findings = validate_file(parquet_bytes(plan), "action_plan", "plan.parquet", today=TODAY)
    assert (
        one(findings, "priority_known").row == 2 and "'4611686018427387904'" in one(findings, "priority_known").message
    )
    assert one(findings, "progress_range").row == 3


def test_a_23_digit_count_in_a_csv_is_out_of_range_not_a_crash():
    text = csv_bytes(care_population()).decode().replace(",40.0,", ",99999999999999999999999,", 1)
    finding = one(validate_file(text.encode(), "care_population", "q2.csv", today=TODAY), "value_range")
    assert finding.row == 1 and "'1e+23'" in finding.message


def test_an_invisible_character_in_a_symbol_is_shown_and_refused():
    frame = care_population()
    frame.loc[8, "symbol"] = "c\u200b"
    finding = one(validate_file(csv_bytes(frame), "care_population", "q2.csv", today=TODAY), "symbol_gss")
    assert "'c\\u200b'" in finding.message and "Did you mean 'c'?" in finding.message


def test_a_period_end_column_of_nothing_is_empty_not_a_crash():
    frame = care_population().assign(period_end=None)
    finding = one(validate_file(parquet_bytes(frame), "care_population", "q2.parquet", today=TODAY), "required_value")
    assert finding.column == "period_end" and f"{len(care_population())} rows" in finding.message


@pytest.mark.parametrize(
    "options",
    [
        {"compression": "snappy"},
        {"compression": "gzip"},
        {"compression": "brotli"},
        {"compression": "lz4"},
        {"compression": "none"},
        {"data_page_version": "2.0"},
        {"write_page_index": True},
        {"data_page_size": 64, "write_batch_size": 2},
        {"use_dictionary": False, "write_statistics": False},
        {"column_encoding": {"value": "BYTE_STREAM_SPLIT"}, "use_dictionary": ["measure"]},
    ],
)
def test_a_valid_file_written_any_way_still_reads_past_the_page_check(options):
    """The page-header walk must accept every way a real writer lays pages out (many small pages, v2 pages,
    page indexes, other codecs and encodings)."""
    data = table_bytes(care_table(), **options)
    assert errors(validate_file(data, "care_population", "q2.parquet", today=TODAY)) == []


def test_an_empty_frame_from_any_reader_says_no_rows():
    """validate_frame is what another reader (a spreadsheet, an intake) hands its frame to: it says it too."""
    from cpb_dash.contract import validate_frame

    finding = one(validate_frame(care_population().head(0), "care_population", "q2.xlsx", today=TODAY), "no_rows")
    assert "The file has no rows" in finding.message


def test_old_mac_line_endings_and_a_dictionary_of_numbers_still_read():
    assert (
        errors(
            validate_file(csv_bytes(care_population()).replace(b"\n", b"\r"), "care_population", "q2.csv", today=TODAY)
        )
        == []
    )
    table = care_table()
    values = table.column("value").combine_chunks().dictionary_encode()
    assert (
        errors(
            validate_file(
                table_bytes(with_column(table, "value", values)), "care_population", "q2.parquet", today=TODAY
            )
        )
        == []
    )


def test_random_damage_to_valid_files_never_raises():
    """Fuzzing as an attacker would, with a fixed seed: bytes flipped, cut and inserted in valid parquet and CSV
    files. Every result is a report; none relies on the reader's last-resort guard (which would hide a bug)."""
    import random

    rng = random.Random(20261128)
    bases = [
        (parquet_bytes(care_population()), "care_population"),
        (parquet_bytes(action_plan()), "action_plan"),
        (csv_bytes(care_population()), "care_population"),
        (csv_bytes(action_plan()), "action_plan"),
    ]
    for _ in range(200):
        data, dataset = bases[rng.randrange(len(bases))]
        data = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            roll = rng.random()
            if roll < 0.6:
                data[at] = rng.randrange(256)
            elif roll < 0.8:
                del data[at : at + rng.randint(1, 20)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        findings = validate_file(bytes(data), dataset, "fuzzed", today=TODAY)
        assert findings
        # Neither the last-resort guard (which would hide a bug of ours) nor, with these seeds, a reader crash.
        assert not any("cannot be read safely" in f.message or "made the reader fail" in f.message for f in findings), [
            f.message for f in findings
        ]


def test_a_read_past_the_time_limit_is_stopped_and_said(monkeypatch):
    monkeypatch.setattr(safe_read, "READ_TIMEOUT_SECONDS", 0.001)
    frame, findings = safe_read.read_untrusted(parquet_bytes(care_population()), "care_population", "q2.parquet")
    assert frame is None and "took longer than 0 seconds and was stopped" in one(findings, "file_format").message

"""Reading untrusted uploads: a hostile or broken file ends as a finding, never an exception or a big read."""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cpb_dash import safe_read
from cpb_dash.safe_read import read_snapshot, validate_file
from tests.contract_helpers import (
    TODAY,
    action_plan,
    care_population,
    csv_bytes,
    errors,
    one,
    parquet_bytes,
    varint,
)


def read(data: bytes, name: str = "q2.parquet", dataset: str = "care_population"):
    return read_snapshot(data, dataset, name)


def table_bytes(table: pa.Table, **kwargs) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **kwargs)
    return buffer.getvalue()


def test_valid_parquet_reads_only_contract_columns():
    frame, findings = read(parquet_bytes(care_population().assign(child_name="A child")))
    assert errors(findings) == []
    assert frame["child_name"].isna().all()  # the name is kept for the message, the values are never decoded
    assert frame["value"].iloc[0] == 40


def test_empty_file():
    frame, findings = read(b"")
    finding = one(findings, "file_size")
    assert frame is None and "empty (0 bytes)" in finding.message


def test_file_over_the_size_cap(monkeypatch):
    monkeypatch.setattr(safe_read, "MAX_BYTES", 1000)
    frame, findings = read(parquet_bytes(care_population()))
    assert frame is None and "limit" in one(findings, "file_size").message


def test_csv_renamed_parquet():
    data = csv_bytes(care_population())
    frame, findings = read(data, "q2.parquet")
    finding = one(findings, "file_format")
    assert "this is not a parquet file; it looks like csv text" in finding.message.lower()
    assert frame is not None  # still read as CSV, so every other problem is reported in the same go
    assert {f.rule for f in errors(validate_file(data, "care_population", "q2.parquet", today=TODAY))} == {
        "file_format"
    }


def test_parquet_named_csv_is_read_as_parquet():
    frame, findings = read(parquet_bytes(care_population()), "q2.csv")
    assert frame is not None and len(frame) == len(care_population())
    assert "'.csv'" in one(findings, "file_format").message


def test_truncated_parquet():
    data = parquet_bytes(care_population())
    frame, findings = read(data[: len(data) // 2])
    finding = one(findings, "parquet_footer")
    assert frame is None and "cut short" in finding.message


def test_footer_length_that_does_not_fit():
    data = bytearray(parquet_bytes(care_population()))
    data[-8:-4] = (10**9).to_bytes(4, "little")
    frame, findings = read(bytes(data))
    assert frame is None and "'1,000,000,000 bytes'" not in one(findings, "parquet_footer").message
    assert "1,000,000,000 bytes" in one(findings, "parquet_footer").message


def test_garbage_footer():
    data = parquet_bytes(care_population())
    length = int.from_bytes(data[-8:-4], "little")
    damaged = data[: -8 - length] + b"\xff" * length + data[-8:]
    frame, findings = read(damaged)
    assert frame is None and "damaged" in one(findings, "parquet_footer").message


def test_5000_columns_refused_from_the_footer():
    data = table_bytes(pa.table({f"c{i}": [1] for i in range(5_000)}))
    frame, findings = read(data)
    finding = one(findings, "column_limit")
    assert frame is None and "5,000 columns" in finding.message and "50" in finding.message


def test_footer_claiming_50_million_rows():
    # Write a real 3-row file, then rewrite FileMetaData.num_rows in its thrift footer. In the compact
    # protocol that field (id 3, i64) follows the schema list as the header byte 0x16 and a zigzag varint;
    # its first occurrence in the footer is it (the row group's num_rows comes later). The footer length is
    # updated to match.
    data = parquet_bytes(care_population().head(3))
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    old = b"\x16" + varint(3 * 2)
    at = footer.index(old)
    patched = footer[:at] + b"\x16" + varint(50_000_000 * 2) + footer[at + len(old) :]
    crafted = data[: -8 - length] + patched + len(patched).to_bytes(4, "little") + b"PAR1"
    meta = pq.ParquetFile(pa.BufferReader(crafted)).metadata
    assert (meta.num_rows, meta.row_group(0).num_rows) == (50_000_000, 3)  # the craft is what we meant

    frame, findings = read(crafted)
    finding = one(findings, "row_limit")
    assert frame is None and "50,000,000 rows" in finding.message and "1,000" in finding.message


def test_row_count_that_disagrees_with_row_groups(monkeypatch):
    data = parquet_bytes(care_population().head(3))
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    old = b"\x16" + varint(6)
    at = footer.index(old)
    patched = footer[:at] + b"\x16" + varint(8) + footer[at + len(old) :]  # claims 4 rows, groups hold 3
    frame, findings = read(data[: -8 - length] + patched + len(patched).to_bytes(4, "little") + b"PAR1")
    assert frame is None and "row groups hold 3" in one(findings, "parquet_footer").message


def test_too_many_row_groups(monkeypatch):
    monkeypatch.setattr(safe_read, "MAX_ROW_GROUPS", 2)
    data = table_bytes(pa.Table.from_pandas(care_population(), preserve_index=False), row_group_size=4)
    frame, findings = read(data)
    assert frame is None and "row groups" in one(findings, "row_group_limit").message


def test_arrow_extension_type_column():
    table = pa.Table.from_pandas(care_population().head(2), preserve_index=False)
    table = table.append_column("breakdown_id", pa.array([b"0" * 16, b"1" * 16], pa.uuid()))
    frame, findings = read(table_bytes(table))
    finding = one(findings, "column_type_safe")
    assert frame is None and finding.column == "breakdown_id" and "'arrow.uuid'" in finding.message


class _Secret(pa.ExtensionType):
    def __init__(self):
        super().__init__(pa.string(), "hackney.secret")

    def __arrow_ext_serialize__(self):
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized):
        return cls()


def test_unregistered_extension_type_is_caught_by_its_field_metadata():
    pa.register_extension_type(_Secret())
    try:
        storage = pa.array(["a", "b"])
        table = pa.Table.from_pandas(care_population().head(2), preserve_index=False)
        table = table.append_column("measure_note", pa.ExtensionArray.from_storage(_Secret(), storage))
        data = table_bytes(table)
    finally:
        pa.unregister_extension_type("hackney.secret")
    frame, findings = read(data)
    finding = one(findings, "column_type_safe")
    assert frame is None and "'hackney.secret'" in finding.message


def test_nested_column():
    table = pa.Table.from_pandas(care_population().head(2), preserve_index=False)
    table = table.append_column("children", pa.array([[1, 2], [3]]))
    frame, findings = read(table_bytes(table))
    assert frame is None and "nested type" in one(findings, "column_type_safe").message


def test_file_name_is_only_a_label(tmp_path, monkeypatch):
    # A real file sits where the label points; its content must not matter, and nothing is written anywhere.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.parquet").write_bytes(b"not the uploaded bytes")
    (tmp_path / "sub" / "dir").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "dir")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    findings = validate_file(parquet_bytes(care_population()), "care_population", "../../x.parquet", today=TODAY)
    assert errors(findings) == []
    assert {f.file for f in findings} == {"../../x.parquet"}
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_excel_workbook_is_named_as_such():
    frame, findings = read(b"PK\x03\x04" + b"\x00" * 100, "q2.xlsx")
    assert frame is None and "Excel workbook" in one(findings, "xlsx_damaged").message


def test_binary_file():
    frame, findings = read(b"\x89PNG\r\n\x1a\n\x00\x00", "q2.parquet")
    assert frame is None and "'89 50 4E 47" in one(findings, "file_format").message


# -- CSV --


def test_csv_with_bom_is_fine():
    data = b"\xef\xbb\xbf" + csv_bytes(care_population())
    findings = validate_file(data, "care_population", "q2.csv", today=TODAY)
    assert errors(findings) == [], findings
    assert "byte-order mark" in one(findings, "encoding", "pass").message


def test_csv_with_invalid_utf8_names_the_byte():
    text = csv_bytes(care_population())
    at = text.index(b"1 to 4 years")
    data = text[:at] + b"\xe9" + text[at:]  # a Latin-1 e-acute
    frame, findings = read(data, "q2.csv")
    finding = one(findings, "encoding")
    assert frame is None and f"byte {at:,} (line 4)" in finding.message and "'\\xe9'" in finding.message
    assert "CSV UTF-8" in finding.message


def test_csv_utf16_is_refused_with_advice():
    frame, findings = read(csv_bytes(care_population()).decode().encode("utf-16"), "q2.csv")
    assert frame is None and "UTF-16" in one(findings, "encoding").message


def test_csv_cells_are_converted_to_contract_types():
    frame, findings = read(csv_bytes(action_plan()), "plan.csv", "action_plan")
    assert errors(findings) == []
    assert frame["anti_racist"].tolist() == [True, True, False]
    assert str(frame["due_date"].iloc[0].date()) == "2026-03-31"


def test_csv_uk_dates_are_accepted():
    text = csv_bytes(care_population()).decode().replace("2025-09-30", "30/09/2025")
    findings = validate_file(text.encode(), "care_population", "q2.csv", today=TODAY)
    assert errors(findings) == [], findings


def test_csv_na_in_value_column():
    text = csv_bytes(care_population()).decode().splitlines()
    text[3] = text[3].replace(",7.0,", ",N/A,")  # data row 3: 1 to 4 years
    findings = validate_file("\n".join(text).encode(), "care_population", "q2.csv", today=TODAY)
    finding = one(findings, "column_type")
    assert (finding.column, finding.row) == ("value", 3)
    assert "'N/A'" in finding.message and "symbol" in finding.message


def test_csv_ragged_rows():
    text = csv_bytes(care_population()).decode().splitlines()
    text[5] += ",extra"
    frame, findings = read("\n".join(text).encode(), "q2.csv")
    finding = one(findings, "csv_shape")
    assert frame is None and finding.row == 5 and "different number of cells" in finding.message


def test_csv_row_cap(monkeypatch):
    monkeypatch.setattr(safe_read, "MAX_ROWS", 10)
    frame, findings = read(csv_bytes(care_population()), "q2.csv")
    assert frame is None and "more than 10 rows" in one(findings, "row_limit").message


@pytest.mark.parametrize("name", ["q2.csv", "Q2 FINAL (2).CSV", "", "no_extension"])
def test_csv_content_decides_not_the_name(name):
    frame, findings = read(csv_bytes(care_population()), name)
    assert frame is not None and errors(findings) == []


def test_corrupt_pandas_metadata_is_ignored():
    table = pa.Table.from_pandas(care_population(), preserve_index=False)
    table = table.replace_schema_metadata({b"pandas": b'{"index_columns": [oops'})
    frame, findings = read(table_bytes(table))
    assert errors(findings) == [] and len(frame) == len(care_population())


def test_invalid_utf8_inside_parquet_text():
    table = pa.Table.from_pandas(care_population().head(2), preserve_index=False)
    raw = b"cla\xffcla"  # built from buffers: pyarrow would refuse to make it from Python strings
    offsets = pa.py_buffer(np.array([0, 3, len(raw)], dtype=np.int32).tobytes())
    bad = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(raw)])
    table = table.set_column(table.schema.get_field_index("measure"), "measure", bad)
    frame, findings = read(table_bytes(table))
    finding = one(findings, "encoding")
    assert frame is None and finding.column == "measure" and "UTF-8" in finding.message


def test_a_parquet_column_twice_is_refused_by_name():
    table = pa.Table.from_pandas(care_population(), preserve_index=False)
    frame, findings = read(table_bytes(table.append_column("value", table.column("value"))))
    assert frame is None
    assert "Column 'value' appears 2 times; each column must appear once." in one(findings, "required_column").message


def test_a_csv_heading_with_a_column_twice_is_refused_by_name():
    lines = csv_bytes(care_population()).decode("utf-8").splitlines()
    data = "\n".join(f"{line},{line.split(',')[4]}" for line in lines).encode("utf-8")
    frame, findings = read(data, "q2.csv")
    assert frame is None
    assert "appears 2 times in the heading row" in one(findings, "required_column").message

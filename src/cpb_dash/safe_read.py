"""Untrusted upload bytes -> a snapshot DataFrame, or findings saying why the file cannot be read.

Everything an upload claims about itself is checked before any data is decoded: size, magic bytes, the parquet
footer (rows, columns, row groups, byte ranges, no nested or extension types). CSV (and .xlsx, through
safe_xlsx.py) is accepted as a convenience: strict UTF-8, every cell read as text and converted to the contract's
type here, so a bad cell is named by its row.
The format is decided by the content; the file name is only a label in messages, never a path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cpb_dash import catalogue
from cpb_dash.contract import DATE_MAX, DATE_MIN, duplicate_columns, no_rows_finding, validate_read
from cpb_dash.findings import Collector, Finding, clean_label, finding, plural, quote
from cpb_dash.schema import BOOLEAN, DATE, INTEGER, NUMBER, TEXT, TYPE_ADVICE, ColumnSpec, column_specs, truth

MAX_BYTES = 60 * 1024 * 1024
# A ceiling for any dataset; max_rows() gives each dataset its own, far lower cap.
MAX_ROWS = 200_000
# No cell of a snapshot is longer than the action plan's 2,000-character update (at most 4 bytes a character).
MAX_CELL_BYTES = 16 * 1024
# All the text of one file once unpacked: a valid snapshot holds well under 1 MB (900 actions with the longest
# texts the contract allows, in four-byte characters, would be 9 MB).
MAX_TEXT_BYTES = 16 * 1024 * 1024
# CSV is read whole into memory as text: a valid CSV snapshot is well under 1 MB.
MAX_CSV_BYTES = 16 * 1024 * 1024
# One CSV record (a row, which quoted cells can spread over several lines) at most this many characters.
MAX_RECORD_BYTES = 64 * 1024
MAX_COLUMNS = 50
MAX_ROW_GROUPS = 1_000
# A footer for 50 columns x 1,000 row groups is a few MB; anything far larger is not one of our files.
MAX_FOOTER_BYTES = 16 * 1024 * 1024
# What the footer says the data decompresses to: a cap against compression bombs.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
# Thrift limits for parsing the footer: enough for the column-cap message on a 5,000-column file, far below
# what would let a crafted footer exhaust memory.
THRIFT_STRING_LIMIT = 8 * 1024 * 1024
THRIFT_CONTAINER_LIMIT = 100_000
SCHEMA_DEPTH_LIMIT = 8

PARQUET_MAGIC = b"PAR1"
ENCRYPTED_MAGIC = b"PARE"
UTF8_BOM = b"\xef\xbb\xbf"
PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
CSV_SUFFIXES = (".csv",)


def max_rows(dataset: str) -> int:
    """The most rows a file of `dataset` may hold: 1,000, or a tenth more than a valid file can hold if the
    catalogue ever allows more. Room for a file with some wrong or duplicated rows to get its full report, while
    a file of 200,000 copies of one row is refused from its footer (or, for CSV, as soon as the reader passes the
    cap) in a moment; the rules' time and memory grow with the rows.

    A count file has at most one row per (measure, topic, breakdown) the catalogue allows (75 for workforce); an
    action plan at most one per action id the pattern allows (P1.00 to P9.99: 900).
    """
    if dataset == catalogue.ACTION_PLAN:
        possible = 9 * 100
    else:
        possible = sum(
            1 + sum(len(catalogue.BREAKDOWN_TOPICS.get(t, ())) for t in m.topics)
            for m in catalogue.measures_for(dataset)
        )
    return min(MAX_ROWS, max(1_000, possible + possible // 10))


HOW_TO_SAVE_CSV = "In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited) (*.csv)'."


def read_snapshot(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    """The snapshot in `data` as a DataFrame (None if it cannot be read safely) and the reading findings.

    Only the contract's columns are decoded. Other columns keep their name (so the validator can say what they
    are) but none of their values: a column holding children's names is never read.
    """
    file_name = clean_label(file_name)
    data = bytes(data)
    say = Collector(file_name).bind("file_size")
    if len(data) == 0:
        say.error("The file is empty (0 bytes). Export the snapshot again and upload the saved file.")
        return None, say.findings
    if len(data) > MAX_BYTES:
        say.error(
            f"The file is {_size(len(data))}, over the {_size(MAX_BYTES)} limit. A quarter's snapshot is a few"
            " thousand rows at most: check that this is the right file."
        )
        return None, say.findings
    say.passed(f"The file is {_size(len(data))}, within the {_size(MAX_BYTES)} limit.")
    suffix = _suffix(file_name)
    if data[:4] == PARQUET_MAGIC:
        if suffix in CSV_SUFFIXES:
            say.bind("file_format").error(
                f"The name ends {quote(suffix)} but this is a parquet file, not CSV text. Rename it to end"
                " '.parquet' and upload it again."
            )
        frame, parquet_findings = _guarded(_read_parquet, data, dataset, file_name)
        return frame, say.findings + parquet_findings
    kind = _sniff(data)
    if kind == "excel":  # .xlsx (an old .xls is refused there): the zip and XML checks live in safe_xlsx
        from cpb_dash.safe_xlsx import read_records, records_as_csv

        wanted = [s.name for s in column_specs(dataset)]
        records, xlsx_findings = read_records(
            data, file_name, wanted, max_rows=max_rows(dataset), max_columns=MAX_COLUMNS
        )
        if records is None:
            return None, say.findings + xlsx_findings
        # The sheet's cells, as text, go through the CSV reader's own per-cell checks: one copy of those rules.
        frame, csv_findings = _read_csv(records_as_csv(records), dataset, file_name)
        return frame, say.findings + xlsx_findings + [f for f in csv_findings if f.rule != "encoding"]
    if kind == "utf16":
        say.bind("encoding").error(
            f"This file is UTF-16 text ('Unicode text' in Excel); only UTF-8 is accepted. {HOW_TO_SAVE_CSV}"
        )
        return None, say.findings
    if kind != "csv":
        say.bind("file_format").error(
            "This is neither a parquet file nor CSV text"
            + (
                " (it ends like a parquet file but does not start like one: it is damaged)"
                if data[-4:] == PARQUET_MAGIC
                else f" (it starts with {quote(_hex(data[:8]))})"
            )
            + ". Upload the snapshot as .parquet or as a UTF-8 .csv file."
        )
        return None, say.findings
    if suffix in PARQUET_SUFFIXES:
        # Said plainly, then the text is still read as CSV so the officer sees every other problem at once.
        say.bind("file_format").error(
            f"This is not a parquet file; it looks like CSV text (the name ends {quote(suffix)} but the file does"
            " not start with the parquet marker 'PAR1'). Upload it with a name ending '.csv', or save it as"
            " parquet."
        )
    frame, csv_findings = _guarded(_read_csv, data, dataset, file_name)
    return frame, say.findings + csv_findings


def _guarded(reader, data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    """A reader's result, or a finding if it raised: the bytes are untrusted, and a parser meeting a case no one
    foresaw must still end in a message for the officer, not a traceback (the caps keep such a failure cheap)."""
    try:
        return reader(data, dataset, file_name)
    except Exception as err:  # noqa: BLE001 (any exception from untrusted bytes means the same to an officer)
        message = (
            f"The file cannot be read safely, so nothing was kept ({type(err).__name__}: {_brief(err)}). Save it"
            " again (parquet, or CSV UTF-8) and upload it; if it still fails, send it to the dashboard's"
            " maintainers."
        )
        return None, [finding(file_name, "file_format", message)]


def _typical_rows(dataset: str) -> str:
    return (
        "one row per action"
        if dataset == catalogue.ACTION_PLAN
        else "one row per measure and breakdown, a few dozen at most"
    )


def _suffix(file_name: str) -> str:
    # The name is a label: only its ending is compared with the content, to catch a renamed file.
    name = file_name.lower().strip()
    return name[name.rfind(".") :] if "." in name else ""


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return plural(n, "byte")


def _hex(data: bytes) -> str:
    return " ".join(f"{b:02X}" for b in data)


def _sniff(data: bytes) -> str:
    """'csv', 'excel', 'utf16' or 'binary', from the first bytes of a file that is not parquet."""
    head = data[:65536]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "excel"
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    return "csv"


# ------------------------------------------------------------------------------------------------------------
# Parquet
# ------------------------------------------------------------------------------------------------------------


def _open_parquet(data: bytes, read_dictionary: list[str] | None = None) -> pq.ParquetFile:
    """An untrusted parquet file opened with the footer's limits (string and container sizes, schema depth)."""
    return pq.ParquetFile(
        pa.BufferReader(data),
        read_dictionary=read_dictionary,
        thrift_string_size_limit=THRIFT_STRING_LIMIT,
        thrift_container_size_limit=THRIFT_CONTAINER_LIMIT,
        schema_depth_limit=SCHEMA_DEPTH_LIMIT,
        pre_buffer=False,
    )


def _read_parquet(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [finding(file_name, rule, message)]

    if data[-4:] == ENCRYPTED_MAGIC:
        return fail("file_format", "This parquet file is encrypted; upload an unencrypted file.")
    if len(data) < 12 or data[-4:] != PARQUET_MAGIC:
        return fail(
            "parquet_footer",
            "The file starts like a parquet file but is cut short or damaged: it has no parquet footer (the"
            " closing 'PAR1' marker). Save the file again and upload the whole of it.",
        )
    footer_length = int.from_bytes(data[-8:-4], "little")
    if 0 < footer_length <= len(data) - 12 and footer_length > MAX_FOOTER_BYTES:
        return fail(
            "parquet_footer",
            f"The parquet footer (the file's description of itself) is {_size(footer_length)}, over the"
            f" {_size(MAX_FOOTER_BYTES)} limit: a snapshot's is a few kB. Save the file again without extra"
            " metadata and upload it.",
        )
    if footer_length == 0 or footer_length > len(data) - 12:
        return fail(
            "parquet_footer",
            f"The parquet footer claims to be {plural(footer_length, 'byte')} long, which does not fit a"
            f" {_size(len(data))} file: the file is damaged. Save it again and upload it.",
        )
    try:
        parquet = _open_parquet(data)
        meta = parquet.metadata
    except Exception as err:  # pyarrow raises several types for a bad footer; all mean the same to an officer
        return fail("parquet_footer", f"The parquet footer cannot be read, so the file is damaged ({_brief(err)}).")

    say = Collector(file_name)
    row_cap = max_rows(dataset)
    if meta.num_rows < 0 or meta.num_rows > row_cap:
        say.bind("row_limit").error(
            f"The file says it holds {meta.num_rows:,} rows; at most {row_cap:,} are accepted for this"
            f" dataset. A quarter's snapshot has {_typical_rows(dataset)}: check that this is the right file."
        )
    if meta.num_columns > MAX_COLUMNS:
        say.bind("column_limit").error(
            f"The file has {meta.num_columns:,} columns; at most {MAX_COLUMNS} are accepted (the contract has"
            f" {len(column_specs(dataset))})."
        )
    if meta.num_row_groups > MAX_ROW_GROUPS:
        say.bind("row_group_limit").error(
            f"The file has {meta.num_row_groups:,} row groups; at most {MAX_ROW_GROUPS:,} are accepted. Write it"
            " again in one piece (for example with pandas' to_parquet)."
        )
    if say.findings:
        return None, say.findings  # nothing further is read from a file that claims too much
    if meta.num_rows == 0:
        return None, [no_rows_finding(file_name)]
    problem = _footer_inconsistency(meta, footer_start=len(data) - 8 - footer_length)
    if problem:
        return fail("parquet_footer", f"The parquet footer does not agree with the file: {problem}. It is damaged.")
    say.bind("parquet_footer").passed(
        f"A parquet file: the markers and footer are sound ({plural(meta.num_rows, 'row')},"
        f" {plural(meta.num_columns, 'column')}, {plural(meta.num_row_groups, 'row group')}, within the limits of"
        f" {row_cap:,} rows, {MAX_COLUMNS} columns and {MAX_ROW_GROUPS:,} row groups)."
    )

    try:
        schema = parquet.schema_arrow
    except Exception as err:
        return fail("parquet_footer", f"The parquet schema cannot be read, so the file is damaged ({_brief(err)}).")
    unsafe = [(f.name, why) for f in schema if (why := _unsafe_type(f))]
    for name, why in unsafe:
        say.bind("column_type_safe", name).error(
            f"Column {quote(name)} has {why}. Snapshot columns hold plain dates, text, numbers or true/false"
            " values only."
        )
    if duplicate_columns(schema.names, say) or unsafe:
        return None, say.findings
    say.bind("column_type_safe").passed("No column has a nested or extension type.")

    expected = [s.name for s in column_specs(dataset)]
    wanted = [n for n in schema.names if n in expected]
    kinds = {s.name: s.kind for s in column_specs(dataset)}
    stored = [(name, why) for name in wanted if (why := _unreadable_type(schema.field(name).type, kinds[name]))]
    for name, why in stored:
        say.bind("column_type", name).error(
            f"Column {quote(name)} is stored as {why}, which a snapshot never uses. It must hold"
            f" {TYPE_ADVICE[kinds[name]]}: store it as that type and upload the file again."
        )
    if stored:
        return None, say.findings
    pages = _page_problem(data, meta, wanted)
    if pages:
        return fail("parquet_footer", f"The parquet pages do not agree with the footer: {pages}. It is damaged.")
    table, problem = _read_bounded(data, schema, wanted, file_name)
    if problem is not None:
        return None, say.findings + problem
    if table.num_rows != meta.num_rows:
        return fail("parquet_footer", f"The footer says {meta.num_rows:,} rows but the data holds {table.num_rows:,}.")
    # Parquet readers do not check that text is valid UTF-8; a full validation does, before pandas sees it.
    broken = []
    for name in table.column_names:
        try:
            table.column(name).validate(full=True)
        except pa.ArrowInvalid:
            broken.append(name)
    if broken:
        message = "Column {} holds text that is not valid UTF-8, so the file is damaged. Save it again and upload it."
        return None, [finding(file_name, "encoding", message.format(quote(name)), column=name) for name in broken]
    table = _plain_dates(table, kinds, say.bind("date_range"))
    if say.failed("date_range"):
        return None, say.findings
    # The file's own pandas metadata (index, categories, dtypes) is untrusted JSON and not needed: drop it.
    # Dates come back as datetime64, so every reader downstream sees one type of date.
    try:
        read = table.replace_schema_metadata(None).to_pandas(date_as_object=False)
    except Exception as err:
        return fail("parquet_footer", f"The data in the file cannot be converted, so it is damaged ({_brief(err)}).")
    frame = pd.DataFrame(index=range(table.num_rows))
    for name in schema.names:
        frame[name] = read[name] if name in expected else pd.Series([None] * table.num_rows, dtype=object)
    return frame, say.findings


def _unreadable_type(data_type: pa.DataType, kind: str) -> str | None:
    """Why a contract column's stored type cannot be read as plain values, or None.

    Plain types the contract can judge cell by cell (text in a date column, say) pass here: the validator names
    the cells. What pandas would mangle or refuse (half floats, decimals, bytes, times of day) is refused here.
    """
    if pa.types.is_dictionary(data_type):
        data_type = data_type.value_type
    plain = (
        pa.types.is_null(data_type)
        or pa.types.is_boolean(data_type)
        or pa.types.is_integer(data_type)
        or pa.types.is_float32(data_type)
        or pa.types.is_float64(data_type)
        or pa.types.is_string(data_type)
        or pa.types.is_large_string(data_type)
        or pa.types.is_date(data_type)
        or pa.types.is_timestamp(data_type)
    )
    if plain:
        return None
    if pa.types.is_float16(data_type):
        return "a half-precision float (float16)" + (" where a date belongs" if kind == DATE else "")
    return f"the Arrow type {quote(str(data_type), 40)}"


def _read_bounded(
    data: bytes, schema: pa.Schema, wanted: list[str], file_name: str
) -> tuple[pa.Table | None, list[Finding] | None]:
    """The contract's columns, one row group at a time, with text kept dictionary-encoded until its expanded
    size is known to be within the caps.

    A parquet file can hold one long string in a dictionary page and refer to it from every row: a few kB on
    disk, gigabytes once each row gets its own copy. The footer's sizes describe the compressed pages, not that
    expansion, so the expanded size is worked out from the dictionary itself (its values' lengths, taken by each
    row's index) before any text is copied out of it.
    """

    def fail(column: str | None, rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [finding(file_name, rule, message, column=column)]

    text_columns = [n for n in wanted if _is_text(schema.field(n).type)]
    try:
        parquet = _open_parquet(data, read_dictionary=text_columns)
    except Exception as err:
        return fail(
            None, "parquet_footer", f"The parquet footer cannot be read, so the file is damaged ({_brief(err)})."
        )
    expanded = 0
    pieces: list[pa.Table] = []
    for group in range(parquet.metadata.num_row_groups):
        try:
            piece = parquet.read_row_group(group, columns=wanted, use_threads=False)
        except Exception as err:
            return fail(
                None, "parquet_footer", f"The data in the file cannot be read, so it is damaged ({_brief(err)})."
            )
        columns = []
        for name in piece.column_names:
            column = piece.column(name)
            if name in text_columns:
                try:
                    longest, total = _text_sizes(column)
                except pa.ArrowException as err:  # e.g. a row pointing past the end of its dictionary
                    return fail(
                        name,
                        "parquet_footer",
                        f"Column {quote(name)} cannot be read, so the file is damaged ({_brief(err)}).",
                    )
                if longest > MAX_CELL_BYTES:
                    return fail(
                        name,
                        "cell_size",
                        f"Column {quote(name)} has a cell of {_size(longest)}; no cell of a snapshot holds more"
                        f" than {_size(MAX_CELL_BYTES)} (the longest text the contract allows is"
                        f" {catalogue.UPDATE_TEXT_MAX:,} characters). Check that this is the right file.",
                    )
                expanded += total
                if expanded > MAX_TEXT_BYTES:
                    return fail(
                        name,
                        "cell_size",
                        f"The text in this file would take more than {_size(MAX_TEXT_BYTES)} once unpacked (a"
                        " few short cells repeated many times take little room on disk, but each row needs its"
                        " own copy). A quarter's snapshot holds far less: check that this is the right file.",
                    )
                column = pa.chunked_array(
                    [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in column.chunks],
                    type=column.type.value_type if pa.types.is_dictionary(column.type) else column.type,
                )
            columns.append(column)
        pieces.append(pa.table(columns, names=piece.column_names))
        if sum(p.num_rows for p in pieces) > parquet.metadata.num_rows:
            break  # the pages hold more rows than the footer claims: the caller reports the mismatch
    if not pieces:
        return pa.table({n: pa.array([], schema.field(n).type) for n in wanted}), None
    try:
        return pa.concat_tables(pieces), None
    except Exception as err:
        return fail(None, "parquet_footer", f"The row groups do not agree with each other ({_brief(err)}).")


def _is_text(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        data_type = data_type.value_type
    return pa.types.is_string(data_type) or pa.types.is_large_string(data_type)


def _text_sizes(column: pa.ChunkedArray) -> tuple[int, int]:
    """The longest cell and the total size in bytes of a text column once every row has its own copy."""
    longest = total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            lengths = pc.binary_length(chunk.dictionary)
            if len(lengths):
                longest = max(longest, pc.max(lengths).as_py() or 0)
            # Each row's index picks its value's length; nulls count nothing.
            total += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
        else:
            lengths = pc.binary_length(chunk)
            if len(lengths):
                longest = max(longest, pc.max(lengths).as_py() or 0)
            total += pc.sum(lengths).as_py() or 0
    return longest, total


def _plain_dates(table: pa.Table, kinds: dict[str, str], say: Collector) -> pa.Table:
    """Date columns as plain dates: a time zone is dropped (the local wall-clock time is kept, as the contract
    says), and a date outside DATE_MIN..DATE_MAX is a finding naming its column and rows, before pandas (whose
    nanosecond dates end in 1677 and 2262) could wrap it into a phantom quarter or raise."""
    for name in table.column_names:
        column = table.column(name)
        if kinds.get(name) != DATE or not (pa.types.is_timestamp(column.type) or pa.types.is_date(column.type)):
            continue
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = pc.local_timestamp(column)
            table = table.set_column(table.schema.get_field_index(name), name, column)
        days = (
            pc.cast(pc.floor_temporal(column, unit="day"), pa.date32())
            if pa.types.is_timestamp(column.type)
            else pc.cast(column, pa.date32())
        )
        outside = pc.or_(
            pc.less(days, pa.scalar(DATE_MIN, pa.date32())), pc.greater(days, pa.scalar(DATE_MAX, pa.date32()))
        )
        positions = np.flatnonzero(outside.to_numpy(zero_copy_only=False) == True)  # noqa: E712 (nulls are None)
        if len(positions):
            try:
                sample = quote(days[int(positions[0])].as_py().isoformat())
            except (OverflowError, ValueError):  # beyond Python's years 1 to 9999
                sample = "outside the years 1 to 9999"
            say.error(
                f"Column {quote(name)} holds the date {sample}"
                + (f" ({plural(len(positions), 'cell')} outside the range)" if len(positions) > 1 else "")
                + f"; dates must fall between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}. Check"
                " the date (a year typed wrongly, or a missing-value code saved as a date).",
                positions,
                column=name,
            )
    return table


def _footer_inconsistency(meta: pq.FileMetaData, footer_start: int) -> str | None:
    """A reason the footer's own numbers contradict each other or the file, or None."""
    rows_in_groups = 0
    uncompressed = 0
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        if group.num_rows < 0:
            return f"row group {i + 1} claims {group.num_rows:,} rows"
        rows_in_groups += group.num_rows
        for j in range(group.num_columns):
            chunk = group.column(j)
            offsets = [chunk.data_page_offset]
            if chunk.has_dictionary_page:
                offsets.append(chunk.dictionary_page_offset)
            offsets = [o for o in offsets if o is not None and o > 0]
            size = chunk.total_compressed_size
            if not offsets or size < 0 or min(offsets) < 4 or min(offsets) + size > footer_start:
                return f"column chunk {j + 1} of row group {i + 1} points outside the file"
            if chunk.total_uncompressed_size < 0:
                return f"column chunk {j + 1} of row group {i + 1} has a negative size"
            uncompressed += chunk.total_uncompressed_size
    if rows_in_groups != meta.num_rows:
        return f"it claims {meta.num_rows:,} rows but its row groups hold {rows_in_groups:,}"
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        return f"its data would unpack to {_size(uncompressed)}, over the {_size(MAX_UNCOMPRESSED_BYTES)} limit"
    return None


# -- page headers ------------------------------------------------------------------------------------------------
# The footer's sizes are only what the writer claimed: each page's own header says how large it unpacks, and that
# is what the reader allocates and fills. A file can claim 1 kB in its footer and carry pages that unpack to a
# gigabyte each (zstd packs a gigabyte of one letter into a few kB). So before any page is decoded, the headers of
# every page we would read are walked (Thrift compact protocol, the parquet format's own encoding, read here with
# bounds on every length) and their unpacked sizes added up.

MAX_PAGES = 100_000
_THRIFT_TYPES_FIXED = {1: 0, 2: 0, 3: 1, 7: 8}  # booleans (in the type nibble), byte, double


class _Damaged(Exception):
    pass


class _Compact:
    """Just enough of Thrift's compact protocol to read a PageHeader and skip what it does not need."""

    def __init__(self, data: bytes, pos: int, end: int):
        self.data, self.pos, self.end = data, pos, end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise _Damaged("a page header runs past its column")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise _Damaged("a number in a page header is too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def skip(self, kind: int, depth: int = 0) -> None:
        if depth > SCHEMA_DEPTH_LIMIT:
            raise _Damaged("a page header is nested too deeply")
        if kind in _THRIFT_TYPES_FIXED:
            self.pos += _THRIFT_TYPES_FIXED[kind]
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 8:
            length = self.varint()  # read first: `self.pos += self.varint()` would add to the old position
            self.pos += length
        elif kind in (9, 10):
            head = self.byte()
            size = head >> 4 if head >> 4 != 15 else self.varint()
            for _ in range(min(size, THRIFT_CONTAINER_LIMIT + 1)):
                self.skip(head & 0x0F, depth + 1) if head & 0x0F not in (1, 2) else self.byte()
        elif kind == 11:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(min(size, THRIFT_CONTAINER_LIMIT + 1)):
                    self.skip(types >> 4, depth + 1)
                    self.skip(types & 0x0F, depth + 1)
        elif kind == 12:
            self.struct(depth + 1)
        else:
            raise _Damaged(f"a page header has an unknown field type ({kind})")
        if self.pos > self.end:
            raise _Damaged("a page header runs past its column")

    def struct(self, depth: int = 0, wanted: tuple[int, ...] = ()) -> dict[int, int]:
        """Skip a struct, keeping the i32 fields whose ids are in `wanted`."""
        found: dict[int, int] = {}
        field = 0
        while True:
            head = self.byte()
            if head == 0:
                return found
            delta, kind = head >> 4, head & 0x0F
            field = field + delta if delta else self.zigzag()
            if field in wanted and kind == 5:
                found[field] = self.zigzag()
            else:
                self.skip(kind, depth)


def _page_problem(data: bytes, meta: pq.FileMetaData, wanted: list[str]) -> str | None:
    """Why the pages of the columns we would read unpack to more than the caps allow (or are damaged), or None."""
    total = 0
    pages = 0
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        for j in range(group.num_columns):
            chunk = group.column(j)
            try:
                path = chunk.path_in_schema
            except UnicodeDecodeError:
                return f"the name of column chunk {j + 1} is not valid UTF-8"
            if path not in wanted:
                continue  # never decoded
            offsets = [o for o in (chunk.dictionary_page_offset, chunk.data_page_offset) if o is not None and o > 0]
            pos = min(offsets)
            end = pos + chunk.total_compressed_size
            claimed = 0
            while pos < end:
                reader = _Compact(data, pos, end)
                try:
                    sizes = reader.struct(wanted=(2, 3))
                except _Damaged as err:
                    return f"in column {quote(chunk.path_in_schema)}, {err}"
                unpacked, packed = sizes.get(2, -1), sizes.get(3, -1)
                if unpacked < 0 or packed < 0:
                    return f"a page of column {quote(chunk.path_in_schema)} has no size or a negative one"
                claimed += unpacked
                total += unpacked
                pages += 1
                if pages > MAX_PAGES:
                    return f"it has more than {MAX_PAGES:,} pages"
                if total > MAX_UNCOMPRESSED_BYTES:
                    return (
                        f"its pages would unpack to more than {_size(MAX_UNCOMPRESSED_BYTES)}, though its footer"
                        f" claims {_size(_claimed_total(meta))}"
                    )
                pos = reader.pos + packed
            if pos != end:
                return f"the pages of column {quote(chunk.path_in_schema)} do not fill the space the footer gives it"
    return None


def _claimed_total(meta: pq.FileMetaData) -> int:
    return sum(
        meta.row_group(i).column(j).total_uncompressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.row_group(i).num_columns)
    )


def _unsafe_type(field: pa.Field) -> str | None:
    """Why a column's Arrow type is refused (extension or nested), or None."""
    metadata = field.metadata or {}
    # BaseExtensionType, not ExtensionType: canonical types such as arrow.uuid are not Python subclasses.
    if isinstance(field.type, pa.BaseExtensionType) or b"ARROW:extension:name" in metadata:
        name = getattr(field.type, "extension_name", None) or metadata.get(b"ARROW:extension:name", b"").decode(
            "utf-8", "replace"
        )
        return f"an Arrow extension type ({quote(name)})"
    data_type = field.type
    if pa.types.is_dictionary(data_type):
        data_type = data_type.value_type  # a dictionary of plain values (pandas categoricals) is fine
    if pa.types.is_nested(data_type) or pa.types.is_dictionary(data_type):
        return f"a nested type ({quote(str(data_type), 40)})"
    return None


def _brief(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:160]


# ------------------------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------------------------

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$|^[+-]?\.\d+$")


def _read_csv(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    say = Collector(file_name).bind("file_size")
    if len(data) > MAX_CSV_BYTES:
        say.error(
            f"The CSV file is {_size(len(data))}, over the {_size(MAX_CSV_BYTES)} limit for CSV (a quarter's"
            " snapshot as CSV is well under 1 MB): check that this is the right file."
        )
        return None, say.findings
    offset = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    say.bind("encoding")
    try:
        text = data[offset:].decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        where = offset + err.start
        line = data[:where].count(b"\n") + 1
        bad = data[where : where + max(1, min(err.end - err.start, 4))]
        say.error(
            f"The file is not UTF-8 text: byte {where:,} (line {line}) is {quote(_escaped(bad))}, which UTF-8 does"
            " not allow (often an accented letter or a '£' saved in an older Windows encoding)."
            f" {HOW_TO_SAVE_CSV}"
        )
        return None, say.findings
    say.passed("CSV text in UTF-8" + (" (the byte-order mark at the start was ignored)." if offset else "."))
    row_cap = max_rows(dataset)
    try:
        records, blank = csv_records(text, row_cap)
    except CsvTooMuch as err:
        say.bind(err.rule).error(err.message)
        return None, say.findings
    except csv.Error as err:
        say.bind("csv_shape").error(
            f"The CSV text cannot be read: {_brief(err)}. Check for an unclosed quote mark, a very long"
            " cell or a NUL character."
        )
        return None, say.findings
    say.bind("csv_shape")
    if not records:
        say.error("The CSV file has no heading row and no data.")
        return None, say.findings
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "semicolons" if ";" in header[0] else "tabs"
        say.error(
            f"The heading row is one cell ({quote(header[0])}): this file separates its cells with {separator},"
            f" not commas. {HOW_TO_SAVE_CSV}"
        )
        return None, say.findings
    if len(header) > MAX_COLUMNS:
        say.bind("column_limit").error(f"The file has {len(header):,} columns; at most {MAX_COLUMNS} are accepted.")
        return None, say.findings
    if not rows:
        return None, say.findings + [no_rows_finding(file_name)]
    ragged = [i for i, r in enumerate(rows) if len(r) != len(header)]
    duplicated = duplicate_columns(header, say, where=" in the heading row")
    if ragged:
        first = ragged[0]
        say.bind("csv_shape").error(
            f"{plural(len(ragged), 'row has', 'rows have')} a different number of cells from the heading row"
            f" ({len(header)}); row {first + 1} has {len(rows[first])}. Check for a stray comma, or a comma inside"
            " text that is not in double quotes.",
            ragged,
        )
    if ragged or duplicated:
        return None, say.findings
    say.bind("csv_shape").passed(
        f"{plural(len(rows), 'row')} of {len(header)} cells each under the heading row"
        + (f" ({plural(blank, 'empty row')} skipped)." if blank else ".")
    )

    specs = {s.name: s for s in column_specs(dataset)}
    frame = pd.DataFrame(index=range(len(rows)))
    for index, name in enumerate(header):
        spec = specs.get(name)
        if spec is None:
            # Not a contract column: keep the heading for the validator's message, drop the values unread.
            frame[name] = pd.Series([None] * len(rows), dtype=object)
            continue
        cells = [r[index].strip() for r in rows]
        converted, failures = _convert(cells, spec)
        if failures:
            _conversion_error(say.bind("column_type", spec.name), spec, failures)
            frame[name] = pd.Series(cells, dtype=object)  # left as text: the validator skips rules that need it
        else:
            frame[name] = converted
    return frame, say.findings


class CsvTooMuch(Exception):
    """A CSV file past one of the reader's caps: carries the finding's rule and message."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule, self.message = rule, message


def csv_records(text: str, row_cap: int) -> tuple[list[list[str]], int]:
    """The CSV records (heading first) and how many empty ones were skipped, stopping at the first cap passed
    (CsvTooMuch). Every reader of CSV text uses this: snapshots here, the census worker table in intake.

    Rows of empty cells (',,,,' as spreadsheets export below the data) are skipped like blank lines, but still
    counted: a file of a million of them stops at the cap, not after reading them all. Each record is held to
    MAX_RECORD_BYTES, so one record of millions of tiny quoted cells cannot fill memory before it is counted.
    """
    used = [0]

    def lines():
        for line in io.StringIO(text, newline=""):
            used[0] += len(line)
            if used[0] > MAX_RECORD_BYTES:
                raise CsvTooMuch(
                    "csv_shape",
                    f"A row of this file is longer than {_size(MAX_RECORD_BYTES)}, far longer than any row of a"
                    " snapshot: a heading with thousands of columns, or a quote mark that is never closed (which"
                    " makes the rest of the file one cell). Check the file in a text editor.",
                )
            yield line

    records: list[list[str]] = []
    blank = 0
    seen = 0
    reader = csv.reader(lines(), strict=True)
    for record in reader:
        used[0] = 0
        if len(record) > MAX_COLUMNS * 4:
            raise CsvTooMuch("column_limit", f"A row has {len(record):,} cells; at most {MAX_COLUMNS} are accepted.")
        seen += 1
        if not any(cell.strip() for cell in record):
            blank += 1
        else:
            records.append(record)
        if seen > row_cap + 1:
            raise CsvTooMuch(
                "row_limit",
                f"The file holds more than {row_cap:,} rows (reading stopped there; empty rows count too); at most"
                f" {row_cap:,} are accepted for this dataset. Check that this is the right file, and delete any"
                " empty rows below the data.",
            )
    return records, blank


def _escaped(data: bytes) -> str:
    return "".join(f"\\x{b:02x}" for b in data)


def _convert(cells: list[str], spec: ColumnSpec) -> tuple[pd.Series, list[tuple[int, str]]]:
    values: list[object] = []
    failures: list[tuple[int, str]] = []
    for pos, cell in enumerate(cells):
        if cell == "":
            values.append(None)
            continue
        value = _parse_cell(cell, spec.kind)
        if value is None:
            failures.append((pos, cell))
        values.append(value)
    if spec.kind == DATE:
        series = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    elif spec.kind in (NUMBER, INTEGER):
        series = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    else:
        series = pd.Series(values, dtype=object)
    return series, failures


def _parse_cell(cell: str, kind: str) -> object | None:
    """The cell as its contract type, or None if it is not one."""
    if kind == TEXT:
        return cell
    if kind == BOOLEAN:
        return truth(cell)
    if kind in (NUMBER, INTEGER):
        if not NUMBER_TEXT.match(cell):
            return None  # also refuses 'nan' and 'inf', which float() would take
        number = float(cell.replace(",", ""))
        if kind == INTEGER and not number.is_integer():
            return None
        return number
    if kind == DATE:
        try:
            if match := ISO_DATE.match(cell):
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            elif match := UK_DATE.match(cell):  # British day/month/year, as Excel writes it in the UK
                day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            else:
                return None
        except ValueError:
            return None
        # Out of range (0001-01-01, 9999-12-31): a failure here, named with the range in the finding.
        return pd.Timestamp(day) if DATE_MIN <= day <= DATE_MAX else None
    raise ValueError(kind)


def _conversion_error(say: Collector, spec: ColumnSpec, failures: list[tuple[int, str]]) -> None:
    sample = failures[0][1]
    examples = list(dict.fromkeys(cell for _, cell in failures))[:5]
    hint = ""
    if spec.name == "value":
        hint = (
            " For a figure you cannot give, leave 'value' empty and put a GSS symbol in 'symbol': "
            + ", ".join(catalogue.SYMBOLS)
            + " ("
            + ", ".join(f"'{r}'" for r in catalogue.REFUSED_SYMBOLS[:6])
            + " ... are refused)."
        )
    elif spec.kind == BOOLEAN:
        hint = " Write true or false (yes/no also accepted)."
    elif spec.kind == DATE:
        hint = f" Dates must fall between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."
    say.error(
        f"Column '{spec.name}' must hold {TYPE_ADVICE[spec.kind]}, but {quote(sample)} is not one"
        + (f" (also {', '.join(quote(e) for e in examples[1:])})" if len(examples) > 1 else "")
        + f".{hint}",
        [p for p, _ in failures],
    )


# ------------------------------------------------------------------------------------------------------------
# Isolation: untrusted bytes are read in a child process
# ------------------------------------------------------------------------------------------------------------
# The caps above bound what a well-behaved reader does with a file. They cannot help when the reader itself fails
# hard: pyarrow 26 aborts the whole process (a C++ exception it cannot pass on) on some damaged footers, such as a
# size statistic whose level histogram has the wrong length, found by fuzzing. In the dashboard's server that
# would end every visitor's session. So the upload paths read through `read_untrusted`, which runs read_snapshot in
# a forked copy of the process, with a time limit. A crash or a timeout there is a finding, and the server carries
# on.
# Why fork, not forkserver or spawn: a forked child has exactly this process's modules, so nothing is imported
# again (a read costs tens of milliseconds) and no script is re-run as __main__; forkserver (Python 3.11) imports
# its preloaded modules from a fresh interpreter's sys.path, which may be another copy of this package. Forking
# beside the server's threads could in principle leave a lock held in the child; the child only reads bytes and
# sends back the result, and the time limit ends it if it ever hung.

READ_TIMEOUT_SECONDS = 60.0


def _read_in_child(connection, data: bytes, dataset: str, file_name: str) -> None:
    import faulthandler

    # A reader crash here is expected and answered by the parent with a message: no thread dump on stderr (a
    # test runner or server that enabled faulthandler would otherwise print one into its log).
    faulthandler.disable()
    try:
        connection.send(read_snapshot(data, dataset, file_name))
    finally:
        connection.close()


def read_untrusted(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    """read_snapshot, in a child process: the same frame and findings, or a finding if the reader crashed or ran
    past READ_TIMEOUT_SECONDS. Every path that reads an upload (validate, publish, the Upload page) uses this."""
    import multiprocessing

    file_name = clean_label(file_name)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): read here, without the isolation
        return read_snapshot(data, dataset, file_name)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, args=(sender, bytes(data), dataset, file_name), daemon=True)
    child.start()
    sender.close()  # the child holds its own copy: an end of file here means it has gone
    try:
        if receiver.poll(READ_TIMEOUT_SECONDS):
            try:
                return receiver.recv()
            except EOFError:
                pass  # it ended without an answer: it crashed
        else:
            child.kill()
            message = (
                f"Reading the file took longer than {READ_TIMEOUT_SECONDS:.0f} seconds and was stopped; a"
                " snapshot reads in well under a second. Nothing was kept: check that this is the right file."
            )
            return None, [finding(file_name, "file_format", message)]
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    message = (
        f"The file made the reader fail (it stopped with code {child.exitcode}), so it is damaged, or built to"
        " break a reader. Nothing was kept and the dashboard is unaffected. Save the file again and upload it."
    )
    return None, [finding(file_name, "file_format", message)]


def validate_file(
    data: bytes,
    dataset: str,
    file_name: str,
    previous: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Read untrusted bytes safely, then validate (the contract's rules); the file name is a label for the report,
    never a path. Here, not in contract.py, so that the contract never imports its reader."""
    file_name = clean_label(file_name)
    frame, read_findings = read_untrusted(data, dataset, file_name)
    return validate_read(frame, read_findings, dataset, file_name, previous=previous, today=today)

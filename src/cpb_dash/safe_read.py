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

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash.contract import (
    BOOLEAN,
    DATE,
    ERROR,
    INTEGER,
    NUMBER,
    PASS,
    TEXT,
    TYPE_ADVICE,
    ColumnSpec,
    Finding,
    clean_label,
    column_specs,
    duplicate_column_findings,
    plural,
    quote,
    rows_label,
)

MAX_BYTES = 60 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 50
MAX_ROW_GROUPS = 1_000
# A footer for 50 columns x 1,000 row groups is a few MB; anything far larger is not one of our files.
MAX_FOOTER_BYTES = 16 * 1024 * 1024
# What the footer says the data decompresses to: a cap against compression bombs.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
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

HOW_TO_SAVE_CSV = "In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited) (*.csv)'."


def read_snapshot(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    """The snapshot in `data` as a DataFrame (None if it cannot be read safely) and the reading findings.

    Only the contract's columns are decoded. Other columns keep their name (so the validator can say what they
    are) but none of their values: a column holding children's names is never read.
    """
    file_name = clean_label(file_name)
    data = bytes(data)
    findings: list[Finding] = []
    if len(data) == 0:
        return None, [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "file_size",
                "The file is empty (0 bytes). Export the snapshot again and upload the saved file.",
            )
        ]
    if len(data) > MAX_BYTES:
        return None, [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "file_size",
                f"The file is {_size(len(data))}, over the {_size(MAX_BYTES)} limit. A quarter's snapshot is"
                " a"
                " few"
                " thousand rows at most: check that this is the right file.",
            )
        ]
    findings.append(
        Finding(
            PASS,
            file_name,
            None,
            None,
            "file_size",
            f"The file is {_size(len(data))}, within the {_size(MAX_BYTES)} limit.",
        )
    )
    suffix = _suffix(file_name)
    if data[:4] == PARQUET_MAGIC:
        if suffix in CSV_SUFFIXES:
            findings.append(
                Finding(
                    ERROR,
                    file_name,
                    None,
                    None,
                    "file_format",
                    f"The name ends {quote(suffix)} but this is a parquet file, not CSV text. Rename it to"
                    " end"
                    " '.parquet' and upload it again.",
                )
            )
        frame, parquet_findings = _read_parquet(data, dataset, file_name)
        return frame, findings + parquet_findings
    kind = _sniff(data)
    if kind == "excel":  # .xlsx (an old .xls is refused there): the zip and XML checks live in safe_xlsx
        from cpb_dash.safe_xlsx import read_records, records_as_csv

        wanted = [s.name for s in column_specs(dataset)]
        records, xlsx_findings = read_records(data, file_name, wanted, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        if records is None:
            return None, findings + xlsx_findings
        # The sheet's cells, as text, go through the CSV reader's own per-cell checks: one copy of those rules.
        frame, csv_findings = _read_csv(records_as_csv(records), dataset, file_name)
        return frame, findings + xlsx_findings + [f for f in csv_findings if f.rule != "encoding"]
    if kind == "utf16":
        return None, findings + [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "encoding",
                "This file is UTF-16 text ('Unicode text' in Excel); only UTF-8 is accepted."
                f" {HOW_TO_SAVE_CSV}",
            )
        ]
    if kind != "csv":
        ends_like_parquet = data[-4:] == PARQUET_MAGIC
        return None, findings + [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "file_format",
                "This is neither a parquet file nor CSV text"
                + (
                    " (it ends like a parquet file but does not start like one: it is damaged)"
                    if ends_like_parquet
                    else f" (it starts with {quote(_hex(data[:8]))})"
                )
                + ". Upload the snapshot as .parquet or as a UTF-8 .csv file.",
            )
        ]
    if suffix in PARQUET_SUFFIXES:
        # Said plainly, then the text is still read as CSV so the officer sees every other problem at once.
        findings.append(
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "file_format",
                f"This is not a parquet file; it looks like CSV text (the name ends {quote(suffix)} but the"
                " file"
                " does"
                " not start with the parquet marker 'PAR1'). Upload it with a name ending '.csv', or save it"
                " as"
                " parquet.",
            )
        )
    frame, csv_findings = _read_csv(data, dataset, file_name)
    return frame, findings + csv_findings


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


def _read_parquet(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding(ERROR, file_name, None, None, rule, message)]

    if data[-4:] == ENCRYPTED_MAGIC:
        return fail("file_format", "This parquet file is encrypted; upload an unencrypted file.")
    if len(data) < 12 or data[-4:] != PARQUET_MAGIC:
        return fail(
            "parquet_footer",
            "The file starts like a parquet file but is cut short or damaged: it has no parquet footer (the"
            " closing 'PAR1' marker). Save the file again and upload the whole of it.",
        )
    footer_length = int.from_bytes(data[-8:-4], "little")
    if footer_length == 0 or footer_length > len(data) - 12 or footer_length > MAX_FOOTER_BYTES:
        return fail(
            "parquet_footer",
            f"The parquet footer claims to be {plural(footer_length, 'byte')} long, which does not fit a"
            f" {_size(len(data))} file: the file is damaged. Save it again and upload it.",
        )
    try:
        parquet = pq.ParquetFile(
            pa.BufferReader(data),
            thrift_string_size_limit=THRIFT_STRING_LIMIT,
            thrift_container_size_limit=THRIFT_CONTAINER_LIMIT,
            schema_depth_limit=SCHEMA_DEPTH_LIMIT,
            pre_buffer=False,
        )
        meta = parquet.metadata
    except Exception as err:  # pyarrow raises several types for a bad footer; all mean the same to an officer
        return fail(
            "parquet_footer", f"The parquet footer cannot be read, so the file is damaged ({_brief(err)})."
        )

    findings: list[Finding] = []
    if meta.num_rows < 0 or meta.num_rows > MAX_ROWS:
        findings.append(
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "row_limit",
                f"The file says it holds {meta.num_rows:,} rows; at most {MAX_ROWS:,} are accepted. A"
                " quarter's"
                " snapshot has a few thousand rows at most: check that this is the right file.",
            )
        )
    if meta.num_columns > MAX_COLUMNS:
        findings.append(
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "column_limit",
                f"The file has {meta.num_columns:,} columns; at most {MAX_COLUMNS} are accepted (the"
                " contract has"
                f" {len(column_specs(dataset))}).",
            )
        )
    if meta.num_row_groups > MAX_ROW_GROUPS:
        findings.append(
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "row_group_limit",
                f"The file has {meta.num_row_groups:,} row groups; at most {MAX_ROW_GROUPS:,} are accepted."
                " Write it"
                " again in one piece (for example with pandas' to_parquet).",
            )
        )
    if findings:
        return None, findings  # nothing further is read from a file that claims too much
    problem = _footer_inconsistency(meta, footer_start=len(data) - 8 - footer_length)
    if problem:
        return fail(
            "parquet_footer", f"The parquet footer does not agree with the file: {problem}. It is damaged."
        )
    findings.append(
        Finding(
            PASS,
            file_name,
            None,
            None,
            "parquet_footer",
            f"A parquet file: the markers and footer are sound ({plural(meta.num_rows, 'row')},"
            f" {plural(meta.num_columns, 'column')}, {plural(meta.num_row_groups, 'row group')}, within the"
            " limits of"
            f" {MAX_ROWS:,} rows, {MAX_COLUMNS} columns and {MAX_ROW_GROUPS:,} row groups).",
        )
    )

    try:
        schema = parquet.schema_arrow
    except Exception as err:
        return fail(
            "parquet_footer", f"The parquet schema cannot be read, so the file is damaged ({_brief(err)})."
        )
    unsafe = [(f.name, why) for f in schema if (why := _unsafe_type(f))]
    for name, why in unsafe:
        findings.append(
            Finding(
                ERROR,
                file_name,
                name,
                None,
                "column_type_safe",
                f"Column {quote(name)} has {why}. Snapshot columns hold plain dates, text, numbers or"
                " true/false"
                " values only.",
            )
        )
    duplicated = duplicate_column_findings(schema.names, file_name)
    findings += duplicated
    if unsafe or duplicated:
        return None, findings
    findings.append(
        Finding(PASS, file_name, None, None, "column_type_safe", "No column has a nested or extension type.")
    )

    expected = [s.name for s in column_specs(dataset)]
    wanted = [n for n in schema.names if n in expected]
    try:
        table = parquet.read(columns=wanted, use_threads=False)
    except Exception as err:
        return fail(
            "parquet_footer", f"The data in the file cannot be read, so it is damaged ({_brief(err)})."
        )
    if table.num_rows != meta.num_rows:
        return fail(
            "parquet_footer", f"The footer says {meta.num_rows:,} rows but the data holds {table.num_rows:,}."
        )
    # Parquet readers do not check that text is valid UTF-8; a full validation does, before pandas sees it.
    broken = []
    for name in table.column_names:
        try:
            table.column(name).validate(full=True)
        except pa.ArrowInvalid:
            broken.append(name)
    if broken:
        return None, [
            Finding(
                ERROR,
                file_name,
                name,
                None,
                "encoding",
                f"Column {quote(name)} holds text that is not valid UTF-8, so the file is damaged. Save it"
                " again"
                " and upload it.",
            )
            for name in broken
        ]
    # The file's own pandas metadata (index, categories, dtypes) is untrusted JSON and not needed: drop it.
    # Dates come back as datetime64, so every reader downstream sees one type of date.
    try:
        read = table.replace_schema_metadata(None).to_pandas(date_as_object=False)
    except Exception as err:
        return fail(
            "parquet_footer", f"The data in the file cannot be converted, so it is damaged ({_brief(err)})."
        )
    frame = pd.DataFrame(index=range(table.num_rows))
    for name in schema.names:
        frame[name] = read[name] if name in expected else pd.Series([None] * table.num_rows, dtype=object)
    return frame, findings


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
        return (
            f"its data would unpack to {_size(uncompressed)}, over the {_size(MAX_UNCOMPRESSED_BYTES)} limit"
        )
    return None


def _unsafe_type(field: pa.Field) -> str | None:
    """Why a column's Arrow type is refused (extension or nested), or None."""
    metadata = field.metadata or {}
    # BaseExtensionType, not ExtensionType: canonical types such as arrow.uuid are not Python subclasses.
    if isinstance(field.type, pa.BaseExtensionType) or b"ARROW:extension:name" in metadata:
        name = getattr(field.type, "extension_name", None) or metadata.get(
            b"ARROW:extension:name", b""
        ).decode("utf-8", "replace")
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
TRUE_TEXT = frozenset({"true", "yes", "y", "1"})
FALSE_TEXT = frozenset({"false", "no", "n", "0"})


def _read_csv(data: bytes, dataset: str, file_name: str) -> tuple[pd.DataFrame | None, list[Finding]]:
    findings: list[Finding] = []
    offset = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        text = data[offset:].decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        where = offset + err.start
        line = data[:where].count(b"\n") + 1
        bad = data[where : where + max(1, min(err.end - err.start, 4))]
        return None, [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "encoding",
                f"The file is not UTF-8 text: byte {where:,} (line {line}) is {quote(_escaped(bad))}, which"
                " UTF-8 does"
                " not allow (often an accented letter or a '£' saved in an older Windows encoding)."
                f" {HOW_TO_SAVE_CSV}",
            )
        ]
    findings.append(
        Finding(
            PASS,
            file_name,
            None,
            None,
            "encoding",
            "CSV text in UTF-8" + (" (the byte-order mark at the start was ignored)." if offset else "."),
        )
    )
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), strict=True) if r]
    except csv.Error as err:
        return None, findings + [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "csv_shape",
                f"The CSV text cannot be read: {err}. Check for an unclosed quote mark or a very long cell.",
            )
        ]
    if not records:
        return None, findings + [
            Finding(ERROR, file_name, None, None, "csv_shape", "The CSV file has no heading row and no data.")
        ]
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    if len(header) > MAX_COLUMNS:
        return None, findings + [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "column_limit",
                f"The file has {len(header):,} columns; at most {MAX_COLUMNS} are accepted.",
            )
        ]
    if len(rows) > MAX_ROWS:
        return None, findings + [
            Finding(
                ERROR,
                file_name,
                None,
                None,
                "row_limit",
                f"The file holds {len(rows):,} rows; at most {MAX_ROWS:,} are accepted.",
            )
        ]
    ragged = [i for i, r in enumerate(rows) if len(r) != len(header)]
    duplicated = duplicate_column_findings(header, file_name, where=" in the heading row")
    findings += duplicated
    if ragged:
        first = ragged[0]
        findings.append(
            Finding(
                ERROR,
                file_name,
                None,
                rows_label(ragged),
                "csv_shape",
                f"{plural(len(ragged), 'row has', 'rows have')} a different number of cells from the heading"
                " row"
                f" ({len(header)}); row {first + 1} has {len(rows[first])}. Check for a stray comma, or a"
                " comma"
                " inside"
                " text that is not in double quotes.",
            )
        )
    if ragged or duplicated:
        return None, findings
    findings.append(
        Finding(
            PASS,
            file_name,
            None,
            None,
            "csv_shape",
            f"{plural(len(rows), 'row')} of {len(header)} cells each under the heading row.",
        )
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
            findings.append(_conversion_finding(file_name, spec, failures))
            frame[name] = pd.Series(
                cells, dtype=object
            )  # left as text: the validator skips rules that need it
        else:
            frame[name] = converted
    return frame, findings


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
        folded = cell.lower()
        return True if folded in TRUE_TEXT else False if folded in FALSE_TEXT else None
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
                return pd.Timestamp(dt.date(int(match[1]), int(match[2]), int(match[3])))
            if match := UK_DATE.match(cell):  # British day/month/year, as Excel writes it in the UK
                return pd.Timestamp(dt.date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            return None
        return None
    raise ValueError(kind)


def _conversion_finding(file_name: str, spec: ColumnSpec, failures: list[tuple[int, str]]) -> Finding:
    positions = [p for p, _ in failures]
    sample = failures[0][1]
    examples = list(dict.fromkeys(cell for _, cell in failures))[:5]
    hint = ""
    if spec.name == "value":
        hint = (
            " For a figure you cannot give, leave 'value' empty and put a GSS symbol in 'symbol': c, x, z,"
            " low or u"
            " ('N/A', '-', ':', '~' and 'NULL' are refused)."
        )
    elif spec.kind == BOOLEAN:
        hint = " Write true or false (yes/no also accepted)."
    return Finding(
        ERROR,
        file_name,
        spec.name,
        rows_label(positions),
        "column_type",
        f"Column '{spec.name}' must hold {TYPE_ADVICE[spec.kind]}, but {quote(sample)} is not one"
        + (f" (also {', '.join(quote(e) for e in examples[1:])})" if len(examples) > 1 else "")
        + f".{hint}",
    )

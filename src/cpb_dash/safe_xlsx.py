"""Untrusted Excel (.xlsx) bytes -> a heading row and rows of cell text, or findings saying why not.

An .xlsx file is a zip of XML parts, so it is checked as a zip before anything is expanded: the directory's
declared sizes and compression ratios (a zip bomb is refused unread), no encrypted parts, no macros
(vbaProject, a macro-enabled content type). Python's zipfile never expands a part past its declared size, so
the declared sizes bound the memory used. The XML is parsed by openpyxl through defusedxml, which refuses
entity declarations (the "billion laughs" expansion) and external entities. Workbooks are opened read-only and
only the values Excel last calculated are read: formulas are never evaluated, links never followed.

Cells come back as text in the form the CSV reader accepts (numbers in plain decimals, dates as 2025-09-30,
true/false), so an Excel upload goes through exactly the same per-cell checks as a CSV one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from cpb_dash.findings import PASS, Finding, finding, plural, quote

XLSX_SUFFIXES = (".xlsx",)
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")

# Limits on what the zip directory may declare, checked before any part is expanded.
MAX_PARTS = 1_000
MAX_EXPANDED_BYTES = 256 * 1024 * 1024  # all parts together, uncompressed
MAX_PART_BYTES = 200 * 1024 * 1024  # one part
MAX_RATIO = 100  # uncompressed / compressed, for parts over RATIO_FLOOR (real sheet XML is 5 to 30)
RATIO_FLOOR = 1024 * 1024
MAX_SHEETS = 50
HEADING_ROWS_SEARCHED = 10  # a report's title rows may sit above its headings

# A caller's own caps (rows, columns) are passed in; these are the defaults, the same as for CSV.
DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_COLUMNS = 50

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


def looks_like_xlsx(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


def looks_like_old_excel(data: bytes) -> bool:
    """An OLE compound file: an old .xls workbook, or an .xlsx saved with a password (Excel encrypts it so)."""
    return data[:4] == OLE_MAGIC


def read_records(
    data: bytes,
    file_name: str,
    wanted: Sequence[str],
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
) -> tuple[list[list[str]] | None, list[Finding]]:
    """The sheet whose headings best match `wanted`: [headings, row, row, ...] as text, and the findings.

    Rows with no value at all are left out, as a CSV reader leaves out blank lines.
    """

    def fail(rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [finding(file_name, rule, message)]

    if looks_like_old_excel(data):
        return fail(
            "file_format",
            "This is an older Excel workbook (.xls), or an .xlsx file protected with a password; neither can be"
            " read. In Excel, remove any password, then use Save As and choose 'Excel Workbook (*.xlsx)' or"
            " 'CSV UTF-8 (Comma delimited) (*.csv)'.",
        )
    suffix = file_name.lower().strip().rsplit(".", 1)[-1] if "." in file_name else ""
    if f".{suffix}" in MACRO_SUFFIXES:
        return fail(
            "xlsx_macros",
            f"Files ending '.{suffix}' can hold macros or a binary format and are not accepted. In Excel, use Save"
            " As and choose 'Excel Workbook (*.xlsx)' (which holds no macros) or 'CSV UTF-8 (*.csv)'.",
        )
    problem = _zip_problem(data)
    if problem:
        return fail(*problem)

    import openpyxl  # imported here: only an Excel upload pays for it
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # never parse an upload's XML without the entity guard
        return fail("file_format", "Excel files cannot be read on this server (defusedxml is missing).")
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False, keep_vba=False
        )
    except Exception as err:  # openpyxl and defusedxml raise many types; all mean the same to an officer
        return fail("xlsx_damaged", _damaged(err))
    try:
        return _records_from_book(book, file_name, wanted, max_rows, max_columns)
    except Exception as err:
        return fail("xlsx_damaged", _damaged(err))
    finally:
        book.close()


def _damaged(err: BaseException) -> str:
    chain: list[BaseException] = []
    while err is not None and len(chain) < 10:  # openpyxl wraps the parser's refusal in its own ValueError
        chain.append(err)
        err = err.__cause__ or err.__context__
    names = " ".join(type(e).__name__ for e in chain)
    if "Entities" in names or "DTD" in names or "Forbidden" in names:
        return (
            "The workbook's XML declares entities (a DOCTYPE), which Excel never writes and which can be used to"
            " make a small file expand enormously; it was not read. Open it in Excel, use Save As 'Excel"
            " Workbook (*.xlsx)', and upload the new file."
        )
    return (
        "The workbook cannot be read: it is damaged or not a real Excel file. Open it in Excel, use Save As"
        " 'Excel Workbook (*.xlsx)' or 'CSV UTF-8 (*.csv)', and upload the new file."
    )


def _zip_problem(data: bytes) -> tuple[str, str] | None:
    """(rule, message) if the zip directory is unsafe or not an Excel workbook's, else None. Nothing is expanded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return "xlsx_damaged", (
            "The file starts like an Excel workbook (a zip file) but its directory cannot be read: it is cut short"
            " or damaged. Save it again in Excel and upload the whole file."
        )
    if len(infos) > MAX_PARTS:
        return "xlsx_zip_limits", (
            f"The workbook holds {len(infos):,} parts; an Excel workbook has a few dozen, and at most"
            f" {MAX_PARTS:,} are accepted. Save the sheet on its own as .xlsx or CSV."
        )
    names = {info.filename.lower() for info in infos}
    if any("vbaproject" in name or name.endswith(".bin") and "vba" in name for name in names):
        return "xlsx_macros", (
            "The workbook contains macros (a vbaProject part), which are never accepted. In Excel, use Save As"
            " 'Excel Workbook (*.xlsx)', which removes them, and upload that file."
        )
    if "[content_types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        return "file_format", (
            "This is a zip file but not an Excel workbook (it has no worksheets). Upload the .xlsx file itself,"
            " or the data saved as CSV."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return "xlsx_damaged", "Part of the workbook is encrypted. Remove the password in Excel and save again."
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return "xlsx_damaged", (
                "The workbook uses a compression Excel does not write. Save it again in Excel as .xlsx."
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            return "xlsx_zip_limits", (
                f"One part of the workbook would expand to {_mb(info.file_size)} (a ratio of {ratio:,.0f} to 1"
                f" from {_mb(info.compress_size)}); at most {_mb(MAX_PART_BYTES)} and {MAX_RATIO} to 1 are"
                " accepted. It was not expanded: this is not a workbook Excel writes for a table of this size."
            )
    if total > MAX_EXPANDED_BYTES:
        return "xlsx_zip_limits", (
            f"The workbook would expand to {_mb(total)}; at most {_mb(MAX_EXPANDED_BYTES)} are accepted. It was not"
            " expanded. Save only the sheet you need, as .xlsx or CSV."
        )
    content_types = archive.read("[Content_Types].xml") if _small(archive, "[Content_Types].xml") else b""
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        return "xlsx_macros", (
            "The workbook is macro-enabled, which is never accepted. In Excel, use Save As 'Excel Workbook"
            " (*.xlsx)', which removes the macros, and upload that file."
        )
    return None


def _small(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        return archive.getinfo(name).file_size <= 1024 * 1024
    except KeyError:
        return False


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def _records_from_book(
    book, file_name: str, wanted: Sequence[str], max_rows: int, max_columns: int
) -> tuple[list[list[str]] | None, list[Finding]]:
    def fail(rule: str, message: str, rows: list[int] | None = None) -> tuple[None, list[Finding]]:
        return None, [finding(file_name, rule, message, rows=rows)]

    sheets = book.worksheets[:MAX_SHEETS]
    if not sheets:
        return fail("xlsx_sheet", "The workbook has no worksheets.")
    wanted_set = {w.strip().lower() for w in wanted}
    best: tuple[int, int, int] | None = None  # (matches, sheet index, heading row index)
    for sheet in sheets:
        # Read-only mode trusts the sheet's declared size (<dimension>) and would silently drop rows below it.
        sheet.reset_dimensions()
    for index, sheet in enumerate(sheets):
        for row_index, row in enumerate(
            sheet.iter_rows(max_row=HEADING_ROWS_SEARCHED, max_col=max_columns, values_only=True)
        ):
            headings = {_text(v).strip().lower() for v in row if v is not None}
            matches = len(headings & wanted_set)
            if matches and (best is None or matches > best[0]):
                best = (matches, index, row_index)
    # No sheet has a single expected heading: read the first sheet, so the report names the headings it has.
    matches, sheet_index, heading_row = best or (0, 0, 0)
    sheet = sheets[sheet_index]
    records: list[list[str]] = []
    too_wide = False
    # Empty rows are skipped but counted: a cell placed at row 1,048,576 (or far beyond, in a crafted file) would
    # otherwise have the reader walk every empty row above it.
    max_rows_walked = 2 * max_rows + 10_000
    for walked, row in enumerate(sheet.iter_rows(min_row=heading_row + 1, max_col=max_columns + 1, values_only=True)):
        if walked > max_rows_walked:
            return fail(
                "row_limit",
                f"Sheet {quote(sheet.title)} reaches past row {max_rows_walked + heading_row:,}; at most"
                f" {max_rows:,} rows are accepted. Delete the empty rows and anything far below the table,"
                " or save only the table as .xlsx or CSV.",
            )
        if row.count(None) == len(row):  # an empty row, counted in C: the common case below a table
            continue
        cells = [_text(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) > max_columns:
            too_wide = True
            break
        records.append(cells)
        if len(records) > max_rows + 1:
            return fail(
                "row_limit",
                f"Sheet {quote(sheet.title)} holds more than {max_rows:,} rows; at most {max_rows:,} are accepted."
                " Check that this is the right file.",
            )
    if too_wide:
        return fail(
            "column_limit",
            f"Sheet {quote(sheet.title)} has values in more than {max_columns} columns; at most {max_columns} are"
            " accepted. Remove the extra columns, or save only the table as .xlsx or CSV.",
        )
    if not records:
        return fail("xlsx_sheet", f"Sheet {quote(sheet.title)} is empty: it has no heading row and no data.")
    width = len(records[0])
    beyond = [i for i, r in enumerate(records[1:], start=1) if len(r) > width]
    if beyond:
        return fail(
            "csv_shape",
            f"Sheet {quote(sheet.title)} has values to the right of its last heading"
            f" ({quote(records[0][-1])}, column {width}). Give every column a heading, or delete the stray values.",
            [b - 1 for b in beyond[:5]],  # records[b] is data row b: at most five named
        )
    records = [r + [""] * (width - len(r)) if len(r) < width else r for r in records]
    others = [s.title for i, s in enumerate(sheets) if i != sheet_index]
    where = f"sheet {quote(sheet.title)}" + (f", headings on row {heading_row + 1}" if heading_row else "")
    ignored = f" Other sheets were not read: {', '.join(quote(t) for t in others[:10])}." if others else ""
    how = (
        "chosen by its headings"
        if matches and len(sheets) > 1
        else "the workbook's only sheet"
        if len(sheets) == 1
        else "no sheet has the expected headings, so the first was read"
    )
    message = (
        f"An Excel workbook: read {where} ({how}); {plural(len(records) - 1, 'row')} under the headings. Values"
        f" are read as Excel last calculated them; formulas and macros are never run.{ignored}"
    )
    return records, [finding(file_name, "xlsx_sheet", message, level=PASS)]


def _text(value: object) -> str:
    """A cell as the text a CSV file would hold for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")  # a time of day: the type check names it
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        text = format(Decimal(repr(value)), "f")  # 1e-05 -> 0.00001, as a CSV reader expects
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return str(value).strip()


def records_as_csv(records: list[list[str]]) -> bytes:
    """Records as UTF-8 CSV, so they pass through the CSV reader's cell checks unchanged."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue().encode("utf-8")

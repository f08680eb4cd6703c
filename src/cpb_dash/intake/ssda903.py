"""Read an SSDA903 return (CSV files, the DfE's XML, or one zip of them) in memory and check it; nothing is written.

Each CSV file is recognised by its headings, never its name (the name is a label in messages); the XML is turned
into the same tables (ssda903_xml), so every check below runs on both alike. Messages name the
table, column and row, and never quote a child's identifier, date of birth or postcode: only codes are quoted.
A zip is checked from its central directory (entries, declared sizes, compression ratios, encryption) before
any entry is expanded, and each entry is then read no further than the size it declared.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from cpb_dash import catalogue
from cpb_dash.findings import ERROR, WARNING, Collector, Finding, clean_label, plural, quote
from cpb_dash.intake import ssda903_xml
from cpb_dash.intake.ssda903_spec import (
    CODE,
    DATE,
    DATE_FORMAT,
    DATE_FORMAT_TEXT,
    ID,
    POSTCODE,
    TABLES,
    Table,
)

MAX_FILES = 16  # eleven tables, with room for a stray README in a zip
MAX_ZIP_ENTRIES = 64  # entries (folders, readmes and all) a zip's directory may list; 0xFFFF marks a ZIP64 one
MAX_FILE_BYTES = 60 * 1024 * 1024  # one table's CSV, or the whole XML
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all tables together, expanded
MAX_ZIP_RATIO = 100  # declared expanded size / compressed size of an entry: far above any CSV, below a bomb's
MAX_ROWS = 1_000_000  # per table: ten years of a large council's episodes is about 100,000
MAX_COLUMNS = 60
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
UTF8_BOM = b"\xef\xbb\xbf"
# A value short enough, and lettered enough, to be a code; quoted only if no CHILD in the table has it either.
CODE_SHOWN = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{1,5}$")
POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?(?: ?[0-9](?:[A-Z]{2})?)?$")
RETURN = "(the return)"  # the file label of a finding about the return as a whole


@dataclass
class Return903:
    """The tables of one return as typed DataFrames (in memory only), with every finding from reading them."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    source_hash: str = ""  # SHA-256 over the uploaded files' bytes, in name order: recorded in the audit log
    file_for: dict[str, str] = field(default_factory=dict)  # table -> the file label it came from
    lines_for: dict[str, list[int]] = field(default_factory=dict)  # XML tables: the file's line of each row
    _children: int | None = None  # kept when the rows are dropped

    def drop_rows(self) -> None:
        """Forget the child-level tables, keeping only the report (for a preview kept between page runs)."""
        self._children = self.children
        self.tables = {}
        self.lines_for = {}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors and all(t in self.file_for for t, spec in TABLES.items() if spec.needed)

    @property
    def children(self) -> int:
        header = self.tables.get("Header")
        if header is None:
            return self._children or 0
        return int(header["CHILD"].nunique())

    @property
    def source_label(self) -> str:
        """What the audit log records as the source of every version this return publishes."""
        return f"SSDA903 extract, {self.children:,} children, file hash {self.source_hash[:16]}"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def read_return(files: Sequence[tuple[str, bytes]], today: dt.date | None = None) -> Return903:
    """The return in `files` (name, bytes): several CSV files, the DfE's XML, or one zip holding them."""
    today = today or dt.date.today()
    result = Return903()
    digest = hashlib.sha256()
    for _name, data in sorted(files, key=lambda f: clean_label(f[0])):
        digest.update(hashlib.sha256(data).digest())
    result.source_hash = digest.hexdigest()
    members = _expand(files, result.findings)
    if members is None:
        return result
    for label, data in members:
        _read_table(label, data, result)
    missing = [name for name, spec in TABLES.items() if spec.needed and name not in result.tables]
    # An XML file refused whole has said why once: the tables it would have held are not listed again.
    refused_xml = any(f.rule == "xml" and f.level == ERROR for f in result.findings)
    say = Collector(RETURN, result.findings).bind("table_missing")
    for name in [] if refused_xml else missing:
        say.error(
            f"No file holds the {name} table (headings {', '.join(TABLES[name].names)}). The dashboard needs it for"
            f" {TABLES[name].uses}: add its CSV file (or upload the return's XML, which holds every table)."
        )
    for name, spec in TABLES.items():
        if refused_xml or spec.needed or name in result.tables or not spec.uses or spec.uses.startswith("nothing"):
            continue
        if name == "DoLo" and not _reaches_dolo_year(result):
            continue  # a return before 2026-27 has no DoLo table to miss
        headings = ", ".join(TABLES[name].names)
        if result.lines_for and name not in result.lines_for:
            # An XML with none of the table's records: perhaps no child has any, perhaps the extract left them
            # out (the social worker episodes and DoLOs are read by their items wherever they are,
            # ssda903_spec.XML_GROUPS_BY_ITEMS, since their XML layout is not published).
            say.warning(
                f"No {name} table: the XML held none, so {spec.uses} will not be derived; the published figures for"
                f" them are kept. If children in this return have them, upload an XML that includes them, or add the"
                f" table's CSV file (headings {headings}) beside the XML."
            )
        else:
            say.warning(
                f"No {name} table: {spec.uses} will not be derived; the published figures for them are kept. To"
                f" derive them, add its CSV file (headings {headings})."
            )
    if not missing:
        _cross_checks(result, today)
    return result


def _reaches_dolo_year(result: Return903) -> bool:
    """Whether the extract reaches a quarter DoLOs are counted for (its coverage ends at the quarter end on or after
    the Episodes' latest date: derive903.coverage)."""
    episodes = result.tables.get("Episodes")
    if episodes is None:
        return False
    latest = pd.concat([episodes["DECOM"], episodes["DEC"]]).max()
    first_day = pd.Timestamp(catalogue.DOLO_FIRST_QUARTER_END) - pd.offsets.QuarterBegin(startingMonth=1)
    return pd.notna(latest) and latest >= first_day


# ---------------------------------------------------------------------------------------------------------------
# Files and zips
# ---------------------------------------------------------------------------------------------------------------


def _expand(files: Sequence[tuple[str, bytes]], findings: list[Finding]) -> list[tuple[str, bytes]] | None:
    """The CSV members of the upload, or None (with findings) when the upload must be refused whole."""
    say = Collector(RETURN, findings)
    if not files:
        say.bind("no_files").error("No files were given.")
        return None
    if len(files) > MAX_FILES:
        say.bind("file_count").error(
            f"{len(files)} files were given; at most {MAX_FILES} are accepted (one per table)."
        )
        return None
    members: list[tuple[str, bytes]] = []
    total = 0
    for name, data in files:
        label = clean_label(name)
        if data[:4] in (ZIP_MAGIC, EMPTY_ZIP_MAGIC):
            if len(files) > 1:
                Collector(label, findings).bind("zip").error(
                    "Upload either one zip file or the files themselves (CSV, or the XML), not both."
                )
                return None
            inner = _unzip(data, label, findings)
            if inner is None:
                return None
            members.extend(inner)
            total += sum(len(d) for _, d in inner)
            continue
        if len(data) > MAX_FILE_BYTES:
            Collector(label, findings).bind("file_size").error(
                f"The file is {_size(len(data))}, over the {_size(MAX_FILE_BYTES)} limit for one table."
            )
            return None
        total += len(data)
        members.append((label, data))
    if total > MAX_TOTAL_BYTES:
        say.bind("file_size").error(f"The files hold {_size(total)}, over the {_size(MAX_TOTAL_BYTES)} limit.")
        return None
    return members


def _unzip(data: bytes, label: str, findings: list[Finding]) -> list[tuple[str, bytes]] | None:
    say = Collector(label, findings).bind("zip")

    def refuse(message: str) -> None:
        say.error(message + " Nothing in the zip was read.")

    if len(data) > MAX_TOTAL_BYTES:
        refuse(f"The zip is {_size(len(data))}, over the {_size(MAX_TOTAL_BYTES)} limit.")
        return None
    # The end-of-directory record says how many entries the directory lists: checked before the directory itself
    # is read, so a zip listing millions of entries costs nothing.
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    listed = struct.unpack("<H", data[end + 10 : end + 12])[0] if end >= 0 and len(data) >= end + 22 else None
    if listed is None:
        refuse("The zip file is damaged or not a zip file.")
        return None
    if listed > MAX_ZIP_ENTRIES:
        refuse(f"The zip lists {listed:,} entries; at most {MAX_ZIP_ENTRIES} are accepted (one file per table).")
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [e for e in archive.infolist() if not e.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        refuse("The zip file is damaged or not a zip file.")
        return None
    names = {e.filename for e in entries}
    if "[Content_Types].xml" in names or "xl/workbook.xml" in names:
        refuse(
            "This is an Excel workbook, not a zip of CSV or XML files. Save each table of the return as 'CSV UTF-8'"
            " (one file per table) and upload those, or a zip of them."
        )
        return None
    # Files a zip tool adds beside the tables (macOS resource forks, a readme) are left unread, and said so.
    skipped = [
        e for e in entries if e.filename.startswith("__MACOSX/") or not e.filename.lower().endswith((".csv", ".xml"))
    ]
    if skipped:
        say.warning(
            f"{plural(len(skipped), 'file')} in the zip that is not CSV or XML was not read"
            f" ({', '.join(quote(clean_label(e.filename), 40) for e in skipped[:3])})."
        )
    entries = [e for e in entries if e not in skipped]
    # Everything below is decided from the central directory alone, before a byte is expanded.
    if len(entries) > MAX_FILES:
        refuse(f"The zip holds {len(entries)} files; at most {MAX_FILES} are accepted (one per table).")
        return None
    declared = sum(e.file_size for e in entries)
    if declared > MAX_TOTAL_BYTES:
        refuse(f"The zip's files would expand to {_size(declared)}, over the {_size(MAX_TOTAL_BYTES)} limit.")
        return None
    for entry in entries:
        inner = clean_label(entry.filename)
        if entry.flag_bits & 0x1:
            refuse(f"'{inner}' in the zip is encrypted: zip the files without a password.")
            return None
        if entry.file_size > MAX_FILE_BYTES:
            refuse(
                f"'{inner}' in the zip would expand to {_size(entry.file_size)}, over the"
                f" {_size(MAX_FILE_BYTES)} limit for one table."
            )
            return None
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            refuse(
                f"'{inner}' in the zip is compressed more than {MAX_ZIP_RATIO} to 1, as no CSV export is"
                " (a 'zip bomb')."
            )
            return None
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            refuse(f"'{inner}' in the zip uses a compression method other than the standard one (deflate).")
            return None
    members = []
    for entry in entries:
        inner = clean_label(entry.filename)
        try:
            with archive.open(entry) as handle:
                body = handle.read(entry.file_size + 1)  # never more than declared, whatever the stream holds
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            refuse(f"'{inner}' in the zip is damaged.")
            return None
        if len(body) != entry.file_size:
            refuse(f"'{inner}' in the zip does not hold the size its directory declares.")
            return None
        if body[:4] in (ZIP_MAGIC, EMPTY_ZIP_MAGIC):
            refuse(f"'{inner}' is a zip inside the zip: put the files in one zip.")
            return None
        members.append((f"{label}/{inner}", body))
    return members


# ---------------------------------------------------------------------------------------------------------------
# One table
# ---------------------------------------------------------------------------------------------------------------


def _identify(header: list[str]) -> tuple[Table | None, str]:
    """The table whose headings this file has, and a message when none fits."""
    present = set(header)
    fits = [t for t in TABLES.values() if set(t.names) - set(t.optional_columns) <= present]
    if fits:
        return max(fits, key=lambda t: len(set(t.names) & present)), ""
    best = max(TABLES.values(), key=lambda t: len(set(t.names) & present))
    overlap = set(best.names) & present
    if len(overlap - {"CHILD", "DOB"}) >= 1:
        lacking = [c for c in best.names if c not in present and c not in best.optional_columns]
        return None, (
            f"Its headings look like the {best.name} table but it lacks {', '.join(lacking)}. Export the"
            f" table with every heading the DfE specifies: {', '.join(best.names)}."
        )
    return None, (
        "Its headings match no SSDA903 table. Each file must be one table of the return, with the DfE's"
        " headings in its first row, for example Header (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB) or"
        " Episodes (CHILD, DECOM, RNE, LS, CIN, PLACE, ...)."
    )


def _read_xml(label: str, data: bytes, result: Return903) -> None:
    """The DfE's XML: every table it holds, each then typed and checked as a CSV table is."""
    tables, findings = ssda903_xml.read_xml(data, label, MAX_ROWS)
    result.findings.extend(findings)
    for name, (raw, lines) in tables.items():
        if _twice(label, TABLES[name], result):
            continue
        result.lines_for[name] = lines
        _take_table(label, f"{label} ({name} table)", TABLES[name], raw, result)


def _twice(label: str, table: Table, result: Return903) -> bool:
    if table.name not in result.tables:
        return False
    Collector(f"{label} ({table.name} table)", result.findings).bind("table_twice").error(
        f"Two files hold the {table.name} table ({result.file_for[table.name]} and this one): upload each table once."
    )
    return True


def _table_says(result: Return903, where: str, table: str) -> Collector:
    """A collector for one table's findings: rows named as the CSV table's data rows, or as the XML file's lines."""
    lines = result.lines_for.get(table)
    return Collector(where, result.findings, None if lines is None else partial(ssda903_xml.lines_label, lines))


def _read_table(label: str, data: bytes, result: Return903) -> None:
    if ssda903_xml.looks_like_xml(data):
        _read_xml(label, data, result)
        return
    say = Collector(label, result.findings)
    offset = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: offset + err.start].count(b"\n") + 1
        say.bind("encoding").error(f"The file is not UTF-8 text (line {line}). Save it as 'CSV UTF-8'.")
        return
    first_line = text.split("\n", 1)[0]
    header = [h.strip().upper() for h in next(csv.reader([first_line]), [])]
    if not any(header):
        say.bind("csv_shape").error("The file is empty: it has no heading row.")
        return
    if len(header) > MAX_COLUMNS:
        say.bind("column_limit").error(
            f"The file has {len(header)} columns; no SSDA903 table has more than {MAX_COLUMNS}."
        )
        return
    table, why = _identify(header)
    if table is None:
        say.bind("table_unknown").error(why)
        return
    where = f"{label} ({table.name} table)"
    if _twice(label, table, result):
        return
    say = Collector(where, result.findings)
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        say.bind("csv_shape", duplicated[0]).error(f"Column {duplicated[0]} appears more than once in the heading row.")
        return
    if text.count("\n") > MAX_ROWS + 1:
        say.bind("row_limit").error(f"The table has more than {MAX_ROWS:,} rows, the most accepted.")
        return
    # Every row must have as many cells as the heading row: pandas would otherwise take a longer row's first cell
    # as an index and shift every column by one.
    try:
        ragged = [
            n
            for n, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
            if cells and len(cells) != len(header)
        ]
    except csv.Error:
        ragged = [0]
    if ragged:
        say.bind("csv_shape").error(
            f"{plural(len(ragged), 'line has', 'lines have')} a different number of cells from the"
            f" heading row ({len(header)})"
            + (f": line {', '.join(str(n) for n in ragged[:5])} of the file" if ragged[0] else "")
            + ". Check for a stray comma, or a comma inside text that is not in double quotes."
        )
        return
    try:
        # Every cell as text; only the spec's columns are kept (another column's values are never used).
        raw = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="c",
            index_col=False,
            usecols=lambda c: str(c).strip().upper() in table.names,
        )
    except (pd.errors.ParserError, ValueError):
        say.bind("csv_shape").error("The CSV text cannot be read: check for an unclosed quote mark.")
        return
    raw.columns = [str(c).strip().upper() for c in raw.columns]
    extra = [h for h in header if h and h not in table.names]
    if extra:
        say.bind("unknown_column").warning(
            f"{plural(len(extra), 'column')} the DfE does not specify for this table"
            f" ({', '.join(quote(h, 30) for h in extra[:5])}) were not read."
        )
    _take_table(label, where, table, raw, result)


def _take_table(label: str, where: str, table: Table, raw: pd.DataFrame, result: Return903) -> None:
    """Type each column of a table read as text (from CSV or XML), with a finding for every cell that fails."""
    say = _table_says(result, where, table.name)
    typed = pd.DataFrame(index=raw.index)
    children = set(raw["CHILD"].str.strip().str.upper()) if "CHILD" in raw.columns else set()
    ok = True
    for column in table.columns:
        if column.name not in raw.columns:
            typed[column.name] = (
                pd.Series(pd.NA, index=raw.index, dtype="str")
                if column.kind != DATE
                else pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            )
            continue
        values, good = _typed_column(raw[column.name], table, column, say, children)
        ok = ok and good
        typed[column.name] = values
    say.bind("table_read").passed(
        f"Read as the {table.name} table: {plural(len(typed), 'row')}" + ("." if ok else ", with the problems above.")
    )
    result.tables[table.name] = typed
    result.file_for[table.name] = label


def _typed_column(cells: pd.Series, table: Table, column, say: Collector, children: set[str]) -> tuple[pd.Series, bool]:
    text = cells.str.strip()
    blank = text == ""
    good = True
    if column.required and blank.any():
        good = False
        say.bind("required", column.name).error(
            f"{table.name}: {column.name} is empty in {plural(int(blank.sum()), 'row')}; the DfE requires it on"
            " every row.",
            np.flatnonzero(blank.to_numpy()),
        )
    if column.kind == DATE:
        values = pd.to_datetime(text.where(~blank), format=DATE_FORMAT, errors="coerce")
        bad = values.isna() & ~blank
        if bad.any():
            good = False
            say.bind("date_format", column.name).error(
                f"{table.name}: {column.name} is not a date in the DfE's {DATE_FORMAT_TEXT} form in"
                f" {plural(int(bad.sum()), 'row')} (for example 31/03/2025).",
                np.flatnonzero(bad.to_numpy()),
            )
        return values.astype("datetime64[ns]"), good
    if column.kind == CODE:
        codes = text.str.upper()
        bad = ~codes.isin(column.codes) & ~blank
        if bad.any():
            good = False
            shown = sorted({c for c in codes[bad] if CODE_SHOWN.match(c) and c not in children})[:8]
            say.bind("code", column.name).error(
                f"{table.name}: {column.name} holds a code the DfE does not define in"
                f" {plural(int(bad.sum()), 'row')}"
                + (f" ({', '.join(quote(c) for c in shown)})" if shown else "")
                + f". Accepted: {', '.join(column.codes)}.",
                np.flatnonzero(bad.to_numpy()),
            )
        return codes.where(~blank), good
    if column.kind == POSTCODE:
        postcodes = text.str.upper().str.replace(r"\s+", " ", regex=True)
        bad = ~postcodes.str.match(POSTCODE_SHAPE) & ~blank
        if bad.any():
            say.bind("postcode", column.name).warning(
                f"{table.name}: {column.name} is not a UK postcode in {plural(int(bad.sum()), 'row')}: the distance"
                " from home cannot be worked out for those placements.",
                np.flatnonzero(bad.to_numpy()),
            )
        return postcodes.where(~blank & ~bad), good
    if column.kind == ID:
        return text.where(~blank), good
    return text.where(~blank), good


# ---------------------------------------------------------------------------------------------------------------
# Checks across rows and tables
# ---------------------------------------------------------------------------------------------------------------


ONE_ROW_EACH = {"OC2": ("CHILD",), "OC3": ("CHILD",), "AD1": ("CHILD", "DATE_INT", "DATE_MATCH")}


def _cross_checks(result: Return903, today: dt.date) -> None:
    header, episodes = result.tables["Header"], result.tables["Episodes"]

    def about(name: str) -> Collector:
        return _table_says(result, f"{result.file_for[name]} ({name} table)", name)

    checked: list[str] = []
    on_episodes = about("Episodes")

    dup = header["CHILD"].duplicated(keep=False) & header["CHILD"].notna()
    if dup.any():
        about("Header").bind("child_twice", "CHILD").error(
            f"Header: {plural(int(dup.sum()), 'row')} repeat a CHILD that another row has; each child appears once"
            " in the Header.",
            _rows(dup),
        )
    else:
        checked.append("each child once in the Header")
    unknown_sex = header["SEX"] == "U"
    if unknown_sex.any():
        about("Header").bind("sex_unknown", "SEX").warning(
            f"Header: SEX is U (not known) in {plural(int(unknown_sex.sum()), 'row')}: the DfE will query it (its"
            " rule 232), and a quarter with such a child in care gets no breakdown by sex (the DfE publishes male"
            " and female only). The child is counted in every other figure.",
            _rows(unknown_sex),
        )
    # [GUIDE] OC2 and OC3 are asked once for each child in scope in a year's return (OC2: each child looked after
    # continuously for 12 months at 31 March; OC3: each care leaver at their birthday) and carry no year of their
    # own: a child on two rows would be counted twice. AD1 describes one adoption by its dates: a child adopted
    # twice in an extract of several years has two rows, the same adoption twice would be counted twice.
    for name, key in ONE_ROW_EACH.items():
        table = result.tables.get(name)
        if table is None or not set(key) <= set(table.columns):
            continue
        dup = table.duplicated(list(key), keep=False) & table["CHILD"].notna()
        per_child = key == ("CHILD",)
        if dup.any():
            about(name).bind("child_twice", "CHILD").error(
                f"{name}: {plural(int(dup.sum()), 'row')} repeat the {', '.join(key)} of another row; each child"
                f" has one {name} row {'in a year’s return' if per_child else 'for each adoption'}, or the child"
                " would be counted twice.",
                _rows(dup),
            )
        else:
            checked.append(f"each {'child' if per_child else 'adoption'} once in {name}")

    known = set(header["CHILD"].dropna())
    for name, table in result.tables.items():
        if name == "Header" or "CHILD" not in table:
            continue
        orphan = ~table["CHILD"].isin(known) & table["CHILD"].notna()
        if orphan.any():
            about(name).bind("child_not_in_header", "CHILD").add(
                ERROR if name == "Episodes" else WARNING,
                f"{name}: {plural(int(orphan.sum()), 'row is', 'rows are')} for a child the Header table does not"
                " have. Every child in the return needs a Header row.",
                _rows(orphan),
            )
    checked.append("every episode's child is in the Header")

    decom, dec = episodes["DECOM"], episodes["DEC"]
    _ends_before_start(episodes, "Episodes", "DECOM", "DEC", "an episode", on_episodes)
    rec_without_dec = episodes["REC"].notna() != dec.notna()
    if rec_without_dec.any():
        on_episodes.bind("episode_dates", "REC").error(
            "Episodes: REC (reason the episode ceased) and DEC (date it ceased) must be given together;"
            f" {plural(int(rec_without_dec.sum()), 'row has', 'rows have')} one without the other.",
            _rows(rec_without_dec),
        )

    overlap = _overlapping(episodes, "DECOM", "DEC")
    if len(overlap):
        on_episodes.bind("episode_overlap", "DECOM").error(
            f"Episodes: {plural(len(overlap), 'episode starts', 'episodes start')} before the same child's"
            " previous episode ended (or while it is still open). A child has one episode at a time: close the"
            " earlier one (DEC) on or before the next DECOM.",
            overlap,
        )
    else:
        checked.append("no child's episodes overlap")

    births = header.set_index("CHILD")["DOB"]
    births = births[~births.index.duplicated()]
    born = episodes["CHILD"].map(births)
    early = born.notna() & decom.notna() & (decom < born)
    if early.any():
        on_episodes.bind("episode_dates", "DECOM").error(
            f"Episodes: {plural(int(early.sum()), 'episode starts', 'episodes start')} before the child's date of"
            " birth in the Header.",
            _rows(early),
        )

    missing = result.tables.get("Missing")
    if missing is not None:
        _ends_before_start(missing, "Missing", "MIS_START", "MIS_END", "a missing episode", about("Missing"))

    dolo = result.tables.get("DoLo")
    if dolo is not None:
        _dolo_checks(dolo, episodes, births, about("DoLo"), checked)

    limit = pd.Timestamp(today)
    future_found = False
    for name, table in result.tables.items():
        for column in TABLES[name].columns:
            if column.kind != DATE:
                continue
            future = table[column.name] > limit
            if future.any():
                future_found = True
                about(name).bind("date_future", column.name).error(
                    f"{name}: {column.name} is after today ({today:%d/%m/%Y}) in {plural(int(future.sum()), 'row')}."
                    " Dates in the return cannot be in the future.",
                    _rows(future),
                )
    if not future_found:
        checked.append("no date in the future")
    Collector(RETURN, result.findings).bind("cross_checks").passed("Checked: " + "; ".join(checked) + ".")


# [DfE 903 validator, 2026-27 rules 702, 705, 708, 707, 709 and 710] DoLOs are recorded from the 2026 to 2027 return.
DOLO_EXPECTED_PLACES = ("K2", "Z12", "Z13")  # rule 709: a child with a DoLO is expected in one of these placements
DOLO_REFUSED_PLACES = ("K1", "P1", "R5", "K3")  # rule 710: secure children's home, with parents, YOI, supported


def _rows(mask: pd.Series) -> np.ndarray:
    """The 0-based positions where `mask` holds."""
    return np.flatnonzero(mask.to_numpy())


def _ends_before_start(
    table: pd.DataFrame, name: str, start: str, end: str, what: str, say: Collector, rule: str = "episode_dates"
) -> bool:
    """An error for the rows of `table` whose `end` date is before their `start` date (`what`: 'an episode');
    True when there are any."""
    backwards = table[end].notna() & table[start].notna() & (table[end] < table[start])
    if backwards.any():
        say.bind(rule, end).error(
            f"{name}: {end} is before {start} in {plural(int(backwards.sum()), 'row')}: {what} cannot end before"
            " it starts.",
            _rows(backwards),
        )
    return bool(backwards.any())


def _overlapping(table: pd.DataFrame, start: str, end: str) -> np.ndarray:
    """Positions of the rows that start before the same child's previous row (by start date) has ended, or while
    it is still open (no end): one thing at a time for each child."""
    order = table.assign(_row=np.arange(len(table))).dropna(subset=["CHILD", start])
    order = order.sort_values(["CHILD", start], kind="stable")
    same_child = order["CHILD"].to_numpy()[1:] == order["CHILD"].to_numpy()[:-1]
    prev_end = order[end].to_numpy()[:-1]
    overlap = same_child & (np.isnat(prev_end) | (order[start].to_numpy()[1:] < prev_end))
    return order["_row"].to_numpy()[1:][overlap]


def _dolo_checks(dolo: pd.DataFrame, episodes: pd.DataFrame, births: pd.Series, say: Collector, checked: list) -> None:
    """The DoLo table against itself, the child's birth and the child's episodes. Dates that would change the count
    (an order ending before it starts, two orders at once, an order before birth) are errors; where the child was
    placed while the order was in force is the DfE's query, a warning here, as it does not change the count."""
    start, end = dolo["DOLO_START"], dolo["DOLO_END"]
    backwards = _ends_before_start(dolo, "DoLo", "DOLO_START", "DOLO_END", "an order", say, "dolo_dates")
    overlap = _overlapping(dolo, "DOLO_START", "DOLO_END")
    if len(overlap):
        say.bind("dolo_overlap", "DOLO_START").error(
            f"DoLo: {plural(len(overlap), 'order starts', 'orders start')} while the same child's previous"
            " order is still in force: end the earlier one (DOLO_END) on or before the next DOLO_START.",
            overlap,
        )
    early = start.notna() & (start < dolo["CHILD"].map(births))
    if early.any():
        say.bind("dolo_dates", "DOLO_START").error(
            f"DoLo: {plural(int(early.sum()), 'order starts', 'orders start')} before the child's date of birth in"
            " the Header.",
            _rows(early),
        )
    if not (backwards or len(overlap) or early.any()):
        checked.append("DoLOs in order, one at a time")
    # An order still in force for a child whose care has ended (the child's last episode has a DEC).
    last = episodes.dropna(subset=["CHILD", "DECOM"]).sort_values("DECOM", kind="stable").groupby("CHILD").last()
    left_care = set(last.index[last["DEC"].notna()])
    still_open = end.isna() & dolo["CHILD"].isin(left_care)
    if still_open.any():
        say.bind("dolo_open", "DOLO_END").warning(
            f"DoLo: {plural(int(still_open.sum()), 'order has', 'orders have')} no DOLO_END for a child who has"
            " ceased to be looked after: give the date the order ended.",
            _rows(still_open),
        )
    # Placements while an order was in force: episodes of the same child overlapping the order's dates.
    eps = episodes[["CHILD", "DECOM", "DEC", "PLACE"]]
    pairs = dolo.assign(_row=np.arange(len(dolo))).merge(eps, on="CHILD", how="inner")
    during = pairs[
        pairs["DOLO_START"].notna()
        & (pairs["DEC"].isna() | (pairs["DOLO_START"] <= pairs["DEC"]))
        & (pairs["DOLO_END"].isna() | (pairs["DOLO_END"] >= pairs["DECOM"]))
    ]
    place = during["PLACE"].astype("string").str.upper()
    refused = during.loc[place.isin(DOLO_REFUSED_PLACES).to_numpy(), "_row"].unique()
    if len(refused):
        say.bind("dolo_place", "DOLO_START").warning(
            f"DoLo: {plural(len(refused), 'order was', 'orders were')} in force while the child was in a secure"
            " children's home, with parents, in a young offender institution or in supported accommodation"
            " (K1, P1, R5, K3): the DfE's validation does not accept a DoLO there (rule 710).",
            np.sort(refused),
        )
    unexpected = during.loc[
        (~place.isin(DOLO_EXPECTED_PLACES + DOLO_REFUSED_PLACES)).to_numpy() & place.notna().to_numpy(), "_row"
    ].unique()
    if len(unexpected):
        say.bind("dolo_place", "DOLO_START").warning(
            f"DoLo: {plural(len(unexpected), 'order was', 'orders were')} in force while the child was in a"
            f" placement other than {', '.join(DOLO_EXPECTED_PLACES)}: the DfE's validation will query it"
            " (rule 709).",
            np.sort(unexpected),
        )

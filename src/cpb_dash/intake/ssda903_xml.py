"""The DfE's SSDA903 XML (root EXPSSDA903) -> the same text tables, column for column, as the return's CSV files.

The reader (ssda903.py) then types and checks them exactly as it does CSV. The XML is untrusted: it is parsed as a
stream by the standard library's expat, with any DOCTYPE refused at its first byte (so no entity can be declared,
no "billion laughs" expansion and no external entity), undefined entities refused by expat itself, nesting deeper
than the layout allows, items longer than any SSDA903 value and tables over the row cap refused as they are met.
Nothing but the tables is kept, and messages quote element names and line numbers, never a value.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import partial
from xml.parsers import expat

import pandas as pd

from cpb_dash.findings import Collector, Finding, finding, plural, quote
from cpb_dash.intake.ssda903_spec import (
    DATE,
    TABLES,
    XML_CHILD,
    XML_GROUPS,
    XML_GROUPS_BY_ITEMS,
    XML_HEADER,
    XML_HEADER_TABLES,
    XML_RENAMED,
    XML_ROOT,
    XML_UASC_FLAG,
    XML_UASC_FLAG_CODES,
)

MAX_TEXT = 200  # characters in one item: the longest SSDA903 value (a UPN, a postcode) is 13
MAX_DEPTH = 6  # EXPSSDA903 > CHILD > HEADER > a list element > one of its groups > item (XML_GROUPS_BY_ITEMS)
MAX_ITEMS = 100  # items in one HEADER or group: the widest table has 14 columns, a HEADER holds about 30
MAX_UNKNOWN_NAMES = 50  # kinds of element the layout lacks that are remembered for the warning
CHUNK = 1024 * 1024  # bytes fed to expat at a time, so a refusal stops the parse early
UTF8_BOM = b"\xef\xbb\xbf"
ACCEPTED_ENCODINGS = ("utf-8", "utf8", "us-ascii", "ascii")  # ASCII is a subset of UTF-8
DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# The HEADER's own items: the Header table's, the UASC flag and date, and the OC3 and AD1 tables' items.
HEADER_ITEMS = frozenset(
    {XML_UASC_FLAG, "DUC", *(k for k, v in XML_RENAMED.items() if v == "CHILD")}
    | {c for name in ("Header", *XML_HEADER_TABLES) for c in TABLES[name].names if c != "CHILD"}
)
DATE_COLUMNS = {name: {c.name for c in TABLES[name].columns if c.kind == DATE} for name in TABLES}


def looks_like_xml(data: bytes) -> bool:
    """XML by its first characters, in UTF-8 or (to refuse it with a message) UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
        return True
    return data[:400].lstrip(UTF8_BOM + b" \t\r\n")[:1] == b"<"


class Refused(Exception):
    """The file cannot be read as the SSDA903 XML; nothing from it is kept."""


@dataclass
class XmlTable:
    """One table's rows as text (every column of the spec), and the line of the file each row starts on."""

    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class _Group:
    """A group of items being read: `table` None while it is known only by its items (XML_GROUPS_BY_ITEMS)."""

    table: str | None
    name: str
    depth: int
    line: int
    items: dict[str, str] = field(default_factory=dict)


@dataclass
class _Child:
    line: int
    items: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[str, dict[str, str], int]] = field(default_factory=list)  # (table, items, line)


class _Reader:
    def __init__(self, label: str, max_rows: int) -> None:
        self.label = label
        self.max_rows = max_rows
        self.parser = expat.ParserCreate(encoding="UTF-8")  # the bytes were checked as UTF-8 before
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.parser.ExternalEntityRefHandler = self._external
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.buffer_text = True
        self.stack: list[str] = []
        self.child: _Child | None = None
        self.group: _Group | None = None
        self.lists: list[int] = []  # depths of the open elements found to hold a list of groups
        self.text: list[str] | None = None
        self.text_length = 0
        self.tables = {name: XmlTable() for name in TABLES}
        self.seen: set[str] = {"Header", "Episodes"}
        self.children = 0
        self.unknown: dict[str, int] = {}
        self.bad_flag: list[int] = []  # positions in the Header table

    # The guards: a DTD is where entities are declared, so refusing it refuses them all.
    def _doctype(self, *_args) -> None:
        raise Refused(
            f"The file declares a DOCTYPE (line {self.parser.CurrentLineNumber}), which the SSDA903 XML never"
            " has and which can declare entities that expand without limit or fetch other files. It was not read:"
            " export the return again from the case management system."
        )

    def _entity(self, *_args) -> None:
        raise Refused(f"The file declares an entity (line {self.parser.CurrentLineNumber}); it was not read.")

    def _external(self, *_args) -> int:
        raise Refused(f"The file refers to an external entity (line {self.parser.CurrentLineNumber}); it was not read.")

    def _where(self, name: str) -> str:
        return f"<{quote(name, 30)[1:-1]}> on line {self.parser.CurrentLineNumber}"

    def _start(self, tag: str, _attributes) -> None:
        name = tag.rsplit(":", 1)[-1]  # a namespace prefix changes nothing
        depth = len(self.stack) + 1
        if self.text is not None:
            parent = self.stack[-1]
            if self._known_item(parent):
                raise Refused(
                    f"Element {self._where(name)} is inside <{parent}>, which holds a value in the DfE's layout,"
                    " not other elements."
                )
            self.text = None
            if not self._holds_items(depth - 1):
                # An element the layout does not have turns out to hold others (a later year's group): skipped whole.
                self.stack[-1] = "?"
                self._unknown(parent)
        if depth > MAX_DEPTH:
            raise Refused(
                f"Element {self._where(name)} is nested {depth} deep; the SSDA903 layout goes no deeper than"
                f" {MAX_DEPTH} ({XML_ROOT} > {XML_CHILD} > {XML_HEADER} > list > group > item)."
            )
        self.stack.append(name)
        if depth == 1:
            if name != XML_ROOT:
                hint = (
                    " It looks like another DfE collection's XML (the CIN census and the workforce census start"
                    " with <Message>)."
                    if name == "Message"
                    else ""
                )
                raise Refused(
                    f"The XML's root element is {quote(name, 30)}, not the SSDA903 return's <{XML_ROOT}>.{hint}"
                    " Upload the children looked after return's XML, or its tables as CSV files."
                )
            return
        if depth == 2:
            if name == XML_CHILD:
                self.children += 1
                if self.children > self.max_rows:
                    raise Refused(f"The file holds more than {self.max_rows:,} <{XML_CHILD}> elements.")
                self.child = _Child(self.parser.CurrentLineNumber)
            else:
                self._unknown(name)
                self.stack[-1] = "?"  # everything inside is skipped
            return
        if "?" in self.stack[:-1] or self.child is None:
            self.stack[-1] = "?"
            return
        parent = self.stack[-2]
        if self.group is not None:  # an item of a group
            self._open_item(name)
            return
        if name == XML_HEADER and depth == 3:
            return
        if parent in (XML_CHILD, XML_HEADER) or depth - 1 in self.lists:
            if name in XML_GROUPS:
                self.group = _Group(XML_GROUPS[name], name, depth, self.parser.CurrentLineNumber)
                self.seen.add(XML_GROUPS[name])
                return
            self._open_item(name)
            return
        self._unknown(name)
        self.stack[-1] = "?"

    def _holds_items(self, depth: int) -> bool:
        """The element at `depth`, opened as an item, turns out to hold elements: whether it is read as a group
        known by its items (XML_GROUPS_BY_ITEMS). An element of a CHILD, its HEADER or a list becomes such a group;
        an item of such a group that holds elements makes the group a list of them."""
        if self.child is None:
            return False
        if self.group is None:
            self.group = _Group(None, self.stack[-1], depth, self.parser.CurrentLineNumber)
            return True
        if self.group.table is None and depth == self.group.depth + 1 and not self.group.items:
            self.lists.append(self.group.depth)
            self.group = _Group(None, self.stack[-1], depth, self.parser.CurrentLineNumber)
            return True
        return False

    def _open_item(self, name: str) -> None:
        self.text = []
        self.text_length = 0

    def _unknown(self, name: str) -> None:
        """An element the layout does not have, named in one warning (a few dozen names at most kept)."""
        if name in self.unknown or len(self.unknown) < MAX_UNKNOWN_NAMES:
            self.unknown[name] = self.unknown.get(name, 0) + 1

    def _known_item(self, name: str) -> bool:
        if self.group is not None:
            return self.group.table is not None and XML_RENAMED.get(name, name) in TABLES[self.group.table].names
        return name in HEADER_ITEMS

    def _text(self, data: str) -> None:
        if self.text is None:
            return  # layout whitespace between elements
        self.text_length += len(data)
        if self.text_length > MAX_TEXT:
            raise Refused(
                f"Element {self._where(self.stack[-1])} holds more than {MAX_TEXT} characters; no SSDA903 item"
                " is longer than a few. Check that this is the return's XML."
            )
        self.text.append(data)

    def _end(self, _tag: str) -> None:
        name = self.stack.pop()
        depth = len(self.stack) + 1
        if name == "?":
            return
        if self.text is not None:  # an item closes
            value = "".join(self.text).strip()
            self.text = None
            column = XML_RENAMED.get(name, name)
            scope = self.group.items if self.group is not None else self.child.items if self.child else None
            if scope is None:
                return
            owner = self.stack[-1]
            if column in scope:
                raise Refused(f"<{owner}> ending on line {self.parser.CurrentLineNumber} has two <{name}> elements.")
            if len(scope) >= MAX_ITEMS:
                raise Refused(
                    f"<{quote(owner, 30)[1:-1]}> ending on line {self.parser.CurrentLineNumber} holds more than"
                    f" {MAX_ITEMS} items; no part of the SSDA903 layout holds more than a few dozen."
                )
            scope[column] = value
            if not self._known_item(name) and (self.group is None or self.group.table is not None):
                self._unknown(name)  # a group known by its items says which of them it did not use when it closes
            return
        if self.group is not None and depth == self.group.depth:
            self._close_group(self.group)
            self.group = None
            return
        if self.lists and depth == self.lists[-1]:
            self.lists.pop()
            return
        if name == XML_CHILD and depth == 2 and self.child is not None:
            self._close_child(self.child)
            self.child = None

    def _close_group(self, group: _Group) -> None:
        table = group.table or next(
            (t for t, needs in XML_GROUPS_BY_ITEMS.items() if all(item in group.items for item in needs)), None
        )
        if table is None:
            self._unknown(group.name)  # not a table the dashboard reads: skipped, and named in the warning
            return
        if group.table is None:
            self.seen.add(table)
            for item in group.items:
                if item not in TABLES[table].names:
                    self._unknown(item)
        self.child.groups.append((table, group.items, group.line))

    def _add(self, table: str, items: dict[str, str], line: int) -> None:
        target = self.tables[table]
        if len(target.rows) >= self.max_rows:
            raise Refused(f"The file holds more than {self.max_rows:,} rows of the {table} table, the most accepted.")
        dates = DATE_COLUMNS[table]
        target.rows.append(
            {c: _date_text(items.get(c, "")) if c in dates else items.get(c, "") for c in TABLES[table].names}
        )
        target.lines.append(line)

    def _close_child(self, child: _Child) -> None:
        own = child.items
        about = {k: own.get(k, "") for k in ("CHILD", "DOB", "SEX")}
        self._add("Header", own, child.line)
        if XML_UASC_FLAG in own or "DUC" in own:
            self.seen.add("UASC")
            flag = own.get(XML_UASC_FLAG, "")
            if flag and flag not in XML_UASC_FLAG_CODES:
                self.bad_flag.append(len(self.tables["Header"].rows) - 1)  # its row, just added
            elif flag == "1" or own.get("DUC"):
                self._add("UASC", own, child.line)
        for table, item in XML_HEADER_TABLES.items():
            if item in own:
                self.seen.add(table)
                if own[item]:
                    self._add(table, own, child.line)
        for table, items, line in child.groups:
            self._add(table, {**about, **items}, line)


def _first_non_utf8(body: bytes) -> int | None:
    """Where the first byte that is not UTF-8 is, checked a chunk at a time (no copy of the whole file is made)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(body), CHUNK):
        try:
            decoder.decode(body[start : start + CHUNK], final=start + CHUNK >= len(body))
        except UnicodeDecodeError as err:
            return start + err.start
    return None


def _date_text(value: str) -> str:
    """An xs:date (yyyy-mm-dd), which an XML export may write, as the DfE's dd/mm/yyyy; other text as it is."""
    match = ISO_DATE.match(value)
    return f"{match[3]}/{match[2]}/{match[1]}" if match else value


def read_xml(data: bytes, label: str, max_rows: int) -> tuple[dict[str, tuple[pd.DataFrame, list[int]]], list[Finding]]:
    """The return's tables in `data`: {table: (text frame with every spec column, the line each row starts on)},
    for the tables the file has elements of; and the findings. No tables and an error when it cannot be read."""

    def refuse(message: str) -> tuple[dict, list[Finding]]:
        return {}, [finding(label, "xml", message + " Nothing in the file was read.")]

    if data[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
        return refuse("The XML file is in UTF-16. Export or save it as UTF-8.")
    body = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    declared = DECLARED_ENCODING.match(body[:400].lstrip())
    if declared and declared[1].decode("ascii").lower() not in ACCEPTED_ENCODINGS:
        return refuse(
            f"The XML file declares the encoding {quote(declared[1].decode('ascii'), 40)}: the dashboard reads it in"
            " UTF-8 only. Export or save it as UTF-8."
        )
    bad_byte = _first_non_utf8(body)
    if bad_byte is not None:
        line = body.count(b"\n", 0, bad_byte) + 1
        return refuse(f"The XML file is not UTF-8 text (line {line}). Export or save it as UTF-8.")
    reader = _Reader(label, max_rows)
    try:
        for start in range(0, len(body), CHUNK):
            reader.parser.Parse(body[start : start + CHUNK], False)
        reader.parser.Parse(b"", True)
    except Refused as err:
        return refuse(str(err))
    except expat.ExpatError as err:
        return refuse(
            f"The XML cannot be read: {expat.ErrorString(err.code)} (line {err.lineno}, column {err.offset + 1})."
            " Export the return's XML again, whole."
        )
    if reader.children == 0:
        return refuse(f"The XML has no <{XML_CHILD}> elements: no child to read.")
    findings: list[Finding] = []
    if reader.bad_flag:
        header = Collector(f"{label} (Header table)", findings, partial(lines_label, reader.tables["Header"].lines))
        header.bind("code", XML_UASC_FLAG).error(
            f"<{XML_UASC_FLAG}> holds a value other than {' or '.join(XML_UASC_FLAG_CODES)} in"
            f" {plural(len(reader.bad_flag), 'child', 'children')} (1: the child was an unaccompanied asylum-"
            "seeking child; 0: was not).",
            reader.bad_flag,
        )
    if reader.unknown:
        names = sorted(reader.unknown)
        Collector(label, findings).bind("unknown_column").warning(
            f"{plural(len(names), 'kind')} of element the dashboard does not use"
            f" ({', '.join(quote(n, 30) for n in names[:6])}) were not read."
        )
    out = {}
    for name, table in reader.tables.items():
        if name not in reader.seen:
            continue
        frame = pd.DataFrame(table.rows, columns=list(TABLES[name].names), dtype="str")
        out[name] = (frame, table.lines)
    return out, findings


def _lines_label(lines: list[int]) -> str:
    shown = sorted(set(lines))
    text = ", ".join(str(n) for n in shown[:5])
    more = len(shown) - 5
    return ("line " if len(shown) == 1 else "lines ") + text + (f" and {more} more" if more > 0 else "")


def lines_label(lines: list[int], positions) -> str | None:
    """The file's lines for the rows at `positions` (0-based): 'line 12' or 'lines 12, 40 and 3 more'."""
    picked = [lines[int(p)] for p in positions]
    return _lines_label(picked) if picked else None

"""Real .xlsx files for the Excel tests: written by openpyxl (another program than our reader), and hostile ones
made by editing a real workbook's zip parts."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd


def workbook_bytes(
    frame: pd.DataFrame, sheet: str = "Sheet1", above: list[list] | None = None, before_sheets: tuple[str, ...] = ()
) -> bytes:
    """The frame as a workbook: dates as Excel dates, empty cells empty; optional title rows and other sheets."""
    book = openpyxl.Workbook()
    first = book.active
    for index, name in enumerate(before_sheets):
        target = first if index == 0 else book.create_sheet(name)
        target.title = name
        target["A1"] = f"Notes on {name}"
    target = book.create_sheet(sheet) if before_sheets else first
    target.title = sheet
    for row in above or []:
        target.append(row)
    target.append(list(frame.columns))
    for record in frame.itertuples(index=False):
        target.append([_cell(v) for v in record])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def edited(data: bytes, name: str, edit) -> bytes:
    files = parts(data)
    files[name] = edit(files[name])
    return rezip(files)


def with_macros(data: bytes) -> bytes:
    files = parts(data)
    files["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 pretend VBA project"
    return rezip(files)


def with_entity_bomb(data: bytes) -> bytes:
    """The billion laughs: ten levels of ten references, a few hundred bytes that expand to gigabytes."""
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE worksheet [{''.join(lol)}]>".encode()

    def edit(xml: bytes) -> bytes:
        head, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (None, xml)
        body = doctype + rest.replace(b"<v>40</v>", b"<v>&lol9;</v>", 1)
        return body if head is None else head + b"?>" + body

    return edited(data, "xl/worksheets/sheet1.xml", edit)


def with_zip_bomb(data: bytes, megabytes: int = 50) -> bytes:
    """A sheet part that declares (and really holds) hundreds of MB of spaces, a few hundred KB compressed."""
    files = parts(data)
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"] + b" " * (megabytes * 1024 * 1024)
    return rezip(files)


def with_cached_formula(data: bytes, cached: str, formula: str = "SUM(3,4)") -> bytes:
    """The first cell holding 40 becomes a formula whose last calculated value is `cached`."""
    return edited(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<v>40</v>", f"<f>{formula}</f><v>{cached}</v>".encode(), 1),
    )

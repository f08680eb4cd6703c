"""Social worker episodes and DoLOs in the SSDA903 XML. The DfE has published no XML layout for either (its 903
validator reads them from CSV only), so the reader knows them by their items, named like every other group's by
the CSV headings (SW_ID and SW_DECOM; DOLO_START), in whatever element and wherever in a CHILD an export puts them,
alone or in a list element. Each shape below must give the CSV route's tables and figures exactly."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.intake.ssda903_spec import TABLES
from cpb_dash.intake.synthetic_903 import xml_from_tables
from tests.test_intake_dolo import BORN, CHILDREN, DOLOS_2026, EPISODES_2026, count, upload
from tests.test_intake_ssda903_xml import SAMPLE, TODAY

# Where an export might put a child's groups: (in HEADER or CHILD, the list element or None, the group element).
SHAPES = {
    "a list in the HEADER": ("HEADER", "SWEPISODES", "SWEPISODE"),
    "groups in the CHILD": ("CHILD", None, "SW_EPISODE"),
    "a list in the CHILD": ("CHILD", "SOCIAL_WORKERS", "WORKER"),
}


def _tables(files: list[tuple[str, bytes]]) -> dict[str, pd.DataFrame]:
    return {Path(n).stem: pd.read_csv(io.BytesIO(b), dtype=str, keep_default_na=False) for n, b in files}


def with_groups(xml: bytes, rows: pd.DataFrame, shape: tuple[str, str | None, str]) -> bytes:
    """The XML with each child's rows of a table added as groups of items named by the CSV headings."""
    where, list_name, group_name = shape
    by_child = {child: part for child, part in rows.groupby("CHILD")}
    root = ElementTree.fromstring(xml)  # our own generated test data, not an upload
    for node in root.findall("CHILD"):
        part = by_child.get(node.find("HEADER/CHILDID").text)
        if part is None:
            continue
        parent = node if where == "CHILD" else node.find("HEADER")
        if list_name:
            parent = ElementTree.SubElement(parent, list_name)
        for row in part.to_dict("records"):
            group = ElementTree.SubElement(parent, group_name)
            for column, value in row.items():
                if column not in ("CHILD", "DOB"):
                    ElementTree.SubElement(group, column).text = value
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _sample() -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(SAMPLE) as archive:
        return _tables([(n, archive.read(n)) for n in archive.namelist()])


def _frames(tables):
    derived = derive(tables, today=TODAY)
    add_measures(tables, derived)
    order = ["measure", "breakdown_topic", "breakdown"]
    return {key: frame.sort_values(order).reset_index(drop=True) for key, frame in derived.frames.items()}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_social_worker_episodes_in_the_xml_give_the_csv_figures(shape):
    tables = _sample()
    assert len(tables["SWEpisodes"]) > 500
    xml = with_groups(xml_from_tables(tables), tables["SWEpisodes"], SHAPES[shape])
    from_xml = read_return([("ssda903.xml", xml)], today=TODAY)
    assert from_xml.ok and from_xml.warnings == [], [f.message for f in from_xml.findings if f.level != "pass"]
    from_csv = read_return([(SAMPLE.name, SAMPLE.read_bytes())], today=TODAY)
    assert set(from_xml.tables) == set(from_csv.tables)
    order = ["CHILD", "SW_DECOM", "SW_ID"]
    pd.testing.assert_frame_equal(
        from_xml.tables["SWEpisodes"].sort_values(order).reset_index(drop=True)[list(TABLES["SWEpisodes"].names)],
        from_csv.tables["SWEpisodes"].sort_values(order).reset_index(drop=True)[list(TABLES["SWEpisodes"].names)],
    )
    a, b = _frames(from_csv.tables), _frames(from_xml.tables)
    assert a.keys() == b.keys()
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])
    assert any((frame["measure"] == "sw_3plus_12m").any() for frame in b.values())


@pytest.mark.parametrize("shape", [("CHILD", None, "DOLO"), ("HEADER", "DOLOS", "DOLO")])
def test_dolos_in_the_xml_are_counted_as_from_the_csv(shape):
    names = {"header": "Header", "episodes": "Episodes", "dolo": "DoLo"}
    tables = {names[k]: v for k, v in _tables(upload(CHILDREN, EPISODES_2026, DOLOS_2026)).items()}
    xml = with_groups(xml_from_tables(tables), tables["DoLo"], shape)
    ret = read_return([("return.xml", xml)], today=dt.date(2026, 11, 28))
    assert ret.ok, [f.message for f in ret.errors]
    from_csv = read_return(upload(CHILDREN, EPISODES_2026, DOLOS_2026), today=dt.date(2026, 11, 28))
    # the same queries about the orders as the CSV files get (one left open after care ended), nothing unread
    about_dolos = [w.message for w in ret.warnings if "DoLo" in w.message or "not read" in w.message]
    assert about_dolos == [w.message for w in from_csv.warnings if "DoLo" in w.message]
    assert len(about_dolos) == 1 and "no DOLO_END for a child who has ceased" in about_dolos[0]
    assert len(ret.tables["DoLo"]) == len(DOLOS_2026)
    # a group's child and date of birth are its CHILD's
    assert set(ret.tables["DoLo"]["DOB"]) == {pd.Timestamp(dt.datetime.strptime(BORN, "%d/%m/%Y"))}
    frames = derive(ret.tables, today=dt.date(2026, 11, 28), start=dt.date(2025, 4, 1), end=dt.date(2026, 9, 30))
    # By hand (tests/test_intake_dolo.py): three children at 30 June 2026, four at 30 September.
    assert count(frames.frames, "2026-06-30") == 3
    assert count(frames.frames, "2026-09-30") == 4


def _one_child(groups: str) -> bytes:
    return (
        "<EXPSSDA903><CHILD><HEADER><CHILDID>FAKE000001</CHILDID><SEX>M</SEX><DOB>01/06/2012</DOB>"
        f"<ETHNIC>BAFR</ETHNIC><UASC>0</UASC></HEADER>{groups}"
        "<EPISODE><DECOM>01/01/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST>E8 2AA</PL_POST>"
        "<HOME_POST>E8 1AA</HOME_POST><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD></EXPSSDA903>"
    ).encode()


def test_a_group_not_known_by_its_items_is_skipped_and_named_and_an_extra_item_is_named():
    ret = read_return(
        [
            (
                "return.xml",
                _one_child(
                    "<PANEL><PANEL_DATE>01/02/2023</PANEL_DATE></PANEL>"  # nothing the dashboard reads
                    "<SWE><SW_ID>FAKE-SW-1</SW_ID><SW_DECOM>01/01/2023</SW_DECOM><TEAM>Hackney</TEAM></SWE>"
                ),
            )
        ],
        today=TODAY,
    )
    assert ret.ok, [f.message for f in ret.errors]
    assert len(ret.tables["SWEpisodes"]) == 1
    (warning,) = [w.message for w in ret.warnings if "not read" in w.message]
    assert "'PANEL'" in warning and "'TEAM'" in warning
    assert "FAKE-SW-1" not in warning and "Hackney" not in warning


def test_a_bad_date_in_a_group_known_by_its_items_is_named_by_table_and_line():
    xml = _one_child("\n<SWE><SW_ID>FAKE-SW-1</SW_ID><SW_DECOM>31/02/2023</SW_DECOM></SWE>")
    ret = read_return([("return.xml", xml)], today=TODAY)
    assert not ret.ok
    (error,) = ret.errors
    assert "SWEpisodes" in (error.file or "") + error.message and "line 2" in (error.row or "") + error.message
    assert "SW_DECOM" in (error.column or "") + error.message and "FAKE-SW-1" not in error.message


def test_groups_nested_past_the_layout_are_refused():
    xml = _one_child("<A><B><C><D><SW_ID>1</SW_ID><SW_DECOM>01/01/2023</SW_DECOM></D></C></B></A>")
    ret = read_return([("return.xml", xml)], today=TODAY)
    assert not ret.ok
    assert "nested 7 deep" in ret.errors[0].message

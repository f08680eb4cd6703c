"""The SSDA903 return as the DfE's XML (root EXPSSDA903): the same tables, checks and derived figures as its CSV
files; hostile XML refused with one clear message, in bounded time, publishing nothing (through the command line
here, through the Upload page in tests/app/test_upload_903.py)."""

from __future__ import annotations

import datetime as dt
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.intake.synthetic_903 import xml_from_tables
from tests.conftest import FIXTURES
from tests.test_intake_ssda903 import EPISODES, HEADER
from tests.test_intake_ssda903_cli import OFFICER, data_dir, file_hashes, run  # noqa: F401  (data_dir: a fixture)

TODAY = dt.date(2026, 1, 15)
SAMPLE = FIXTURES / "ssda903" / "ssda903_synthetic.zip"

# Four invented children, written by hand as the DfE's XML lays them out: items in each CHILD's HEADER (with the
# UASC flag and date, the care leaver items, the missing episodes), then the child's EPISODE elements.
RETURN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>FAKE000001</CHILDID><UPN/><SEX>1</SEX><DOB>01/06/2012</DOB><ETHNIC>BAFR</ETHNIC>
      <UASC>0</UASC><MOTHER/><MC_DOB/>
    </HEADER>
    <EPISODE>
      <DECOM>01/01/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST>E8 2AA</PL_POST>
      <HOME_POST>E8 1AA</HOME_POST><URN/><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>01/02/2024</DEC><REC>X1</REC>
      <REASON_PLACE_CHANGE/>
    </EPISODE>
    <EPISODE>
      <DECOM>01/02/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PL_POST>E17 4AA</PL_POST>
      <HOME_POST>E8 1AA</HOME_POST><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC/><REC/>
      <REASON_PLACE_CHANGE>CARPL</REASON_PLACE_CHANGE>
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>FAKE000002</CHILDID><SEX>2</SEX><DOB>15/03/2007</DOB><ETHNIC>WBRI</ETHNIC>
      <UASC>1</UASC><DUC>15/03/2025</DUC>
    </HEADER>
    <EPISODE>
      <DECOM>10/05/2023</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N8</CIN><PL>H5</PL><PL_POST>N16 6AA</PL_POST>
      <HOME_POST>E8 3AA</HOME_POST><PLACE_PROVIDER>PR4</PLACE_PROVIDER><DEC>31/03/2024</DEC><REC>E13</REC>
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>FAKE000003</CHILDID><SEX>1</SEX><DOB>02/02/2010</DOB><ETHNIC>CHNE</ETHNIC><UASC>0</UASC>
      <AMISSING><MISSING>M</MISSING><MIS_START>05/12/2023</MIS_START><MIS_END>07/12/2023</MIS_END></AMISSING>
    </HEADER>
    <EPISODE>
      <DECOM>20/11/2023</DECOM><RNE>S</RNE><LS>C1</LS><CIN>N2</CIN><PL>K2</PL><PL_POST>E5 0AA</PL_POST>
      <HOME_POST>E9 5AA</HOME_POST><PLACE_PROVIDER>PR3</PLACE_PROVIDER>
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>FAKE000004</CHILDID><SEX>2</SEX><DOB>10/10/2004</DOB><ETHNIC>MWBC</ETHNIC><UASC>0</UASC>
      <IN_TOUCH>YES</IN_TOUCH><ACTIV>F2</ACTIV><ACCOM>B1</ACCOM>
    </HEADER>
  </CHILD>
</EXPSSDA903>
"""

# The same return as the DfE's CSV files.
RETURN_CSV = [
    (
        "header.csv",
        HEADER + "\nFAKE000001,1,01/06/2012,BAFR,,,\nFAKE000002,2,15/03/2007,WBRI,,,\n"
        "FAKE000003,1,02/02/2010,CHNE,,,\nFAKE000004,2,10/10/2004,MWBC,,,\n",
    ),
    (
        "episodes.csv",
        EPISODES + "\nFAKE000001,01/01/2023,S,C2,N1,U4,PR1,01/02/2024,X1,,E8 1AA,E8 2AA,\n"
        "FAKE000001,01/02/2024,P,C2,N1,U1,PR1,,,CARPL,E8 1AA,E17 4AA,\n"
        "FAKE000002,10/05/2023,S,V2,N8,H5,PR4,31/03/2024,E13,,E8 3AA,N16 6AA,\n"
        "FAKE000003,20/11/2023,S,C1,N2,K2,PR3,,,,E9 5AA,E5 0AA,\n",
    ),
    ("uasc.csv", "CHILD,SEX,DOB,DUC\nFAKE000002,2,15/03/2007,15/03/2025\n"),
    ("missing.csv", "CHILD,DOB,MISSING,MIS_START,MIS_END\nFAKE000003,02/02/2010,M,05/12/2023,07/12/2023\n"),
    ("oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nFAKE000004,10/10/2004,YES,F2,B1\n"),
]


def _derived(upload: list[tuple[str, bytes]], start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31)) -> dict:
    ret = read_return(upload, today=TODAY)
    assert ret.ok, [f.message for f in ret.errors]
    derived = derive(ret.tables, today=TODAY, start=start, end=end)
    return {
        key: frame.sort_values(["measure", "breakdown_topic", "breakdown"]).reset_index(drop=True)
        for key, frame in derived.frames.items()
    }


def _total(frames: dict, q: str, measure: str) -> float:
    frame = frames[("care_population", dt.date.fromisoformat(q))]
    return frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total")]["value"].item()


def test_a_hand_written_xml_return_gives_the_figures_of_its_csv_files():
    from_xml = _derived([("return.xml", RETURN_XML.encode())])
    from_csv = _derived([(name, text.encode()) for name, text in RETURN_CSV])
    assert from_xml.keys() == from_csv.keys()
    for key in from_xml:
        pd.testing.assert_frame_equal(from_xml[key], from_csv[key])
    # And the figures themselves, counted by hand from the four children above.
    assert _total(from_xml, "2023-12-31", "cla") == 3
    assert _total(from_xml, "2023-12-31", "cla_started") == 1  # FAKE000003, 20 November 2023
    assert _total(from_xml, "2023-12-31", "uasc") == 1  # FAKE000002, UASC until 15 March 2025
    assert _total(from_xml, "2023-12-31", "missing_episodes") == 1
    assert _total(from_xml, "2024-03-31", "cla") == 2  # FAKE000002's care ceased on the day itself
    assert _total(from_xml, "2024-03-31", "cla_ceased") == 1
    assert _total(from_xml, "2024-03-31", "uasc") == 0
    assert _total(from_xml, "2024-03-31", "cl_19_21_total") == 1  # FAKE000004, 19 on 10 October 2023
    assert _total(from_xml, "2024-03-31", "cl_19_21_eet") == 1


def test_the_synthetic_sample_as_xml_derives_as_its_csv_files_and_inside_a_zip_too():
    with zipfile.ZipFile(SAMPLE) as archive:
        tables = {
            Path(n).stem: pd.read_csv(io.BytesIO(archive.read(n)), dtype=str, keep_default_na=False)
            for n in archive.namelist()
        }
    xml = xml_from_tables(tables)
    assert xml.startswith(b"<?xml") and b"<EXPSSDA903>" in xml[:100]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ssda903.xml", xml)
    csv_ret = read_return([(SAMPLE.name, SAMPLE.read_bytes())], today=TODAY)
    # This XML is written without the social worker episodes (their XML layout is not published; the reader finds
    # them by their items, tests/test_intake_ssda903_xml_groups.py), so it gives every other table exactly, and
    # says the one it lacks and both remedies.
    without_workers = {name: t for name, t in csv_ret.tables.items() if name != "SWEpisodes"}
    a = derive(without_workers, today=TODAY)
    add_measures(without_workers, a)  # health, leaving care, voice: from OC2, OC3, AD1, Reviews and the rest
    for upload in ([("ssda903.xml", xml)], [("ssda903.zip", buffer.getvalue())]):
        xml_ret = read_return(upload, today=TODAY)
        assert xml_ret.ok, [f.message for f in xml_ret.errors]
        assert [f.message.split(":")[0] for f in xml_ret.warnings] == ["No SWEpisodes table"]
        assert "CSV file (headings CHILD, DOB, SW_ID, SW_DECOM" in xml_ret.warnings[0].message
        assert "the XML held none, so" in xml_ret.warnings[0].message
        assert "upload an XML that includes them, or add the table's CSV file" in xml_ret.warnings[0].message
        assert xml_ret.warnings[0].message.endswith("beside the XML.")
        assert set(xml_ret.tables) == set(without_workers) and xml_ret.children == csv_ret.children
        b = derive(xml_ret.tables, today=TODAY)
        add_measures(xml_ret.tables, b)
        assert a.frames.keys() == b.frames.keys() and len(a.frames) > 49
        for key in a.frames:
            order = ["measure", "breakdown_topic", "breakdown"]
            pd.testing.assert_frame_equal(
                a.frames[key].sort_values(order).reset_index(drop=True),
                b.frames[key].sort_values(order).reset_index(drop=True),
            )


def test_a_bad_date_in_the_xml_is_named_by_table_element_and_line():
    bad = RETURN_XML.replace("<DECOM>20/11/2023</DECOM>", "<DECOM>31/11/2023</DECOM>")
    ret = read_return([("return.xml", bad.encode())], today=TODAY)
    (error,) = ret.errors
    line = bad[: bad.index("31/11/2023")].count("\n")  # the line the EPISODE element starts on
    assert error.file == "return.xml (Episodes table)" and error.column == "DECOM"
    assert error.row == f"line {line}" and "dd/mm/yyyy" in error.message
    assert "31/11/2023" not in error.message and "FAKE" not in error.message


def test_an_xs_date_is_read_as_the_same_day():
    iso = RETURN_XML.replace("<DECOM>20/11/2023</DECOM>", "<DECOM>2023-11-20</DECOM>")
    from_iso, from_dfe = _derived([("return.xml", iso.encode())]), _derived([("return.xml", RETURN_XML.encode())])
    assert from_iso.keys() == from_dfe.keys()
    for key in from_iso:
        pd.testing.assert_frame_equal(from_iso[key], from_dfe[key])


def test_elements_the_layout_does_not_have_are_skipped_and_named():
    extra = RETURN_XML.replace(
        "<UASC>0</UASC><MOTHER/>", "<UASC>0</UASC><SW_GROUP><SW_ID>1</SW_ID></SW_GROUP><MOTHER/>"
    )
    ret = read_return([("return.xml", extra.encode())], today=TODAY)
    assert ret.ok
    assert any("'SW_GROUP'" in w.message and "not read" in w.message for w in ret.warnings)


def _laughs() -> str:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)
    )
    body = "<EXPSSDA903><CHILD><HEADER><CHILDID>&j;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    return f'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [{entities}]>{body}'


CHILD_XML = RETURN_XML.split("<CHILD>", 2)[1].rsplit("</CHILD>", 1)[0]
HOSTILE = {
    "entity_bomb": (_laughs().encode(), ["DOCTYPE", "expand without limit"]),
    "external_entity": (
        b'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>&x;</CHILDID></HEADER></CHILD></EXPSSDA903>",
        ["DOCTYPE", "fetch other files"],
    ),
    "dtd": (
        b'<?xml version="1.0"?><!DOCTYPE EXPSSDA903 SYSTEM "http://example.invalid/903.dtd"><EXPSSDA903/>',
        ["DOCTYPE"],
    ),
    "undefined_entity": (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>&x;</CHILDID></HEADER></CHILD></EXPSSDA903>",
        ["undefined entity", "line 1"],
    ),
    "wrong_root": (
        b'<?xml version="1.0"?><Message><Header/><Children/></Message>',
        ["'Message'", "<EXPSSDA903>", "census"],
    ),
    "deep_nesting": (
        b"<EXPSSDA903><CHILD>" + b"<X>" * 200_000 + b"</X>" * 200_000 + b"</CHILD></EXPSSDA903>",
        ["<X>", "nested 7 deep"],
    ),
    "endless_items": (
        b"<EXPSSDA903><CHILD><HEADER>"
        + b"".join(b"<I%d>1</I%d>" % (i, i) for i in range(300_000))
        + b"</HEADER></CHILD></EXPSSDA903>",
        ["<HEADER>", "more than 100 items"],
    ),
    "endless_items_in_a_group": (
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>FAKE1</CHILDID></HEADER><SWE>"
        + b"".join(b"<I%d>1</I%d>" % (i, i) for i in range(300_000))
        + b"</SWE></CHILD></EXPSSDA903>",
        ["<SWE>", "more than 100 items"],
    ),
    "item_holding_elements": (
        b"<EXPSSDA903><CHILD><HEADER><DOB><X>1</X></DOB></HEADER></CHILD></EXPSSDA903>",
        ["<DOB>", "holds a value"],
    ),
    "huge_text": (
        b"<EXPSSDA903><CHILD><HEADER><UPN>" + b"9" * 50_000_000 + b"</UPN></HEADER></CHILD></EXPSSDA903>",
        ["<UPN>", "more than 200 characters"],
    ),
    "latin_1": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><EXPSSDA903><CHILD>'
        + CHILD_XML.encode()
        + b"</CHILD></EXPSSDA903>",
        ["'ISO-8859-1'", "UTF-8"],
    ),
    "utf_16": (
        ('<?xml version="1.0" encoding="UTF-16"?>' + RETURN_XML.split("?>", 1)[1]).encode("utf-16"),
        ["UTF-16", "UTF-8"],
    ),
    "not_utf_8": (
        b"<EXPSSDA903><CHILD><HEADER>\n<ETHNIC>\xe9</ETHNIC></HEADER></CHILD></EXPSSDA903>",
        ["not UTF-8", "line 2"],
    ),
    "cut_short": (RETURN_XML[:700].encode(), ["cannot be read", "again, whole"]),
    "no_children": (b"<EXPSSDA903></EXPSSDA903>", ["no <CHILD> elements"]),
    "uasc_flag": (
        RETURN_XML.replace("<UASC>0</UASC><MOTHER/>", "<UASC>Y</UASC><MOTHER/>").encode(),
        ["<UASC>", "0 or 1"],
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xml_is_refused_with_one_clear_message_in_bounded_time_and_memory(case):
    data, expected = HOSTILE[case]
    started = time.perf_counter()
    tracemalloc.start()
    try:
        ret = read_return([("return.xml", data)], today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5, case
    # The 50 MB file is never copied whole, and no entity is expanded: a few MB at most beside the upload.
    assert peak < 16 * 1024 * 1024, (case, peak)
    assert not ret.ok
    (error,) = ret.errors
    for text in expected:
        assert text in error.message, (case, text, error.message)
    assert "FAKE" not in error.message and "passwd" not in error.message
    if case != "uasc_flag":
        assert error.file == "return.xml" and ret.tables == {} and "Nothing in the file was read" in error.message


# A date the DfE's form does not allow: read, then refused by the same check as in a CSV file, naming the line.
BAD_DATE = (RETURN_XML.replace("<DECOM>20/11/2023</DECOM>", "<DECOM>31/11/2023</DECOM>").encode(), ["dd/mm/yyyy"])
THROUGH_THE_APP = {**HOSTILE, "bad_date": BAD_DATE}


@pytest.mark.parametrize(
    "case",
    [
        "entity_bomb",
        "external_entity",
        "dtd",
        "wrong_root",
        "deep_nesting",
        "huge_text",
        "latin_1",
        "utf_16",
        "uasc_flag",
        "bad_date",
    ],
)
def test_hostile_xml_through_the_command_line_publishes_nothing(case, data_dir, tmp_path, capsys):  # noqa: F811
    data, expected = THROUGH_THE_APP[case]
    path = tmp_path / "return.xml"
    path.write_bytes(data)
    before = file_hashes(data_dir)
    code, output = run(capsys, str(path), "--by", OFFICER, "--publish", "--confirm-warnings")
    assert code == 1
    assert "return.xml" in output and expected[0] in output and "Nothing was published" in output
    assert "FAKE" not in output
    assert file_hashes(data_dir) == before


def test_the_xml_publishes_through_the_command_line(data_dir, tmp_path, capsys):  # noqa: F811
    path = tmp_path / "return.xml"
    path.write_bytes(RETURN_XML.encode())
    code, output = run(capsys, str(path), "--by", OFFICER)
    assert code == 0 and "4 children" in output and "This was a preview" in output
    assert "FAKE" not in output


def test_the_row_cap_holds_for_the_xml_as_for_csv(monkeypatch):
    from cpb_dash.intake import ssda903

    monkeypatch.setattr(ssda903, "MAX_ROWS", 3)
    ret = read_return([("return.xml", RETURN_XML.encode())], today=TODAY)
    (error,) = ret.errors
    assert "more than 3 rows of the Episodes table" in error.message and ret.tables == {}  # 4 EPISODE elements
    monkeypatch.setattr(ssda903, "MAX_ROWS", 4)
    assert read_return([("return.xml", RETURN_XML.encode())], today=TODAY).ok


def test_the_xml_with_the_social_worker_episodes_csv_beside_it_gives_every_table_and_the_csv_figures():
    """What the warning tells an officer to do: the XML and the SWEpisodes CSV file uploaded together."""
    with zipfile.ZipFile(SAMPLE) as archive:
        raw = {Path(n).stem: archive.read(n) for n in archive.namelist()}
    tables = {name: pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False) for name, data in raw.items()}
    xml = xml_from_tables(tables)
    csv_ret = read_return([(SAMPLE.name, SAMPLE.read_bytes())], today=TODAY)
    both = read_return([("ssda903.xml", xml), ("social_workers.csv", raw["SWEpisodes"])], today=TODAY)
    assert both.ok and both.warnings == [], [f.message for f in both.findings if f.level != "pass"]
    assert set(both.tables) == set(csv_ret.tables)
    a, b = derive(csv_ret.tables, today=TODAY), derive(both.tables, today=TODAY)
    add_measures(csv_ret.tables, a)
    add_measures(both.tables, b)
    assert a.frames.keys() == b.frames.keys()
    for key in a.frames:
        order = ["measure", "breakdown_topic", "breakdown"]
        pd.testing.assert_frame_equal(
            a.frames[key].sort_values(order).reset_index(drop=True),
            b.frames[key].sort_values(order).reset_index(drop=True),
        )
    # the social worker measure is there: the XML alone could not give it
    assert any((frame["measure"] == "sw_3plus_12m").any() for frame in b.frames.values())


def test_a_return_where_no_child_is_uasc_derives_a_count_of_none():
    """Every child's UASC flag 0 in the XML (or a UASC CSV file with its headings only) is a UASC table with no
    rows: the count is 0, not a crash (it was one: looking up an empty date column)."""
    children = ["FAKE000001", "FAKE000002"]
    header = "\n".join([HEADER, *(f"{c},1,01/06/2012,BAFR,,," for c in children)])
    episodes = "\n".join([EPISODES, *(f"{c},01/01/2023,S,C2,N1,U4,PR1,,,,E8 1AA,E8 2AA," for c in children)])
    tables = {
        "Header": pd.read_csv(io.StringIO(header), dtype=str, keep_default_na=False),
        "Episodes": pd.read_csv(io.StringIO(episodes), dtype=str, keep_default_na=False),
    }
    uasc_headings_only = ("uasc.csv", b"CHILD,SEX,DOB,DUC\n")
    for upload in (
        [("return.xml", xml_from_tables(tables))],
        [("header.csv", header.encode()), ("episodes.csv", episodes.encode()), uasc_headings_only],
    ):
        frames = _derived(upload)
        assert _total(frames, "2023-12-31", "uasc") == 0
        assert _total(frames, "2023-12-31", "cla") == 2

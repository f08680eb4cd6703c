"""The Upload page's SSDA903 path in AppTest: an officer uploads the sample return, sees every quarter it derives,
publishes them all; no child's identifier reaches the page; a bad return publishes nothing."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from cpb_dash.store import Store
from tests.app.test_upload import data_dir, file_hashes, signed_in  # noqa: F401  (data_dir is a fixture)
from tests.conftest import FIXTURES

SAMPLE = FIXTURES / "ssda903" / "ssda903_synthetic.zip"


def _page_text(at) -> str:
    parts = [
        e.value
        for kind in ("text", "markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return "\n".join(str(p) for p in parts)


def _child_ids() -> list[str]:
    with zipfile.ZipFile(SAMPLE) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("Header.csv").decode())))
    return [r["CHILD"] for r in rows[::50]]


def _ssda903(at):
    at.radio(key="upload-kind").set_value("SSDA903 return").run()
    assert not at.exception
    return at


def test_an_officer_publishes_every_quarter_of_the_return(data_dir):  # noqa: F811
    at = _ssda903(signed_in())
    at.file_uploader[0].set_value([(SAMPLE.name, SAMPLE.read_bytes(), "application/zip")]).run()
    assert not at.exception
    text = _page_text(at)
    assert "2025-26 Q2 (Jul-Sep 2025)" in text and "revision" in text
    # The preview lists the health, leaving care and children's voice quarters the return derives too.
    for label in ("Health and wellbeing", "Leaving care and permanence", "Children's voice"):
        assert label in text, label
    for child in _child_ids():
        assert child not in text
    # What the session keeps between runs is the report and the counts, not the children's rows.
    kept = at.session_state["cpb_upload_903_preview"][1]
    assert kept.ret.tables == {} and kept.ret.children > 1000
    at.checkbox[0].check().run()
    publish = next(b for b in at.button if b.label.startswith("Publish all"))
    # 26 quarters of care population, 23 of placement stability, 23 of health and wellbeing and of leaving care
    # (12-month measures need a year of episodes), 26 of children's voice.
    assert publish.label == "Publish all 121"
    publish.click().run()
    assert not at.exception
    assert "Published 121 quarter snapshots" in at.success[0].value
    history = Store(data_dir).history()
    assert history["file_name"].str.startswith("SSDA903 extract").sum() == 121
    # The board's pages draw the derived quarters.
    for page in (
        "pages/1_Care_population.py",
        "pages/2_Placement_stability.py",
        "pages/7_Health_and_wellbeing.py",
        "pages/8_Leaving_care.py",
        "pages/9_Childrens_voice.py",
    ):
        at.switch_page(page).run()
        assert not at.exception, page
        for child in _child_ids():
            assert child not in _page_text(at)


def test_a_bad_return_shows_where_and_publishes_nothing(data_dir):  # noqa: F811
    before = file_hashes(data_dir)
    at = _ssda903(signed_in())
    header = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nFAKE000001,1,01/06/2012,BAFR,,,\n"
    episodes = (
        b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        b"FAKE000009,01/01/2024,S,C2,N1,U4,PR1,,,,E8 1AA,E8 2AA,\n"
    )
    at.file_uploader[0].set_value([("a.csv", header, "text/csv"), ("b.csv", episodes, "text/csv")]).run()
    assert not at.exception
    assert "cannot be used" in at.error[0].value
    text = _page_text(at)
    assert "Header table does not have" in text and "row 1" in text
    assert "FAKE000009" not in text
    assert not [b for b in at.button if b.label.startswith("Publish all")]
    assert file_hashes(data_dir) == before


def test_the_return_as_xml_previews_every_quarter(data_dir):  # noqa: F811
    from tests.test_intake_ssda903_xml import RETURN_XML

    at = _ssda903(signed_in())
    at.file_uploader[0].set_value([("ssda903.xml", RETURN_XML.encode(), "text/xml")]).run()
    assert not at.exception
    text = _page_text(at)
    assert "4 children" in text and "2023-24 Q4 (Jan-Mar 2024)" in text
    assert not at.error and "FAKE0000" not in text


@pytest.mark.parametrize(
    "case",
    [
        "entity_bomb",
        "external_entity",
        "dtd",
        "wrong_root",
        "deep_nesting",
        "endless_items_in_a_group",
        "latin_1",
        "not_utf_8",
        "bad_date",
    ],
)
def test_hostile_xml_on_the_page_says_why_and_publishes_nothing(case, data_dir):  # noqa: F811
    from tests.test_intake_ssda903_xml import THROUGH_THE_APP

    data, expected = THROUGH_THE_APP[case]
    before = file_hashes(data_dir)
    at = _ssda903(signed_in())
    at.file_uploader[0].set_value([("return.xml", data, "text/xml")]).run()
    assert not at.exception
    assert "1 error(s)" in at.error[0].value
    text = _page_text(at)
    assert "return.xml" in text and expected[0] in text
    assert not [b for b in at.button if b.label.startswith("Publish all")]
    assert file_hashes(data_dir) == before

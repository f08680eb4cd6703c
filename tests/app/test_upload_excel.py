"""The Upload page with Excel: an officer publishes an .xlsx; a workbook we cannot or will not read gets a message
on the page saying what to do, publishes nothing and leaves the store unchanged; the guidance and the templates
are on the page, not in a repository path."""

from __future__ import annotations

import pytest

from cpb_dash.store import Store
from tests.app.test_upload import data_dir, file_hashes, latest_care_population, signed_in  # noqa: F401
from tests.contract_helpers import care_population
from tests.xlsx_helpers import with_entity_bomb, with_macros, with_zip_bomb, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_text(at) -> str:
    return " ".join(str(e.value) for kind in ("text", "error", "markdown", "caption", "info") for e in at.get(kind))


def test_an_officer_publishes_an_xlsx_file(data_dir):  # noqa: F811
    period, frame = latest_care_population(data_dir)
    frame = frame.copy()
    frame.loc[frame["measure"] == "cla_ceased", "value"] += 1  # a Total with no breakdowns
    at = signed_in()
    at.file_uploader[0].set_value(
        ("care q2.xlsx", workbook_bytes(frame, sheet="Snapshot", above=[["Care population"]]), XLSX)
    ).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    if at.checkbox:
        at.checkbox[0].check().run()
    at.button(key="upload-publish-0").click().run()
    assert "published version" in at.success[0].value
    newest = Store(data_dir).history("care_population").iloc[0]
    assert (newest["file_name"], newest["period_end"], newest["status"]) == ("care q2.xlsx", period, "current")


BAD_WORKBOOKS = {
    "macros": (lambda: with_macros(workbook_bytes(care_population())), "q2.xlsx", "macros"),
    "a macro-enabled workbook": (lambda: workbook_bytes(care_population()), "q2.xlsm", "can hold macros"),
    "an old .xls workbook": (
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "q2.xls",
        "older Excel workbook",
    ),
    "an entity bomb": (lambda: with_entity_bomb(workbook_bytes(care_population())), "q2.xlsx", "declares entities"),
    "a zip bomb": (lambda: with_zip_bomb(workbook_bytes(care_population())), "q2.xlsx", "It was not expanded"),
}


@pytest.mark.parametrize("case", list(BAD_WORKBOOKS))
def test_a_workbook_we_will_not_read_gets_a_message_on_the_page_and_changes_nothing(data_dir, case):  # noqa: F811
    make, name, says = BAD_WORKBOOKS[case]
    at = signed_in()
    before = file_hashes(data_dir)
    at.file_uploader[0].set_value((name, make(), XLSX)).run()
    assert not at.exception
    assert "cannot be published" in at.error[0].value
    assert says in page_text(at)
    assert all(b.key != "upload-publish-0" for b in at.button)
    assert file_hashes(data_dir) == before


def test_the_guidance_and_templates_are_on_the_page(data_dir):  # noqa: F811
    at = signed_in()
    text = page_text(at)
    assert "docs/data-contract.md" not in text
    assert "Every measure has one Total row" in text
    labels = [b.label for b in at.get("download_button")]
    assert "Template (Excel .xlsx)" in labels and "Template (CSV)" in labels
    at.selectbox(key="upload-dataset").set_value("action_plan").run()
    assert "action_id (like 'P1.03')" in page_text(at)

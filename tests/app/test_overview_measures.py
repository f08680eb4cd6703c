"""The Overview shows the headlines of Health and wellbeing, Leaving care and permanence, and Children's voice, each
linking to its page; About the data defines every new indicator from the catalogue."""

from __future__ import annotations

from cpb_dash.formatting import format_number
from tests.app.conftest import app_test, overview_figures
from tests.app.page_helpers import block_texts, page_test, snapshot, text_of, total


def test_overview_has_the_new_areas_headlines_and_links():
    at = app_test().run()
    assert not at.exception
    metrics = overview_figures(at)
    march = snapshot("health_wellbeing", "2025-03-31")
    immunised = total(march, "oc2_immunised") / total(march, "oc2_cohort") * 100
    assert metrics["Immunisations"] == f"{format_number(immunised)}%"
    voice = snapshot("childrens_voice", "2025-09-30")
    assert metrics["3+ social workers in a year"] == (
        f"{format_number(total(voice, 'sw_3plus_12m') / total(voice, 'sw_cohort') * 100)}%"
    )
    assert "Staying put" in metrics and "Care leavers NEET (19 to 21)" in metrics
    subheaders = [str(h.value) for h in at.subheader] + block_texts(at)  # each area's heading
    for label in ("Health and wellbeing", "Leaving care and permanence", "Children's voice"):
        assert label in subheaders
    links = [link.proto.label for link in at.get("page_link")]
    for label in ("health and wellbeing", "leaving care and permanence", "children's voice"):
        assert f"More on {label}" in links, label  # short: a phone shows it whole


def test_about_the_data_defines_the_new_indicators():
    at = page_test("pages/5_About_the_data.py").run()
    assert not at.exception
    text = text_of(at)
    assert "Children looked after with an up-to-date health assessment (shown as Health assessments)" in text
    assert "Published comparator: the DfE's figure at 31 March each year" in text
    assert "Children aged 4 or over who took part in their review (shown as" in text
    assert "No published comparator: a local measure" in text
    assert "Children looked after who had 3 or more social workers in the year" in text

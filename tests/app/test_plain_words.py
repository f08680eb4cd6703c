"""Plain words as a councillor reads them (AppTest): each abbreviation is spelled out in the first text on the page
that uses it, inline ('in education, employment or training (EET)'), and not spelled out again."""

from __future__ import annotations

import html
import re

import pytest

from cpb_dash import catalogue
from tests.app.conftest import app_test, card_figures
from tests.app.page_helpers import block_texts, page_test, texts_in_page_order

PAGES = {
    "app.py": {"EET", "NEET"},
    "pages/1_Care_population.py": {"EET", "UASC", "DfE"},
    "pages/3_Workforce.py": {"FTE", "DfE"},
    "pages/7_Health_and_wellbeing.py": {"SDQ", "DfE"},
    "pages/8_Leaving_care.py": {"EET", "NEET", "SGO", "DfE"},
}


def open_page(page: str):
    at = (app_test("app.py") if page == "app.py" else page_test(page)).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", list(PAGES))
def test_each_abbreviation_is_spelled_out_in_the_first_text_that_uses_it(page):
    texts = texts_in_page_order(open_page(page), open_expanders=False)
    for abbr in PAGES[page]:
        uses = [text for text in texts if re.search(rf"\b{abbr}\b", text)]
        assert uses, f"{abbr} is not on {page}"
        # the words, as the glossary gives them, without a leading "in"/"not" the label may already hold
        words = catalogue.ABBREVIATIONS[abbr].split(" (")[0]
        tail = words.split(" ", 1)[-1].lower()
        assert tail in uses[0].lower() and f"{abbr})" in uses[0], (abbr, uses[0])
        # said once: no later text spells it out again
        assert not [text for text in uses[1:] if tail in text.lower() and f"{abbr})" in text], abbr


def test_the_overview_says_eet_in_full_in_its_first_line_that_uses_it():
    texts = texts_in_page_order(open_page("app.py"))
    first = next(text for text in texts if "EET" in text)
    assert first.startswith("**Care leavers in education, employment or training (EET) ")
    # the caption that listed the abbreviations before the first card is gone: one statement of each fact
    assert not any(text.startswith("In plain words:") for text in texts)


def test_a_card_spells_out_its_abbreviation_in_its_label_and_keeps_the_figure():
    at = open_page("pages/3_Workforce.py")
    texts = texts_in_page_order(at)
    label = texts.index("Social workers (full-time equivalent, FTE)")
    assert texts[label + 1] == card_figures(at)["Social workers (FTE)"]
    assert "What this means: social workers (FTE)" in texts  # after the card: the short form


def test_the_action_plan_chart_caption_states_where_the_trouble_is():
    """The caption is a finding (which priority is furthest on, where the off-track and overdue actions are),
    worked out here by hand from the sample update, not a list of every bar."""
    import pandas as pd

    from tests.app.page_helpers import snapshot

    plan = snapshot("action_plan", "2025-09-30")
    share = plan.groupby("priority")["status"].apply(lambda s: (s == "Complete").mean())
    leaders = sorted(int(p) for p in share[share == share.max()].index)
    assert leaders == [2, 4] and share.max() == 0.5  # 3 of 6 in each
    off = sorted(int(p) for p in plan.loc[plan["status"] == "Off track", "priority"].unique())
    late = plan[(pd.to_datetime(plan["due_date"]) < pd.Timestamp("2025-09-30")) & (plan["status"] != "Complete")]
    assert sorted(late["priority"]) == [1, 2, 3, 4, 5]
    at = page_test("pages/4_Action_plan.py").run()
    assert not at.exception
    captions = block_texts(at)  # the sentence under the chart
    assert (
        "Priorities 2 and 4 are furthest on (50% of their actions complete)."
        f" Off track: {(plan['status'] == 'Off track').sum()} actions, in priorities {off[0]}, {off[1]} and {off[2]}."
        " Overdue: 5, one in each priority." in captions
    )
    assert not any(c.startswith("Priority 1: ") for c in captions)  # the old list of every bar


def test_the_action_plan_opens_on_findings_not_filters():
    from tests.app.page_helpers import snapshot

    actions = len(snapshot("action_plan", "2025-09-30"))
    at = page_test("pages/4_Action_plan.py").run()
    texts = texts_in_page_order(at, open_expanders=False)
    # the five filter controls are in a popover behind one button; the summary figures come straight after it
    folded = next(i for i, text in enumerate(texts) if text.startswith("Filter the actions"))
    assert texts[folded + 1 : folded + 3] == ["Actions shown", f"{actions} of {actions}"]
    assert not any(text.startswith("Priority") for text in texts[: folded + 1])
    # a card says its status once, in its badge
    card = next(i for i, text in enumerate(texts) if text.startswith("Off track") and " · lead: " in texts[i + 1])
    assert texts[card + 1].startswith("P") and "Off track" not in texts[card + 1]
    # a filter in the link is said under the filter button, so the visitor sees what is applied
    filtered = page_test("pages/4_Action_plan.py", {"overdue": "true", "priority": ["1", "5"]}).run()
    texts = texts_in_page_order(filtered, open_expanders=False)
    folded = next(i for i, text in enumerate(texts) if text.startswith("Filter the actions"))
    assert texts[folded + 1] == "Filters in use: Priority 1 or 5; overdue only."
    assert texts[folded + 2] == "Actions shown"


def test_about_the_data_says_each_fact_once_in_plain_words():
    at = page_test("pages/5_About_the_data.py").run()
    texts = block_texts(at)
    lines = [line for t in texts for line in t.split("\n")]  # each indicator's lines, as its card shows them
    # a count is the figure uploaded: no 'worked out as' line repeating its name
    assert not any("as uploaded (a count)" in line for line in lines)
    assert not any(line.startswith("Neither:") for line in lines)
    assert any(line.startswith("Neither higher nor lower is better") for line in lines)
    text = "\n".join([*(str(m.value) for m in at.markdown), *texts])
    assert "Office for National Statistics (ONS) estimate" in text
    assert text.count("(ONS)") == 1


def test_about_the_data_names_each_source_once_per_area():
    at = page_test("pages/5_About_the_data.py").run()
    areas = {
        html.unescape(m.group(1)): block.proto.body
        for block in at.get("html")
        if (m := re.search(r'<h3 class="cpb-area">([^<]*)</h3>', block.proto.body))
    }
    care = areas[catalogue.DATASET_LABELS["care_population"]]
    sources = re.findall(r'<a href="([^"]*)" target="_blank"', care)
    # once in the Care population section (another area may cite the same release under its own heading)
    assert sorted(html.unescape(u) for u in sources) == sorted(
        {i.source for i in catalogue.indicators_for("care_population") if i.source}
    )
    for card in re.findall(r'<div class="cpb-card" data-definition=.*?</div>', care, re.S):
        assert "<a " not in card  # no card ends with its own copy of the source

"""Plain words as a councillor reads them (AppTest): each abbreviation is spelled out in the first text on the page
that uses it, inline ('in education, employment or training (EET)'), and not spelled out again."""

from __future__ import annotations

import re

import pytest

from cpb_dash import catalogue
from tests.app.conftest import app_test
from tests.app.page_helpers import page_test, texts_in_page_order

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
    assert texts[label + 1] == next(m.value for m in at.metric if m.label == "Social workers (FTE)")
    assert "What this means: social workers (FTE)" in texts  # after the card: the short form

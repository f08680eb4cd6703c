"""Annual measures (the OC2 health outcomes, counted at 31 March): which 31 March a quarter shows, how the figure is
dated in words, and a sentence that compares it with last year only."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import catalogue, indicators, narrative, periods, views
from tests.conftest import count_rows


def test_a_quarter_shows_the_latest_31_march_on_or_before_it():
    assert periods.latest_march(dt.date(2025, 3, 31)) == dt.date(2025, 3, 31)
    assert periods.latest_march(dt.date(2025, 9, 30)) == dt.date(2025, 3, 31)
    assert periods.latest_march(dt.date(2025, 12, 31)) == dt.date(2025, 3, 31)
    assert periods.latest_march(dt.date(2026, 1, 15)) == dt.date(2025, 3, 31)
    assert views.shown_period("health_assessment_pct", dt.date(2025, 9, 30)) == dt.date(2025, 3, 31)
    assert views.shown_period("children_missing_pct", dt.date(2025, 9, 30)) == dt.date(2025, 9, 30)


def test_the_figure_is_dated_in_words():
    assert periods.reference_label(dt.date(2025, 12, 31), catalogue.ANNUAL_31_MARCH) == "at 31 March 2025 (annual)"
    assert periods.reference_label(dt.date(2025, 9, 30), catalogue.THREE_YEARS) == "in the 3 years to 30 September 2025"


def test_the_sentence_compares_with_last_year_only_even_when_unchanged():
    counts = [
        count_rows(dt.date(year, 3, 31), [("oc2_cohort", 200), ("oc2_health_assessment", 190)]) for year in (2024, 2025)
    ]
    derived = indicators.derive(pd.concat(counts, ignore_index=True), catalogue.INDICATORS["health_assessment_pct"])
    head = indicators.headline(derived, "health_assessment_pct", dt.date(2025, 3, 31))
    text = narrative.sentence(head)
    assert text == (
        "Children looked after with an up-to-date health assessment: 95% at 31 March 2025 (annual),"
        " the same as last year (95%)."
    )
    assert "last quarter" not in text

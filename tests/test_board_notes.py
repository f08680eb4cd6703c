"""Ratings against a target, the standing without one, and which target is in force: worked by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import board_notes, catalogue
from cpb_dash.board_notes import AMBER, GREEN, RED, Target


def _target(value: float, tolerance: float) -> Target:
    return Target("agency_pct", dt.date(2025, 6, 30), value, tolerance, "Head of Service", "")


def test_lower_is_better_green_on_or_under_amber_within_tolerance_red_beyond():
    t = _target(15.0, 3.0)
    assert board_notes.rate(15.0, t, catalogue.LOW, "15.0%").colour == GREEN
    assert board_notes.rate(17.9, t, catalogue.LOW, "15.0%").colour == AMBER
    assert board_notes.rate(18.0, t, catalogue.LOW, "15.0%").colour == AMBER  # exactly the tolerance: amber
    assert board_notes.rate(21.5, t, catalogue.LOW, "15.0%").words == "Red: off target (15.0% or less)"


def test_higher_is_better_and_the_figure_is_judged_as_shown():
    t = Target("reviews_on_time_pct", dt.date(2025, 6, 30), 95.0, 0.0, "Head of Service", "")
    assert board_notes.rate(94.6, t, catalogue.HIGH, "95%").colour == RED  # unrounded: short by 0.4
    assert board_notes.rate(94.6, t, catalogue.HIGH, "95%", dps=0).colour == GREEN  # shown as 95%: met


def test_without_a_target_the_standing_against_the_comparator_and_the_band():
    # the case: agency workers 21.5% against England 13.0%, bottom quartile (band D)
    rating = board_notes.standing(21.5, "England", 13.0, "D", catalogue.LOW, 1)
    assert (rating.colour, rating.words) == (RED, "Worse than England, bottom quarter of councils")
    rating = board_notes.standing(59.0, "Statistical neighbours (median of 10)", 58.0, "B", catalogue.HIGH, 0)
    assert (rating.colour, rating.words) == (GREEN, "Better than Statistical neighbours, second quarter of councils")
    assert board_notes.standing(346, "England", None, None, catalogue.NEUTRAL, 0) is None


def test_the_target_in_force_is_the_latest_file_on_or_before_the_quarter_naming_it():
    targets = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2024-06-30", "2024-06-30", "2025-06-30"]),
            "indicator": ["agency_pct", "turnover_pct", "agency_pct"],
            "target": [18.0, 14.0, 15.0],
            "amber_tolerance": [3.0, None, 2.0],
            "set_by": ["A", "A", "B"],
            "rationale": [None, None, "tighter"],
        }
    )
    assert board_notes.target_for(targets, "agency_pct", dt.date(2025, 3, 31)).value == 18.0
    latest = board_notes.target_for(targets, "agency_pct", dt.date(2025, 9, 30))
    assert (latest.value, latest.amber_tolerance, latest.set_by, latest.rationale) == (15.0, 2.0, "B", "tighter")
    assert board_notes.target_for(targets, "turnover_pct", dt.date(2025, 9, 30)).amber_tolerance == 0.0
    assert board_notes.target_for(targets, "agency_pct", dt.date(2024, 3, 31)) is None


def test_a_trend_caption_leads_with_its_finding():
    from cpb_dash import views
    from cpb_dash.store import Store
    from tests.conftest import FIXTURES

    bundle = views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)
    hackney, comps = views.trend(bundle, "agency_pct", dt.date(2025, 9, 30), ["England"])
    # sample: 31.7% at 30 September 2024, 21.5% now; England 13.0% at 30 September 2025 (benchmarks file)
    assert views.describe_trend(hackney, comps, "agency_pct").startswith(
        "Down from 31.7% a year earlier, better; above England (worse). "
    )

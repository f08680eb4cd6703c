"""A headline whose figure, or whose earlier figure, is hidden ('c', disclosure.py) gives no change over time and
says why, instead of claiming there is no figure. Read from the sample store (data/fixtures), where children away
without authorisation number 1 to 5 in some quarters (their percentage shows 'c')."""

from __future__ import annotations

import datetime as dt

from cpb_dash import catalogue, views
from cpb_dash.store import Store
from cpb_dash.views.headlines import headline_view

FIXTURES = "data/fixtures"


def _view(day: str):
    bundle = views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)
    return headline_view(bundle, "children_away_pct", dt.date.fromisoformat(day), catalogue.DEFAULT_COMPARATOR)


def test_a_hidden_figure_gives_no_change_and_says_why():
    view = _view("2025-09-30")
    assert view.figure == "c"
    # 30 June 2025 is hidden too, 30 September 2024 is 0%: neither change is given, since it would reveal this one
    assert view.quarter_change == "not given while this figure is hidden"
    assert view.year_change == "not given while this figure is hidden"


def test_a_change_from_a_hidden_figure_is_not_given_and_says_why():
    view = _view("2024-03-31")  # 0%, after a hidden 31 December 2023
    assert view.figure == "0%"
    assert view.quarter_change == "not given: the figure for 2023-24 Q3 is hidden"
    assert "since last year" in view.year_change  # 31 March 2023 was shown: 0%

"""The Action plan's filters in use, as the line under its filter button says them (views.filters_in_words)."""

from cpb_dash.views import PlanFilters, filters_in_words


def test_no_filter_says_nothing():
    assert filters_in_words(PlanFilters()) == ""


def test_each_filter_in_use_is_said_once_in_the_order_of_the_controls():
    chosen = PlanFilters((2, 4, 5), ("At risk", "Off track"), ("Head of Virtual School",), True, True)
    assert filters_in_words(chosen) == (
        "Priority 2, 4 or 5; status At risk or Off track; lead Head of Virtual School;"
        " anti-racist commitments only; overdue only"
    )


def test_a_switch_alone_starts_with_a_capital():
    assert filters_in_words(PlanFilters(overdue_only=True)) == "Overdue only"

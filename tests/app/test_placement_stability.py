"""The Placement stability page in AppTest: figures equal those derived by the DfE formulas from the committed
sample files; the period and comparator change what is shown; a small count shows as 'c'."""

import datetime as dt

import pytest

from cpb_dash import periods
from cpb_dash.formatting import format_number
from tests.app.conftest import latest_period, metric_values
from tests.app.page_helpers import (
    cell,
    chart_downloads,
    chart_gives_away,
    chart_labels,
    chart_titled,
    charts,
    page_test,
    private_fixtures,
    rewrite_breakdown,
    snapshot,
    table_with_column,
    text_of,
    total,
)

PAGE = "pages/2_Placement_stability.py"


def stock_label(iso: str) -> str:
    return periods.stock_label(dt.date.fromisoformat(iso))


def expected_metrics(period: str) -> dict[str, str]:
    stability = snapshot("placement_stability", period)
    care = snapshot("care_population", period)

    def pct(numerator: float, denominator: float) -> str:
        return f"{format_number(numerator / denominator * 100)}%"

    return {
        "3+ placements in a year": pct(total(stability, "stab_3plus_placements"), total(stability, "stab_cla_total")),
        "Long-term stability": pct(total(stability, "ltstab_same_carer_2y"), total(stability, "ltstab_cohort")),
        # DfE: placed 20+ miles away and outside the LA, over all children looked after (care_population's cla)
        "Placed 20+ miles away": pct(total(stability, "placed_over_20_miles_outside_la"), total(care, "cla")),
        "Placement moves": format_number(total(stability, "placement_moves_in_quarter")),
    }


@pytest.mark.parametrize("period", [None, "2023-06-30"])
def test_headlines_equal_the_figures_derived_from_the_sample_data(period):
    at = page_test(PAGE).run()
    if period is not None:
        at.selectbox(key="period").set_value(period).run()
    assert not at.exception
    chosen = period or latest_period("placement_stability")
    assert metric_values(at) == expected_metrics(chosen)
    # the breakdown charts say which day they are for
    chart_titled(at, f"Children with 3 or more placements in 12 months by age group, {stock_label(chosen)}")


def test_the_page_draws_a_trend_per_indicator_and_its_breakdowns():
    at = page_test(PAGE).run()
    assert len(charts(at)) == 7  # four trends, three breakdowns
    assert len(chart_downloads(at)) == 7  # a CSV for each chart
    trend = table_with_column(at, "Hackney (%)")
    assert (
        trend.iloc[-1]["Hackney (%)"]
        == expected_metrics(latest_period("placement_stability"))["3+ placements in a year"]
    )


def test_the_comparator_choice_changes_the_comparison_and_the_trend_table():
    at = page_test(PAGE).run()
    assert "England:" in text_of(at)
    assert list(table_with_column(at, "Hackney (%)").columns) == ["Quarter", "Hackney (%)", "England"]
    at.selectbox(key="compare").set_value("Statistical neighbours").run()
    assert not at.exception
    assert "Statistical neighbours (median of 10):" in text_of(at)
    assert list(table_with_column(at, "Hackney (%)").columns) == [
        "Quarter",
        "Hackney (%)",
        "England",
        "Statistical neighbours (median of 10)",
    ]


def test_the_existing_small_counts_are_already_hidden():
    at = page_test(PAGE).run()
    counts = snapshot("placement_stability", latest_period("placement_stability"))
    table = table_with_column(at, "Number of children").set_index("Age group")
    for age, shown in table["Number of children"].items():
        raw = cell(counts, "stab_3plus_placements", "Age group", age)
        if 1 <= raw <= 5:
            assert shown == "c"


def test_a_breakdown_count_of_3_shows_c_and_a_second_cell_is_hidden(tmp_path, monkeypatch):
    root = private_fixtures(tmp_path)
    period = latest_period("placement_stability")
    moves = total(snapshot("placement_stability", period), "placement_moves_in_quarter")
    # The sample already has several small cells here; make one the only small cell, so that the
    # secondary suppression has to hide the next smallest (6) to stop a reader subtracting from the Total.
    new = {
        "Under 1 year": 3,
        "1 to 4 years": 6,
        "5 to 9 years": 7,
        "10 to 15 years": 10,
        "16 years and over": moves - 26,
    }
    rewrite_breakdown(root, "placement_stability", period, "placement_moves_in_quarter", "Age group", new)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))

    at = page_test(PAGE).run()
    assert not at.exception
    chart = chart_titled(at, "Placement moves in the quarter by age group")
    data = chart_labels(chart)
    assert list(data.loc[["Under 1 year", "1 to 4 years"], "shown"]) == ["c", "c"]
    assert (data.loc[["Under 1 year", "1 to 4 years"], "plot_value"] == "0").all()  # no bar: a hidden figure
    assert not chart_gives_away(chart, "3") and not chart_gives_away(chart, "6")
    table = table_with_column(at, "Number of moves").set_index("Age group")
    assert table["Number of moves"].to_dict() == {
        "Under 1 year": "c",
        "1 to 4 years": "c",
        "5 to 9 years": "7",
        "10 to 15 years": "10",
        "16 years and over": format_number(moves - 26),
    }
    assert metric_values(at)["Placement moves"] == format_number(moves)

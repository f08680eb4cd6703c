"""The overview page in AppTest: figures equal the sample data's; changing the period changes them."""

from cpb_dash.formatting import format_number, round_half_up
from tests.app.conftest import app_test, fixture_total, latest_period, markdown_text, metric_values


def test_overview_shows_the_latest_quarter_figures_from_the_sample_data():
    at = app_test("app.py").run()
    assert not at.exception
    latest = latest_period()
    metrics = metric_values(at)
    cla = fixture_total("care_population", latest, "cla")
    population = fixture_total("care_population", latest, "population_0_17")
    assert metrics["Children in care"] == format_number(cla)
    assert metrics["Rate per 10,000"] == f"{format_number(cla / population * 10_000)} per 10,000"
    leavers = fixture_total("workforce", latest, "leavers_fte_12m")
    inpost = fixture_total("workforce", latest, "inpost_fte")
    assert metrics["Turnover"] == f"{round_half_up(leavers / inpost * 100, 1):.1f}%"
    assert "Actions complete" in metrics
    assert at.selectbox(key="period").value == latest


def test_choosing_an_earlier_quarter_changes_the_figures():
    at = app_test("app.py").run()
    at.selectbox(key="period").set_value("2025-03-31").run()
    assert not at.exception
    metrics = metric_values(at)
    # cla_number_and_rate_per_10k_children.csv, 2025, Hackney: 352 children looked after at 31 March 2025
    assert metrics["Children in care"] == "352"
    assert metrics["Rate per 10,000"] == "65 per 10,000"
    assert "at 31 March 2025" in markdown_text(at)


def test_the_comparator_choice_changes_the_comparison_shown():
    at = app_test("app.py").run()
    assert "England:" in markdown_text(at)
    at.selectbox(key="compare").set_value("Statistical neighbours").run()
    assert "Statistical neighbours (median of 10):" in markdown_text(at)


def test_changes_are_judged_better_or_worse_in_words():
    at = app_test("app.py").run()
    text = markdown_text(at) + " ".join(str(m.delta) for m in at.metric)
    assert "(better)" in text or "(worse)" in text


def test_a_rank_is_shown_only_where_a_direction_is_better():
    at = app_test("app.py").run()
    assert not at.exception
    lines = [str(m.value) for m in at.markdown]
    rate = next(line for line in lines if line.startswith("England:") and "per 10,000" in line)
    # LAIT ranks no indicator of polarity "-" (the CLA rate per 10,000, lait_data_dictionary.csv): no rank here
    assert "ranked" not in rate
    ranked = next(line for line in lines if line.startswith("England:") and "ranked" in line)
    assert "1 = best" in ranked and "1 = lowest" not in markdown_text(at)

"""The Care population page in AppTest: figures equal those derived by the DfE formulas from the committed sample
files; the period, comparator and breakdown topic change what is shown; a small count shows as 'c'."""

from fractions import Fraction

import pytest

from cpb_dash.formatting import format_number, round_half_up
from tests.app.conftest import latest_period, metric_values
from tests.app.page_helpers import (
    cell,
    chart_alt,
    chart_downloads,
    chart_gives_away,
    chart_labels,
    chart_table,
    chart_texts,
    chart_titled,
    charts,
    page_test,
    private_fixtures,
    rewrite_breakdown,
    snapshot,
    table_with_column,
    tables,
    text_of,
    total,
)

PAGE = "pages/1_Care_population.py"
BLACK = "Black, African, Caribbean or Black British"


def expected_metrics(period: str) -> dict[str, str]:
    """Every headline on the page, computed here from the parquet file by the DfE formula, rounded half up."""
    counts = snapshot("care_population", period)

    def exact(measure: str) -> Fraction:
        return Fraction(int(total(counts, measure)))  # whole counts of children

    def pct(numerator: str, denominator: str) -> str:
        return f"{format_number(exact(numerator) / exact(denominator) * 100)}%"

    return {
        "Children in care": format_number(total(counts, "cla")),
        "Rate per 10,000": f"{format_number(exact('cla') / exact('population_0_17') * 10_000)} per 10,000",
        "Started care": format_number(total(counts, "cla_started")),
        "Left care": format_number(total(counts, "cla_ceased")),
        "UASC": format_number(total(counts, "uasc")),
        "Care leavers in EET (19 to 21)": pct("cl_19_21_eet", "cl_19_21_total"),
        # The DfE's denominator: the accommodation file's "Suitability total", not the activity file's total.
        "Care leavers suitably housed (19 to 21)": pct("cl_19_21_suitable_accom", "cl_19_21_accom_total"),
        "Return interviews accepted": pct("rhi_accepted", "missing_episodes"),
    }


@pytest.mark.parametrize("period", [None, "2024-12-31", "2022-03-31"])
def test_headlines_equal_the_figures_derived_from_the_sample_data(period):
    at = page_test(PAGE).run()
    if period is not None:
        at.selectbox(key="period").set_value(period).run()
    assert not at.exception
    chosen = period or latest_period()
    assert at.selectbox(key="period").value == chosen
    assert metric_values(at) == expected_metrics(chosen)
    if chosen == "2022-03-31":
        # la_care_leavers_accommodation_suitability.csv, 2022, Hackney, 19 to 21: 250 of 283 suitable, published 88%
        assert metric_values(at)["Care leavers suitably housed (19 to 21)"] == "88%"


def test_the_page_draws_its_charts_with_tables_and_downloads():
    at = page_test(PAGE).run()
    assert not at.exception
    # CLA rate, CLA number, flows, UASC, breakdown, ethnicity, ratio trend, EET, accommodation, return interviews
    assert len(charts(at)) >= 10
    assert len(chart_downloads(at)) == len(charts(at))  # each chart's CSV
    for chart in charts(at):  # each image says what the chart shows and what it finds, beyond its title
        title, _, finding = chart_alt(chart).partition(". ")
        assert title and len(finding) > 30, chart_alt(chart)
    # every table is plain HTML (no interactive grid's code on a first visit): the comparator table shown open,
    # then each chart's under its "Show as table", one to a chart
    assert not at.dataframe
    assert [list(t.columns)[:3] for t in tables(at)][0] == ["Measure", "Hackney (published)", "England"]
    assert len(tables(at)) == 1 + len(charts(at))
    flows_chart = chart_titled(at, "Children starting and leaving care")
    assert {"Started care", "Left care"} <= set(chart_texts(flows_chart))  # its legend
    assert chart_alt(flows_chart).startswith("Children starting and leaving care, each quarter. ")
    flows = chart_table(flows_chart)
    counts = snapshot("care_population", latest_period())
    last = flows.iloc[-1]
    assert last["Started care (children)"] == format_number(total(counts, "cla_started"))
    assert last["Left care (children)"] == format_number(total(counts, "cla_ceased"))
    # the CSV is the table shown
    assert chart_downloads(at)["cla-started-and-left.csv"].splitlines()[0].startswith("Quarter")


@pytest.mark.parametrize("period", [None, "2022-03-31"])
def test_ethnicity_ratio_equals_share_in_care_over_share_of_population(period):
    at = page_test(PAGE).run()
    if period is not None:
        at.selectbox(key="period").set_value(period).run()
    chosen = period or latest_period()
    counts = snapshot("care_population", chosen)
    share_in_care = cell(counts, "cla", "Ethnicity", BLACK) / total(counts, "cla")
    share_of_population = cell(counts, "population_0_17", "Ethnicity", BLACK) / total(counts, "population_0_17")
    table = table_with_column(at, "Ratio (1.0 = parity)").set_index("Ethnic group")
    assert table.loc[BLACK, "Ratio (1.0 = parity)"] == f"{round_half_up(share_in_care / share_of_population, 2):.2f}"
    assert table.loc[BLACK, "Share of children in care"] == f"{round_half_up(share_in_care * 100, 1):.1f}%"
    # the population has no 'refused' group: those children have no ratio, and the page says so
    assert "Refused or information not yet available" not in table.index
    text = text_of(at)
    assert "refused or not yet recorded" in text
    assert "ONS mid-year estimate of children aged 0 to 17" in text and "Census 2021" in text
    trend = table_with_column(at, BLACK)
    assert trend.iloc[-1][BLACK] == table.loc[BLACK, "Ratio (1.0 = parity)"]


def test_the_topic_choice_changes_the_breakdown_and_goes_in_the_url():
    at = page_test(PAGE).run()
    assert at.radio(key="topic").value == "Age group"
    table_with_column(at, "Age group")
    at.radio(key="topic").set_value("Legal status").run()
    assert not at.exception
    assert at.query_params["topic"] == "Legal status"
    table = table_with_column(at, "Legal status").set_index("Legal status")
    counts = snapshot("care_population", latest_period())
    assert table.loc["Full care order", "Number of children"] == format_number(
        cell(counts, "cla", "Legal status", "Full care order")
    )
    assert not any("Age group" in t.columns for t in tables(at))  # the breakdown replaced, not added


def test_a_link_with_a_topic_opens_that_breakdown():
    at = page_test(PAGE, query={"topic": "Placement location"}).run()
    assert at.radio(key="topic").value == "Placement location"
    table_with_column(at, "Placement location")
    # a topic the page does not know falls back to the first, quietly
    at = page_test(PAGE, query={"topic": "<script>"}).run()
    assert not at.exception and at.radio(key="topic").value == "Age group"


def test_children_in_care_by_placement_provider_as_hackney_published_them():
    at = page_test(PAGE, query={"topic": "Placement provider", "period": "2025-03-31"}).run()
    assert not at.exception and at.radio(key="topic").value == "Placement provider"
    table = table_with_column(at, "Placement provider").set_index("Placement provider")
    # cla_characteristics_31_march.csv, Hackney, 31 March 2025: own provision 148, private provision 162.
    assert table.loc["Own provision (by the LA)", "Number of children"] == "148"
    assert table.loc["Private provision", "Number of children"] == "162"


def test_the_comparator_choice_changes_the_comparison_and_the_trend_table():
    at = page_test(PAGE).run()
    assert "England:" in text_of(at)
    at.selectbox(key="compare").set_value("London").run()
    assert not at.exception
    assert "London:" in text_of(at)
    rate_trend = table_with_column(at, "Hackney (per 10,000)")
    assert list(rate_trend.columns) == ["Quarter", "Hackney (per 10,000)", "England", "London"]


def test_a_breakdown_count_of_3_shows_c_and_a_second_cell_is_hidden(tmp_path, monkeypatch):
    root = private_fixtures(tmp_path)
    period = latest_period()
    counts = snapshot("care_population", period)
    under_one = cell(counts, "cla", "Age group", "Under 1 year")
    ten_to_15 = cell(counts, "cla", "Age group", "10 to 15 years")
    one_to_four = cell(counts, "cla", "Age group", "1 to 4 years")  # the smallest cell left: the secondary
    rewrite_breakdown(
        root,
        "care_population",
        period,
        "cla",
        "Age group",
        {"Under 1 year": 3, "10 to 15 years": ten_to_15 + under_one - 3},
    )
    monkeypatch.setenv("CPB_DATA_DIR", str(root))

    at = page_test(PAGE).run()
    assert not at.exception
    chart = chart_titled(at, "Children looked after by age group")
    data = chart_labels(chart)
    assert data.loc["Under 1 year", "shown"] == "c" and data.loc["1 to 4 years", "shown"] == "c"
    assert (data.loc[["Under 1 year", "1 to 4 years"], "plot_value"] == "0").all()  # no bar: a hidden figure
    assert not chart_gives_away(chart, "3") and not chart_gives_away(chart, format_number(one_to_four))
    table = table_with_column(at, "Age group").set_index("Age group")
    assert table.loc["Under 1 year", "Number of children"] == "c"
    assert table.loc["1 to 4 years", "Number of children"] == "c"  # else 346 minus the rest would reveal it
    assert table.loc["Under 1 year", "Share of total"] == ""
    assert "3" not in set(table["Number of children"]) and format_number(one_to_four) not in set(
        table["Number of children"]
    )
    # the headline total is not suppressed
    assert metric_values(at)["Children in care"] == format_number(total(counts, "cla"))


def test_a_placement_that_could_not_be_located_is_said_beside_the_location_breakdown(tmp_path, monkeypatch):
    """Imported from a return with one blank placement postcode: the location groups add up to less than the
    total, and the chart's description says why (the sample's quarters, whose groups add up, say nothing)."""
    import datetime as dt

    from cpb_dash.intake.import903 import check_903, publish_903
    from cpb_dash.store import Store
    from tests.test_derive903_rules import EPISODES, HEADER, ep

    root = private_fixtures(tmp_path)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    children = [f"FAKE0000{n:02d}" for n in range(1, 13)]  # enough that no location group is suppressed
    header = "\n".join([HEADER, *(f"{c},M,01/06/2012,BAFR,,," for c in children)])
    unplaced = ep(children[-1], "01/01/2026").replace("E8 1AA,E8 2AA", ",")
    episodes = "\n".join([EPISODES, *(ep(c, "01/01/2026") for c in children[:-1]), unplaced])
    store = Store(root)
    preview = check_903(store, [("h.csv", header.encode()), ("e.csv", episodes.encode())], today=dt.date(2026, 11, 28))
    publish_903(store, preview, by="officer@hackney.gov.uk")
    said = "are in neither group, so the shares add up to less than 100%"
    at = page_test(PAGE, {"period": "2026-03-31", "topic": "Placement location"}).run()
    assert not at.exception
    assert said in text_of(at) or any(said in chart_alt(c) for c in charts(at))
    sample = page_test(PAGE, {"period": "2025-09-30", "topic": "Placement location"}).run()  # the sample's own
    assert said not in text_of(sample) and not any(said in chart_alt(c) for c in charts(sample))

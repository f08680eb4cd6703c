"""The Health and wellbeing page in AppTest: each figure is the DfE formula over the committed sample file's
counts, and at 31 March it is Hackney's published LAIT figure; the annual health figures say they are annual and
show their 31 March; children who went missing are counted by the quarter."""

from __future__ import annotations

import pandas as pd
import pytest

from cpb_dash.formatting import format_number
from tests.app.conftest import latest_period, metric_values
from tests.app.page_helpers import (
    chart_alt,
    chart_downloads,
    charts,
    page_test,
    snapshot,
    table_with_column,
    text_of,
    total,
)
from tests.conftest import SHARED_DFE

PAGE = "pages/7_Health_and_wellbeing.py"
# card label -> (numerator, denominator, LAIT Short Desc)
ANNUAL = {
    "Health assessments": ("oc2_health_assessment", "oc2_cohort", "LACHealth%"),
    "Dental checks": ("oc2_dental_check", "oc2_cohort", "LACDental%"),
    "Immunisations": ("oc2_immunised", "oc2_cohort", "LACVaccinations%"),
    "SDQ completed": ("oc2_sdq_completed", "oc2_sdq_cohort", None),
    "SDQ a cause for concern": ("oc2_sdq_concern", "oc2_sdq_completed", None),
    "Substance misuse": ("oc2_substance_misuse", "oc2_cohort", "LACSubstance"),
    "Convictions or cautions": ("oc2_convicted", "oc2_aged_10_plus", "LAC_Convictions"),
}
QUARTERLY = {
    "Children who went missing": ("children_missing_12m", "cla_during_12m", "Children_missing"),
    "Away without authorisation": ("children_away_12m", "cla_during_12m", "Children_Away"),
}


def pct(frame: pd.DataFrame, numerator: str, denominator: str) -> str:
    return f"{format_number(total(frame, numerator) / total(frame, denominator) * 100)}%"


def lait_hackney(short: str, year: int) -> str:
    lait = pd.read_parquet(SHARED_DFE / "lait_bds_long.parquet")
    row = lait[(lait["Short Desc"] == short) & (lait["Years"] == str(year)) & (lait["LA Number"] == 204)]
    return f"{row['Values'].iloc[0]}%"


def test_annual_figures_come_from_the_latest_31_march_and_say_so():
    at = page_test(PAGE).run()
    assert not at.exception
    latest = latest_period("health_wellbeing")
    assert latest == "2025-09-30"
    march = snapshot("health_wellbeing", "2025-03-31")  # the health counts are in 31 March files only
    metrics = metric_values(at)
    for label, (numerator, denominator, _) in ANNUAL.items():
        assert metrics[label] == pct(march, numerator, denominator), label
    score = total(march, "oc2_sdq_score_total") / total(march, "oc2_sdq_completed")
    assert metrics["Average SDQ score"] == format_number(score, 1)
    text = text_of(at)
    assert "at 31 March 2025 (annual)" in text
    assert "Counted once a year, at 31 March" in "\n".join(str(i.value) for i in at.info)
    # missing children are the quarter's own (12 months to 30 September 2025)
    quarter = snapshot("health_wellbeing", latest)
    for label, (numerator, denominator, _) in QUARTERLY.items():
        count = total(quarter, numerator)
        # 1 to 5 children away without authorisation could be named: hidden, and the percentage with them
        expected = "c" if 1 <= count <= 5 else pct(quarter, numerator, denominator)
        assert metrics[label] == expected, label
    assert metrics["Away without authorisation"] == "c"  # the sample has 5 such children this quarter
    assert "in the 12 months to 30 September 2025" in text
    # return home interviews sit beside them, from the care population's file
    care = snapshot("care_population", latest_period("care_population"))
    assert metrics["Return interviews offered"] == pct(care, "rhi_offered", "missing_episodes")
    assert metrics["Return interviews accepted"] == pct(care, "rhi_accepted", "missing_episodes")


def test_at_31_march_2025_the_figures_are_hackneys_published_ones():
    if not SHARED_DFE.is_dir():
        pytest.skip("../shared/data/dfe is not beside the repository")
    at = page_test(PAGE, {"period": "2025-03-31"}).run()
    assert not at.exception
    metrics = metric_values(at)
    for label, (_, _, short) in {**ANNUAL, **QUARTERLY}.items():
        if short is not None:
            assert metrics[label] == lait_hackney(short, 2025), label
    assert metrics["Average SDQ score"] == "15.5"  # LAIT Emotional_LAC, Hackney 2025


def test_each_figure_has_a_trend_with_comparators_and_its_table():
    at = page_test(PAGE, {"compare": "London"}).run()
    assert len(charts(at)) == 12
    trend = table_with_column(at, "Hackney (%)")
    # the first trend is the health assessments': one point a year, London and England beside it
    assert list(trend.columns) == ["Quarter", "Hackney (%)", "England", "London"]
    assert trend["Quarter"].str.endswith("(Jan-Mar 2020)").iloc[0]
    assert trend.iloc[-1]["London"] == "93%"  # LAIT: London, 2025
    assert len(chart_downloads(at)) == 12  # a CSV for each chart


def test_a_trend_whose_latest_figure_is_hidden_says_so_before_its_finding():
    """Away without authorisation is hidden at 30 June and 30 September 2025 (1 to 5 children); the chart's sentence
    and text alternative say so first, and that the finding is of 31 March 2025, the last quarter shown (0% then,
    0% a year before, England 3%: the sample file and the benchmarks file)."""
    at = page_test(PAGE).run()
    chart = next(c for c in charts(at) if chart_alt(c).startswith("Children looked after who were away"))
    said = (
        "The figure for 2025-26 Q2 (Jul-Sep 2025) is hidden, to protect a small number of children."
        " In 2024-25 Q4 (Jan-Mar 2025), the latest shown: the same as a year ago (0%); below England."
    )
    assert said in chart_alt(chart)
    assert said in text_of(at)
    # a quarter whose own figure is shown leads with its finding, as before
    march = page_test(PAGE, {"period": "2025-03-31"}).run()
    chart = next(c for c in charts(march) if chart_alt(c).startswith("Children looked after who were away"))
    assert ". The same as a year ago (0%); below England." in chart_alt(chart)
    assert "is hidden" not in chart_alt(chart)

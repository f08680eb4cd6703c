"""The Leaving care and permanence page in AppTest: care leavers aged 17-18 and 19-21, staying put, adoption and
special guardianship, and the adoption scorecard's timings, each the DfE formula over the sample file's counts,
and at 31 March 2025 Hackney's published figure."""

from __future__ import annotations

import pandas as pd
import pytest

from cpb_dash.formatting import format_number
from tests.app.conftest import latest_period, metric_values
from tests.app.page_helpers import charts, page_test, snapshot, text_of, total
from tests.conftest import SHARED_DFE

PAGE = "pages/8_Leaving_care.py"
# card label -> (dataset of the numerator, numerator, dataset of the denominator, denominator)
PERCENTAGES = {
    "Care leavers in touch (17 to 18)": ("leaving_care", "cl_17_18_in_touch", "leaving_care", "cl_17_18_total"),
    "Care leavers in EET (17 to 18)": ("leaving_care", "cl_17_18_eet", "leaving_care", "cl_17_18_total"),
    "Care leavers NEET (17 to 18)": ("leaving_care", "cl_17_18_neet", "leaving_care", "cl_17_18_total"),
    "Care leavers suitably housed (17 to 18)": (
        "leaving_care",
        "cl_17_18_suitable_accom",
        "leaving_care",
        "cl_17_18_total",
    ),
    "Care leavers in EET (19 to 21)": ("care_population", "cl_19_21_eet", "care_population", "cl_19_21_total"),
    "Care leavers NEET (19 to 21)": ("leaving_care", "cl_19_21_neet", "care_population", "cl_19_21_total"),
    "Staying put": ("leaving_care", "staying_put", "leaving_care", "staying_put_cohort"),
    "Left care by adoption": ("leaving_care", "ceased_adoption_12m", "leaving_care", "ceased_12m"),
    "Left care by SGO": ("leaving_care", "ceased_sgo_12m", "leaving_care", "ceased_12m"),
}
# published by the DfE for Hackney at 31 March 2025 (la_care_leavers_activity.csv, LAIT StayingPut and
# LAC_ceased_SGO%)
PUBLISHED_2025 = {
    "Care leavers in EET (17 to 18)": "69%",
    "Care leavers NEET (17 to 18)": "29%",
    "Care leavers NEET (19 to 21)": "35%",
    "Staying put": "27%",
    "Left care by SGO": "18%",
}


@pytest.mark.parametrize("period", [None, "2023-12-31"])
def test_figures_are_the_dfe_formulas_over_the_sample_counts(period):
    at = page_test(PAGE, {"period": period} if period else None).run()
    assert not at.exception
    day = period or latest_period("leaving_care")
    metrics = metric_values(at)
    for label, (num_set, numerator, den_set, denominator) in PERCENTAGES.items():
        value = total(snapshot(num_set, day), numerator) / total(snapshot(den_set, day), denominator) * 100
        assert metrics[label] == f"{format_number(value)}%", label
    frame = snapshot("leaving_care", day)
    days = total(frame, "adopted_3y_days_to_move_in") / total(frame, "adopted_3y")
    assert metrics["Care to adoptive home"] == format_number(days)
    days = total(frame, "matched_3y_days_order_to_match") / total(frame, "matched_3y")
    assert metrics["Placement order to match"] == format_number(days)


def test_at_31_march_2025_the_figures_are_hackneys_published_ones():
    if not SHARED_DFE.is_dir():
        pytest.skip("../shared/data/dfe is not beside the repository")
    activity = pd.read_csv(SHARED_DFE / "la_care_leavers_activity.csv", dtype=str, keep_default_na=False)
    hackney = activity[
        (activity["la_name"] == "Hackney")
        & (activity["time_period"] == "2025")
        & (activity["care_leaver_age"] == "17 to 18 years")
        & (activity["breakdown"] == "Total in education, employment or training")
    ]
    assert hackney["care_leaver_percent"].iloc[0] == "69"  # the figure this test expects, read from the file
    at = page_test(PAGE, {"period": "2025-03-31"}).run()
    metrics = metric_values(at)
    for label, shown in PUBLISHED_2025.items():
        assert metrics[label] == shown, label


def test_local_measures_say_they_have_no_comparator_and_the_scorecard_is_three_years():
    at = page_test(PAGE).run()
    text = text_of(at)
    assert "Local measure: no published comparator" in text
    assert "in the 3 years to 30 September 2025" in text
    assert len(charts(at)) == 15

"""Indicator derivation, each checked against a figure the DfE published for Hackney (source noted)."""

import datetime as dt

import pandas as pd
import pytest

from cpb_dash import catalogue, indicators
from cpb_dash.formatting import round_half_up
from tests.conftest import count_rows

MARCH_2025 = dt.date(2025, 3, 31)
SEPT_2025 = dt.date(2025, 9, 30)


def _value(counts: pd.DataFrame, indicator_id: str) -> float:
    derived = indicators.derive(counts, catalogue.INDICATORS[indicator_id])
    total = derived[derived["breakdown_topic"] == "Total"]
    assert len(total) == 1
    return float(total["value"].iloc[0])


@pytest.mark.parametrize(
    ("indicator_id", "rows", "published"),
    [
        # cla_number_and_rate_per_10k_children.csv, 2025, Hackney: 352 children, population 54,191, rate 65
        ("cla_rate_per_10k", [("cla", 352), ("population_0_17", 54191)], 65),
        # la_cla_placement_stability.csv, 2025, Hackney: 45 of 352 with 3+ placements in the year, 13%
        ("stab_3plus_pct", [("stab_3plus_placements", 45), ("stab_cla_total", 352)], 13),
        # la_cla_placement_stability.csv, 2025, Hackney: 84 of 118 with the same carer 2+ years, 71%
        ("ltstab_pct", [("ltstab_same_carer_2y", 84), ("ltstab_cohort", 118)], 71),
        # cla_characteristics_31_march.csv, 2025, Hackney: 33 of 352 placed outside, 20+ miles, 9%
        ("placed_20_miles_outside_pct", [("placed_over_20_miles_outside_la", 33), ("cla", 352)], 9),
        # la_care_leavers_activity.csv, 2025, Hackney, 19 to 21: 152 of 262 in EET, 58%
        ("cl_19_21_eet_pct", [("cl_19_21_eet", 152), ("cl_19_21_total", 262)], 58),
        # la_care_leavers_accommodation_suitability.csv, 2025, Hackney, 19 to 21: 224 of a "Suitability total" of
        # 262 suitable, 85%
        ("cl_19_21_suitable_accom_pct", [("cl_19_21_suitable_accom", 224), ("cl_19_21_accom_total", 262)], 85),
        # ... 2022: 250 of a "Suitability total" of 283, 88% (the activity file's 287 care leavers would give 87%)
        (
            "cl_19_21_suitable_accom_pct",
            [("cl_19_21_suitable_accom", 250), ("cl_19_21_total", 287), ("cl_19_21_accom_total", 283)],
            88,
        ),
        # la_cla_placement_stability.csv, 2024, Lambeth: 46 of 80 with the same carer, 57.5%, published 58% (floats
        # give 57.49999999999999)
        ("ltstab_pct", [("ltstab_same_carer_2y", 46), ("ltstab_cohort", 80)], 58),
    ],
)
def test_cla_indicators_equal_published_figures(indicator_id, rows, published):
    ind = catalogue.INDICATORS[indicator_id]
    assert round_half_up(_value(count_rows(MARCH_2025, rows), indicator_id), ind.dps) == published


# csww_indicators_2017_to_2025.csv, 2025, Hackney: inpost 193.3 FTE, leavers 20.2, agency 53, vacancies 66,
# cases 1,943, case holders 139.6 FTE, 1,337 days lost. Published: turnover 10.5, agency 21.5, vacancy 25.5,
# caseload 13.9, absence 2.7.
WORKFORCE_2025 = [
    ("inpost_fte", 193.3),
    ("leavers_fte_12m", 20.2),
    ("agency_fte", 53),
    ("vacancy_fte", 66),
    ("cases", 1943),
    ("case_holders_fte", 139.6),
    ("working_days_lost_12m", 1337),
]


@pytest.mark.parametrize(
    ("indicator_id", "published"),
    [
        ("turnover_pct", 10.5),
        ("agency_pct", 21.5),
        ("vacancy_pct", 25.5),
        ("caseload_avg", 13.9),
        ("absence_pct", 2.7),
        ("inpost_fte", 193.3),
    ],
)
def test_workforce_indicators_equal_published_figures(indicator_id, published):
    ind = catalogue.INDICATORS[indicator_id]
    assert round_half_up(_value(count_rows(SEPT_2025, WORKFORCE_2025), indicator_id), ind.dps) == published


def test_a_suppressed_input_never_becomes_zero():
    counts = count_rows(
        MARCH_2025,
        [
            ("stab_3plus_placements", "Age group", "Under 1 year", None, "c"),
            ("stab_cla_total", "Age group", "Under 1 year", 16),
            ("stab_3plus_placements", 45),
            ("stab_cla_total", 352),
        ],
    )
    derived = indicators.derive(counts, catalogue.INDICATORS["stab_3plus_pct"])
    under_one = derived[derived["breakdown"] == "Under 1 year"].iloc[0]
    assert under_one["symbol"] == "c"
    assert pd.isna(under_one["value"])


def test_a_symbol_in_the_denominator_carries_through():
    counts = count_rows(SEPT_2025, [("leavers_fte_12m", 20.2), ("inpost_fte", "Total", "Total", None, "x")])
    derived = indicators.derive(counts, catalogue.INDICATORS["turnover_pct"])
    assert derived["symbol"].tolist() == ["x"]
    assert derived["value"].isna().all()


def test_a_missing_denominator_is_unavailable_not_zero():
    derived = indicators.derive(count_rows(SEPT_2025, [("cases", 1943)]), catalogue.INDICATORS["caseload_avg"])
    assert derived["symbol"].tolist() == ["x"]


def test_a_zero_cohort_is_not_applicable():
    counts = count_rows(MARCH_2025, [("ltstab_same_carer_2y", 0), ("ltstab_cohort", 0)])
    derived = indicators.derive(counts, catalogue.INDICATORS["ltstab_pct"])
    assert derived["symbol"].tolist() == ["z"]


def _two_periods(first: float, second: float, indicator_measure: str = "stab_3plus_placements"):
    return pd.concat(
        [
            count_rows(dt.date(2025, 6, 30), [(indicator_measure, first), ("stab_cla_total", 100)]),
            count_rows(SEPT_2025, [(indicator_measure, second), ("stab_cla_total", 100)]),
        ]
    )


def test_headline_judges_change_by_polarity_not_direction():
    derived = indicators.derive_all({"placement_stability": _two_periods(15, 12)})
    head = indicators.headline(derived, "stab_3plus_pct", SEPT_2025)
    assert head.value == pytest.approx(12)
    assert head.quarter.delta == pytest.approx(-3)
    assert head.quarter.verdict == indicators.BETTER  # fewer moves is better
    assert head.year.verdict == indicators.NOT_JUDGED  # no figure a year earlier
    assert head.year.previous_symbol == "x"

    worse = indicators.headline(
        indicators.derive_all({"placement_stability": _two_periods(12, 15)}), "stab_3plus_pct", SEPT_2025
    )
    assert worse.quarter.verdict == indicators.WORSE


def test_neutral_indicators_are_not_judged():
    counts = pd.concat([count_rows(dt.date(2025, 6, 30), [("cla", 340)]), count_rows(SEPT_2025, [("cla", 352)])])
    head = indicators.headline(indicators.derive_all({"care_population": counts}), "cla_count", SEPT_2025)
    assert head.quarter.delta == 12
    assert head.quarter.verdict == indicators.NOT_JUDGED


def test_disproportionality_is_share_over_population_share():
    counts = count_rows(
        MARCH_2025,
        [
            ("cla", 100),
            ("cla", "Ethnicity", "White", 20),
            ("cla", "Ethnicity", "Black, African, Caribbean or Black British", 40),
            ("cla", "Ethnicity", "Other ethnic group", 40),
            ("population_0_17", 1000),
            ("population_0_17", "Ethnicity", "White", 400),
            ("population_0_17", "Ethnicity", "Black, African, Caribbean or Black British", 200),
            ("population_0_17", "Ethnicity", "Other ethnic group", 400),
        ],
    )
    out = indicators.disproportionality(
        counts, "cla", "Ethnicity", "population_0_17", "Ethnicity", catalogue.POPULATION_ETHNICITIES
    ).set_index("group")
    assert out.loc["Black, African, Caribbean or Black British", "ratio"] == pytest.approx(2.0)
    assert out.loc["White", "ratio"] == pytest.approx(0.5)
    assert out.loc["Other ethnic group", "ratio"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("period_end", "days"),
    [
        # csww_indicators_2017_to_2025.csv, 2024, Manchester: 3.8% published, which needs 254 days (253 gives 3.9)
        (dt.date(2024, 9, 30), 254),
        (dt.date(2024, 3, 31), 254),  # April 2023 to March 2024 hold 29 February 2024
        (dt.date(2025, 3, 31), 253),  # April 2024 to March 2025 do not
        (dt.date(2025, 9, 30), 253),
        (dt.date(2023, 12, 31), 253),
        (dt.date(2020, 9, 30), 254),
        (dt.date(2100, 3, 31), 253),  # 2100 is not a leap year
    ],
)
def test_absence_uses_254_working_days_when_the_12_months_hold_29_february(period_end, days):
    # 2,540 days over 100 FTE: invented figures; the point is the divisor, worked out by hand.
    counts = count_rows(period_end, [("working_days_lost_12m", 2540), ("inpost_fte", 100)])
    derived = indicators.derive(counts, catalogue.INDICATORS["absence_pct"])
    assert derived["value"].iloc[0] == pytest.approx(2540 / (100 * days) * 100)
    assert derived["denominator"].iloc[0] == 100 * days


def test_a_ratio_that_does_not_apply_is_z_even_beside_an_unavailable_part():
    # cla_number_and_rate_per_10k_children.csv, 2025, Cumbria (abolished): children `z`, population `x` -> `z`
    counts = count_rows(
        MARCH_2025, [("cla", "Total", "Total", None, "z"), ("population_0_17", "Total", "Total", None, "x")]
    )
    assert indicators.derive(counts, catalogue.INDICATORS["cla_rate_per_10k"])["symbol"].tolist() == ["z"]


def test_none_of_a_suppressed_group_is_zero_percent():
    # la_cla_placement_stability.csv, 2025, City of London: 0 with 3+ placements, total `c`, published 0%
    counts = count_rows(MARCH_2025, [("stab_3plus_placements", 0), ("stab_cla_total", "Total", "Total", None, "c")])
    derived = indicators.derive(counts, catalogue.INDICATORS["stab_3plus_pct"])
    assert derived["value"].tolist() == [0.0] and derived["symbol"].isna().all()
    # ...but an unavailable total might be 0: the figure stays unavailable
    counts = count_rows(MARCH_2025, [("stab_3plus_placements", 0), ("stab_cla_total", "Total", "Total", None, "x")])
    assert indicators.derive(counts, catalogue.INDICATORS["stab_3plus_pct"])["symbol"].tolist() == ["x"]


def test_ratios_are_exact_before_the_one_rounding():
    # 46 / 80 x 100 is exactly 57.5 (la_cla_placement_stability.csv, 2024, Lambeth: published 58%)
    counts = count_rows(MARCH_2025, [("ltstab_same_carer_2y", 46), ("ltstab_cohort", 80)])
    assert indicators.derive(counts, catalogue.INDICATORS["ltstab_pct"])["value"].tolist() == [57.5]
    # 0.1 + 0.2 FTE is 0.3 exactly when counted in tenths: agency 0.1 of (0.1 + 0.2) is a third
    counts = count_rows(SEPT_2025, [("agency_fte", 0.1), ("inpost_fte", 0.2)])
    assert indicators.derive(counts, catalogue.INDICATORS["agency_pct"])["value"].tolist() == [100 / 3]


def test_shares_and_disproportionality_are_exact_before_the_one_rounding():
    from cpb_dash.formatting import format_value

    # 23 of 40 actions complete is 57.5%, shown 58% (floats: 57.49999999999999, shown 57%)
    assert format_value(indicators.percent(23, 40), "%", 0) == "58%"
    # 1 of 2 children in care White (50%) against 4 of 11 children in the population (36.36...%): 11 / 8 = 1.375,
    # shown 1.38 (floats give 1.3749999999999998)
    counts = count_rows(
        MARCH_2025,
        [
            ("cla", 2),
            ("cla", "Ethnicity", "White", 1),
            ("population_0_17", 11),
            ("population_0_17", "Ethnicity", "White", 4),
        ],
    )
    out = indicators.disproportionality(counts, "cla", "Ethnicity", "population_0_17", "Ethnicity", ("White",))
    assert format_value(out["ratio"].iloc[0], "", 2) == "1.38"

import datetime as dt

import pytest

from cpb_dash import periods


def test_quarter_labels_are_financial_year():
    assert periods.quarter_label(dt.date(2025, 9, 30)) == "2025-26 Q2 (Jul-Sep 2025)"
    assert periods.quarter_label(dt.date(2026, 3, 31)) == "2025-26 Q4 (Jan-Mar 2026)"
    assert periods.quarter_label(dt.date(2019, 6, 30)) == "2019-20 Q1 (Apr-Jun 2019)"
    assert periods.stock_label(dt.date(2025, 9, 30)) == "at 30 September 2025"


def test_shifting_quarters():
    assert periods.previous_quarter(dt.date(2025, 6, 30)) == dt.date(2025, 3, 31)
    assert periods.same_quarter_last_year(dt.date(2025, 3, 31)) == dt.date(2024, 3, 31)
    assert len(periods.quarter_ends_between(dt.date(2019, 6, 30), dt.date(2025, 9, 30))) == 26


def test_parse_period_accepts_both_forms_and_refuses_other_dates():
    assert periods.parse_period("2025-26 Q2") == dt.date(2025, 9, 30)
    assert periods.parse_period("2025-26 Q4") == dt.date(2026, 3, 31)
    assert periods.parse_period("2025-12-31") == dt.date(2025, 12, 31)
    with pytest.raises(ValueError, match="not a quarter end"):
        periods.parse_period("2025-10-31")


def test_annual_benchmarks_align_to_their_reference_date():
    # CLA figures are at 31 March; the workforce census at 30 September.
    assert periods.benchmark_year_for(dt.date(2025, 3, 31), "31 March") == 2025
    assert periods.benchmark_year_for(dt.date(2025, 9, 30), "31 March") is None
    assert periods.benchmark_year_for(dt.date(2025, 9, 30), "30 September") == 2025
    assert periods.latest_benchmark_year_on_or_before(dt.date(2025, 6, 30), "30 September") == 2024
    assert periods.latest_benchmark_year_on_or_before(dt.date(2025, 6, 30), "31 March") == 2025


def test_figures_are_described_by_how_they_relate_to_the_quarter():
    day = dt.date(2025, 9, 30)
    assert periods.reference_label(day, "at period end") == "at 30 September 2025"
    assert periods.reference_label(day, "in the quarter") == "in 2025-26 Q2 (Jul-Sep 2025)"
    assert periods.reference_label(day, "in the 12 months to period end") == "in the 12 months to 30 September 2025"

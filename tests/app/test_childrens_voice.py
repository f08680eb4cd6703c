"""The Children's voice page in AppTest: reviews on time, taking part (the PN codes), social worker changes; each
figure the formula over the sample file's counts; small counts in the breakdowns hidden as 'c'."""

from __future__ import annotations

from cpb_dash import catalogue
from cpb_dash.formatting import format_number
from tests.app.conftest import latest_period, metric_values
from tests.app.page_helpers import (
    chart_gives_away,
    chart_labels,
    chart_titled,
    page_test,
    private_fixtures,
    rewrite_breakdown,
    snapshot,
    table_with_column,
    text_of,
    total,
)

PAGE = "pages/9_Childrens_voice.py"


def test_figures_are_the_formulas_over_the_sample_counts_and_2024_is_published():
    at = page_test(PAGE).run()
    assert not at.exception
    frame = snapshot("childrens_voice", latest_period("childrens_voice"))
    metrics = metric_values(at)

    def pct(numerator: str, denominator: str) -> str:
        return f"{format_number(total(frame, numerator) / total(frame, denominator) * 100)}%"

    assert metrics["Reviews on time"] == pct("reviews_on_time", "reviews_due")
    assert metrics["Took part in their review"] == pct("reviews_participated", "reviews_held_aged_4_plus")
    assert metrics["3+ social workers in a year"] == pct("sw_3plus_12m", "sw_cohort")
    # the DfE published social worker changes once, for the year to 31 March 2024: England 27%
    assert "England: 27% (31 March 2024)" in text_of(at)

    at = page_test(PAGE, {"period": "2024-03-31"}).run()
    assert metric_values(at)["3+ social workers in a year"] == "18%"  # LAIT Stability_SocialWorker, Hackney 2024


def test_participation_by_pn_code_hides_small_counts(tmp_path, monkeypatch):
    root = private_fixtures(tmp_path)
    period = latest_period("childrens_voice")
    held = total(snapshot("childrens_voice", period), "reviews_held")
    labels = list(catalogue.REVIEW_PARTICIPATION.values())
    new = dict(zip(labels, [20, held - 20 - 3 - 9 - 8 - 30 - 30 - 12, 3, 9, 8, 30, 30, 12], strict=True))
    rewrite_breakdown(root, "childrens_voice", period, "reviews_held", "Review participation", new)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))

    at = page_test(PAGE).run()
    assert not at.exception
    chart = chart_titled(at, "Looked-after reviews held by review participation")
    data = chart_labels(chart)
    # 3 is hidden, and the next smallest (8) with it, so the Total cannot give it away
    assert list(data.loc[[labels[2], labels[4]], "shown"]) == ["c", "c"]
    assert not chart_gives_away(chart, "3") and not chart_gives_away(chart, "8")
    table = table_with_column(at, "Number of reviews").set_index("Review participation")
    assert table.loc[labels[3], "Number of reviews"] == "9"

import datetime as dt

import pandas as pd

from cpb_dash import indicators, narrative
from tests.conftest import count_rows

JUNE, SEPT = dt.date(2025, 6, 30), dt.date(2025, 9, 30)


def _headline(measure_rows_june, measure_rows_sept, indicator_id):
    counts = pd.concat([count_rows(JUNE, measure_rows_june), count_rows(SEPT, measure_rows_sept)])
    return indicators.headline(indicators.derive_all({"x": counts}), indicator_id, SEPT)


def test_a_stock_is_at_a_date_and_a_flow_is_in_a_quarter():
    stock = narrative.sentence(_headline([("cla", 351)], [("cla", 346)], "cla_count"))
    assert stock.startswith("Children looked after: 346 at 30 September 2025, down from 351 last quarter")
    flow = narrative.sentence(_headline([("cla_started", 30)], [("cla_started", 35)], "cla_started_count"))
    assert "35 in 2025-26 Q2 (Jul-Sep 2025)" in flow


def test_the_sentence_judges_by_polarity_and_names_the_comparator_and_its_date():
    head = _headline(
        [("stab_3plus_placements", 15), ("stab_cla_total", 100)],
        [("stab_3plus_placements", 12), ("stab_cla_total", 100)],
        "stab_3plus_pct",
    )
    text = narrative.sentence(head, ("England", 10.0, None, "31 March 2025"))
    assert "down from 15% last quarter, an improvement" in text
    assert text.endswith("above England (10%, 31 March 2025).")


def test_a_suppressed_headline_says_why_instead_of_a_number():
    head = _headline([("uasc", 20)], [("uasc", "Total", "Total", None, "c")], "uasc_count")
    text = narrative.sentence(head)
    assert "c (confidential" in text.lower()

"""Chart specs: the shared theme reaches every spec, and nothing sizes a chart but its page or the board pack."""

from __future__ import annotations

import pandas as pd
import pytest

from cpb_dash import charts


def test_a_spec_carries_the_theme_and_no_default_view_size():
    frame = pd.DataFrame({"breakdown": ["Under 1", "1 to 4"], "value": [3.0, 12.0]})
    spec = charts.to_spec(charts.bars(frame, "breakdown", "value", "Children by age", "Number of children"))
    assert spec["config"]["font"] == charts.FONT
    assert spec["config"]["legend"]["orient"] == "bottom"
    assert "continuousWidth" not in spec["config"].get("view", {})
    assert spec["title"]["text"] == "Children by age"


def test_the_paired_bars_legend_shows_the_second_series_outlined_as_the_bars_are():
    """Solid and outlined bars tell the two series apart without colour: the legend must show the same (Vega-Lite
    draws legend symbols at full opacity, so the outlined series is a pale fill with a full-colour stroke)."""
    import json

    import vl_convert as vlc

    frame = pd.DataFrame(
        {
            "group": ["White", "White", "Black", "Black"],
            "who": ["Children in care", "All children", "Children in care", "All children"],
            "share": [24.0, 41.0, 40.0, 25.0],
            "shown": ["24%", "41%", "40%", "25%"],
        }
    )
    spec = charts.to_spec(charts.share_comparison(frame, "group", "who", "share", "Ethnicity", "Share (%)"))
    vega = vlc.vegalite_to_vega(json.dumps({**spec, "width": 600}))
    scales = {scale["name"]: scale for scale in vega["scales"]}
    (legend,) = vega["legends"]
    fill, stroke = scales[legend["fill"]]["range"], scales[legend["stroke"]]["range"]
    assert fill[0] == stroke[0] == charts.PALETTE[0]  # children in care: solid
    assert stroke[1] == charts.PALETTE[1] and fill[1] == charts.tint(charts.PALETTE[1], charts.OUTLINED_TINT)
    assert charts.tint("#E69F00", 0.15) == "#FBF1D9"  # a pale tint: mostly white


@pytest.mark.parametrize(
    ("values", "whole", "expected"),
    [
        # 64 to 76 per 10,000: a span of 12, about five steps of 2.4, so steps of 5, from 60 to 80
        ([64.0, 76.0, 69.5], True, (60, 80, 5)),
        # 84 to 89%: steps of 1 (5 / 5), the ends already round
        ([84.0, 89.0], True, (84, 89, 1)),
        # one figure, 97%, on every quarter: a tenth of it, 9.7, in steps of 2 (9.7 / 5 = 1.94), one step each side
        ([97.0, 97.0, 97.0], True, (96, 98, 2)),
        # 12.1 to 12.4 days: steps of 0.1, but whole numbers are never ticked at a tenth, so 12 to 13 by 1
        ([12.1, 12.4], True, (12, 13, 1)),
        # the same figures shown to one decimal place keep steps of 0.1
        ([12.1, 12.4], False, (12.1, 12.4, 0.1)),
        # hidden figures (NaN) are not figures
        ([float("nan"), 40.0, 60.0], True, (40, 60, 5)),
    ],
)
def test_a_rates_axis_runs_between_round_numbers_around_its_figures(values, whole, expected):
    bottom, top, step = charts.rate_axis(pd.Series(values), whole=whole)
    assert (bottom, top, step) == pytest.approx(expected)


@pytest.mark.parametrize(
    "values",
    [
        [3.0, 45.0],  # a span of 42 in steps of 10 reaches down to 0
        [0.0, 2.5],
        [-1.0, 4.0],
        [],
        [float("nan")],
    ],
)
def test_a_rates_axis_that_would_reach_0_starts_at_0(values):
    assert charts.rate_axis(pd.Series(values, dtype=float), whole=True) is None

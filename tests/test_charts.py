"""Chart specs: the shared theme reaches every spec, and nothing sizes a chart but its page or the board pack."""

from __future__ import annotations

import pandas as pd

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

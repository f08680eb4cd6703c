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

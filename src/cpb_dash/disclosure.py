"""Disclosure control for breakdowns shown to Members: small-number and secondary suppression. Pure pandas.

Primary: a breakdown count from 1 to the threshold becomes `c`. Secondary: in a breakdown whose Total is shown,
a single hidden cell could be worked out by subtraction, so the next smallest visible cell is hidden too.
Headline totals are not suppressed. Zeros are not suppressed (a zero reveals no child), but a zero can be
chosen as the secondary cell only when nothing else is left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpb_dash.catalogue import TOTAL

GROUP = ["period_end", "measure", "breakdown_topic"]


def suppress(counts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A copy of a count table (period_end, measure, breakdown_topic, breakdown, value, symbol) made safe to show.

    Every row that is not a Total keeps its value only if it is 0 or above the threshold; the rest become `c`.
    """
    out = counts.copy()
    is_breakdown = out["breakdown_topic"] != TOTAL
    small = is_breakdown & out["symbol"].isna() & (out["value"] >= 1) & (out["value"] <= threshold)
    # Fractional FTE between 0 and 1 is still a person or two: hide it too.
    small |= is_breakdown & out["symbol"].isna() & (out["value"] > 0) & (out["value"] < 1)
    out.loc[small, "symbol"] = "c"
    out.loc[small, "value"] = np.nan
    return _secondary(out)


def _secondary(frame: pd.DataFrame) -> pd.DataFrame:
    hidden = frame["symbol"].eq("c") & (frame["breakdown_topic"] != TOTAL)
    groups_with_one = (
        frame[hidden].groupby(GROUP, dropna=False).size().loc[lambda s: s == 1].index
    )
    for key in groups_with_one:
        cells = frame[
            (frame["period_end"] == key[0]) & (frame["measure"] == key[1]) & (frame["breakdown_topic"] == key[2])
        ]
        visible = cells[cells["symbol"].isna() & cells["value"].notna()]
        if visible.empty:
            continue
        nonzero = visible[visible["value"] > 0]
        pool = nonzero if not nonzero.empty else visible
        victim = pool["value"].idxmin()
        frame.loc[victim, ["value", "symbol"]] = [np.nan, "c"]
    return frame


def is_safe(counts: pd.DataFrame, threshold: int) -> bool:
    """True if no breakdown cell shows a count from 1 to the threshold and no group has a lone hidden cell."""
    breakdown = counts[counts["breakdown_topic"] != TOTAL]
    visible = breakdown[breakdown["symbol"].isna()]
    if ((visible["value"] > 0) & (visible["value"] <= threshold)).any():
        return False
    lone = breakdown[breakdown["symbol"].eq("c")].groupby(GROUP, dropna=False).size()
    return not (lone == 1).any()

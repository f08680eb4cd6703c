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
    breakdown = frame["breakdown_topic"] != TOTAL
    hidden = frame["symbol"].eq("c") & breakdown
    hidden_in_group = hidden.groupby([frame[c] for c in GROUP], dropna=False).transform("sum")
    candidates = frame[breakdown & (hidden_in_group == 1) & frame["symbol"].isna() & frame["value"].notna()]
    if candidates.empty:
        return frame
    # The smallest non-zero cell of each such group; a zero only when nothing else is left.
    ranked = candidates.assign(_zero=candidates["value"] <= 0).sort_values(["_zero", "value"], kind="stable")
    victims = ranked.groupby(GROUP, dropna=False, sort=False).head(1).index
    frame.loc[victims, "value"] = np.nan
    frame.loc[victims, "symbol"] = "c"
    return frame


def is_safe(counts: pd.DataFrame, threshold: int) -> bool:
    """True if no breakdown cell shows a count from 1 to the threshold and no group has a lone hidden cell."""
    breakdown = counts[counts["breakdown_topic"] != TOTAL]
    visible = breakdown[breakdown["symbol"].isna()]
    if ((visible["value"] > 0) & (visible["value"] <= threshold)).any():
        return False
    lone = breakdown[breakdown["symbol"].eq("c")].groupby(GROUP, dropna=False).size()
    return not (lone == 1).any()

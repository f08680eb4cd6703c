"""Disclosure control for breakdowns shown to Members: small-number and secondary suppression. Pure pandas.

Primary: a breakdown count from 1 to the threshold becomes `c`. Secondary: in a breakdown whose Total is shown,
a single hidden cell could be worked out by subtraction, so the next smallest visible cell is hidden too.
Headline totals are not suppressed, except a small count of children with a sensitive outcome (SENSITIVE_OUTCOMES).
Zeros are not suppressed (a zero reveals no child), but a zero can be
chosen as the secondary cell only when nothing else is left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpb_dash.catalogue import TOTAL

GROUP = ["period_end", "measure", "breakdown_topic"]

# Counts of children with a sensitive outcome: their Total is itself a small group within a cohort a reader may
# know (the children in care for a year, this year's care leavers), so a Total from 1 to the threshold is hidden
# too, and the percentage built from it shows 'c'. The DfE's own local authority tables suppress these counts
# (for example Hackney's care leavers in higher education). No second cell is hidden: the rest of the cohort
# (say, the care leavers not in higher education) is never shown as a count.
SENSITIVE_OUTCOMES: frozenset[str] = frozenset({
    "oc2_substance_misuse", "oc2_convicted", "oc2_sdq_concern",
    "children_missing_12m", "children_away_12m",
    "cl_17_18_neet", "cl_19_21_neet", "cl_17_18_he", "cl_19_21_he",
})


def suppress(counts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A copy of a count table (period_end, measure, breakdown_topic, breakdown, value, symbol) made safe to show.

    Every row that is not a Total keeps its value only if it is 0 or above the threshold; the rest become `c`.
    """
    out = counts.copy()
    is_breakdown = out["breakdown_topic"] != TOTAL
    small = is_breakdown & out["symbol"].isna() & (out["value"] >= 1) & (out["value"] <= threshold)
    # Fractional FTE between 0 and 1 is still a person or two: hide it too.
    small |= is_breakdown & out["symbol"].isna() & (out["value"] > 0) & (out["value"] < 1)
    small |= (~is_breakdown & out["measure"].isin(SENSITIVE_OUTCOMES) & out["symbol"].isna()
              & (out["value"] >= 1) & (out["value"] <= threshold))
    out.loc[small, "symbol"] = "c"
    out.loc[small, "value"] = np.nan
    return _secondary(out)


def _lines(frame: pd.DataFrame) -> list[list[pd.Series]]:
    """The groupings whose cells add up to a total a reader can see.

    Every breakdown adds up to its Total. A cross topic ("Role and ethnicity", values "Practitioner: White")
    is a grid: each row adds up to that role's figure and each column to that group's figure across roles,
    so those lines are protected too.
    """
    keys = [frame[c] for c in GROUP]
    lines = [keys]
    parts = frame["breakdown"].astype(str).str.split(": ", n=1, expand=True)
    if parts.shape[1] == 2:
        is_cross = parts[1].notna() & (frame["breakdown_topic"] != TOTAL)
        # Cells of ordinary topics share one key, so for them these lines are just the topic again.
        row_key = parts[0].where(is_cross, "")
        col_key = parts[1].where(is_cross, "")
        lines += [[*keys, row_key.rename("_row")], [*keys, col_key.rename("_col")]]
    return lines


def _secondary(frame: pd.DataFrame) -> pd.DataFrame:
    breakdown = frame["breakdown_topic"] != TOTAL
    lines = _lines(frame)
    for _ in range(len(frame)):  # each pass hides at least one cell, or stops
        changed = False
        for keys in lines:
            hidden = frame["symbol"].eq("c") & breakdown
            hidden_in_line = hidden.groupby(keys, dropna=False).transform("sum")
            candidates = frame[breakdown & (hidden_in_line == 1) & frame["symbol"].isna() & frame["value"].notna()]
            if candidates.empty:
                continue
            # The smallest non-zero cell of each such line; a zero only when nothing else is left.
            ranked = candidates.assign(_zero=candidates["value"] <= 0).sort_values(["_zero", "value"], kind="stable")
            line_keys = [k.loc[ranked.index] for k in keys]
            victims = ranked.groupby(line_keys, dropna=False, sort=False).head(1).index
            frame.loc[victims, "value"] = np.nan
            frame.loc[victims, "symbol"] = "c"
            changed = True
        if not changed:
            break
    return frame


def is_safe(counts: pd.DataFrame, threshold: int) -> bool:
    """True if no breakdown cell shows a count from 1 to the threshold and no line has a lone hidden cell."""
    breakdown = counts["breakdown_topic"] != TOTAL
    visible = breakdown & counts["symbol"].isna()
    if (visible & (counts["value"] > 0) & (counts["value"] <= threshold)).any():
        return False
    sensitive = ~breakdown & counts["measure"].isin(SENSITIVE_OUTCOMES) & counts["symbol"].isna()
    if (sensitive & (counts["value"] >= 1) & (counts["value"] <= threshold)).any():
        return False
    hidden = (counts["symbol"].eq("c") & breakdown).astype(int)
    for keys in _lines(counts):
        per_line = hidden.groupby(keys, dropna=False).sum()
        if (per_line == 1).any():
            return False
    return True

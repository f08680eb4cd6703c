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
# (say, the care leavers not in higher education) is never shown as a count. Children deprived of their liberty by
# a court (cla_dolo) are a handful in any council, each known to the courts, their carers and their school.
SENSITIVE_OUTCOMES: frozenset[str] = frozenset(
    {
        "oc2_substance_misuse",
        "oc2_convicted",
        "oc2_sdq_concern",
        "children_missing_12m",
        "children_away_12m",
        "cl_17_18_neet",
        "cl_19_21_neet",
        "cl_17_18_he",
        "cl_19_21_he",
        "cla_dolo",
    }
)


def suppress(counts: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A copy of a count table (period_end, measure, breakdown_topic, breakdown, value, symbol) made safe to show.

    Every row that is not a Total keeps its value only if it is 0 or above the threshold; the rest become `c`.
    """
    out = counts.copy()
    is_breakdown = out["breakdown_topic"] != TOTAL
    small = is_breakdown & out["symbol"].isna() & (out["value"] >= 1) & (out["value"] <= threshold)
    # Fractional FTE between 0 and 1 is still a person or two: hide it too.
    small |= is_breakdown & out["symbol"].isna() & (out["value"] > 0) & (out["value"] < 1)
    small |= (
        ~is_breakdown
        & out["measure"].isin(SENSITIVE_OUTCOMES)
        & out["symbol"].isna()
        & (out["value"] >= 1)
        & (out["value"] <= threshold)
    )
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


def _secondary_in_grid(
    grid: pd.DataFrame, hidden: pd.DataFrame, column_totals: pd.Series, column_total_hidden: pd.Series
) -> tuple[pd.DataFrame, pd.Series]:
    """Secondary suppression on a role x ethnic group table whose role totals and group totals are shown.

    A row or column with a single hidden cell could be worked out by subtraction from its total, so the
    smallest other visible cell (a non-zero one if there is one) is hidden too, until no line has exactly
    one hidden cell. The group totals form one more line (they add up to the headcount, which is shown).
    """
    hidden = hidden.copy()
    column_total_hidden = column_total_hidden.copy()

    def hide_one(values: pd.Series, is_hidden: pd.Series) -> object | None:
        visible = values[~is_hidden & values.notna()]
        if visible.empty:
            return None
        nonzero = visible[visible > 0]
        return (nonzero if not nonzero.empty else visible).idxmin()

    changed = True
    while changed:
        changed = False
        for role in grid.index:
            if hidden.loc[role].sum() == 1:
                victim = hide_one(grid.loc[role], hidden.loc[role])
                if victim is not None:
                    hidden.loc[role, victim] = True
                    changed = True
        for group in grid.columns:
            if column_total_hidden[group]:
                continue
            if hidden[group].sum() == 1:
                victim = hide_one(grid[group], hidden[group])
                if victim is not None:
                    hidden.loc[victim, group] = True
                    changed = True
        if column_total_hidden.sum() == 1:
            victim = hide_one(column_totals, column_total_hidden)
            if victim is not None:
                column_total_hidden[victim] = True
                changed = True
    return hidden, column_total_hidden


def suppress_role_by_group(
    raw: pd.DataFrame, safe: pd.DataFrame, roles: list[str], groups: list[str], threshold: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """The workforce's headcount by role x ethnic group, with each group's total across roles, made safe to show.

    `safe` is one quarter's headcount rows already through `suppress`; `raw` the same rows before it (needed only
    to know each group's total across roles, which is not uploaded). A group total from 1 to the threshold is
    hidden too, and cells or totals are hidden until no line could be worked out by subtraction. Returns the
    counts grid (roles x groups), its symbols ('c' hidden, 'x' not uploaded, None shown), the group totals and
    their symbols. The raw counts go no further than this function.
    """
    cells = safe[safe["breakdown_topic"] == "Role and ethnicity"]
    split = cells["breakdown"].str.split(": ", n=1, expand=True)
    cells = cells.assign(role=split[0].to_numpy(), group=split[1].to_numpy())
    grid = cells.pivot(index="role", columns="group", values="value").reindex(index=roles, columns=groups)
    hidden = cells.pivot(index="role", columns="group", values="symbol").reindex(index=roles, columns=groups).notna()
    absent = grid.isna() & ~hidden  # a cell not in the upload: unavailable
    raw_cells = raw[raw["breakdown_topic"] == "Role and ethnicity"]
    raw_split = raw_cells["breakdown"].str.split(": ", n=1, expand=True)
    raw_cells = raw_cells.assign(group=raw_split[1].to_numpy())
    group_totals = raw_cells.groupby("group")["value"].sum(min_count=1).reindex(groups)
    group_has_symbol = (
        raw_cells.groupby("group")["symbol"].apply(lambda s: s.notna().any()).reindex(groups, fill_value=True)
    )
    group_totals[group_has_symbol] = np.nan  # an uploaded symbol in any role: the sum is not known
    total_hidden = group_totals.notna() & (group_totals > 0) & (group_totals <= threshold)
    hidden, total_hidden = _secondary_in_grid(grid, hidden | absent, group_totals, total_hidden)
    symbols = pd.DataFrame(
        np.where(absent, "x", np.where(hidden, "c", None)), index=grid.index, columns=grid.columns, dtype="object"
    )
    symbols = symbols.where(symbols.notna(), None)
    group_symbols = pd.Series(
        [("x" if pd.isna(v) else "c" if h else None) for v, h in zip(group_totals, total_hidden, strict=True)],
        index=group_totals.index,
        dtype="object",
    )
    return grid, symbols, group_totals.where(group_symbols.isna()), group_symbols

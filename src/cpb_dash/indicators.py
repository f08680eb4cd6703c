"""Counts -> indicators, by the catalogue's DfE formulas, in one place. Pure pandas.

A GSS symbol in any input makes the derived figure carry a symbol too: a suppressed count is never read as 0.
Ratios are worked out exactly from the counts (fractions, not floats: 46 / 80 x 100 is 57.5, where floats give
57.49999999999999 and would show 57%) and kept unrounded; rounding (half up, as the DfE does) happens once, for
display (formatting.round_half_up).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.catalogue import HIGH, LOW, TOTAL, Indicator

KEY = ["period_end", "breakdown_topic", "breakdown"]
INDICATOR_COLUMNS = [
    "period_end",
    "indicator",
    "breakdown_topic",
    "breakdown",
    "value",
    "symbol",
    "numerator",
    "denominator",
]
# Which symbol wins when inputs carry different ones (GSS meanings): `c` first, to protect a small number; then
# `z`, because a ratio with a part that does not apply does not apply either (a council that did not exist that
# year has `z` children and an unavailable `x` population: its rate is `z`, as the DfE publishes it); then `x`
# (not available), `u` (low reliability: a rate from an unreliable count is unreliable, as the DfE publishes
# Birmingham's 2024 and Sutton's 2023 agency rates) and `low`.
SYMBOL_PRECEDENCE = ("c", "z", "x", "u", "low")


def _combine_symbols(symbols: pd.DataFrame) -> pd.Series:
    """Row-wise: the most protective symbol among the columns, or None."""
    arr = symbols.to_numpy(dtype=object)
    present = pd.notna(arr)
    out = np.full(len(arr), None, dtype=object)
    for j in reversed(range(arr.shape[1])):  # any symbol at all, the first column's first
        out = np.where(present[:, j], arr[:, j], out)
    for symbol in reversed(SYMBOL_PRECEDENCE):  # then the most protective wins
        out = np.where((arr == symbol).any(axis=1), symbol, out)
    return pd.Series(out, index=symbols.index, dtype=object)


def _measure_rows(counts: pd.DataFrame, measure: str) -> pd.DataFrame:
    rows = counts.loc[counts["measure"] == measure, [*KEY, "value", "symbol"]]
    return rows.set_index(KEY)


def exact(value: float | Fraction) -> Fraction:
    """A count or FTE as the decimal it was written as: 12.3 FTE is 123/10, not the binary float nearest it."""
    if isinstance(value, Fraction):
        return value
    return Fraction(Decimal(repr(float(value))))


def _ratio(
    numerator: float, denominators: tuple[float, ...], factor: int | float, scale: float
) -> tuple[Fraction | None, Fraction | None]:
    """(numerator / (sum of denominators x factor) x scale, that denominator), exactly; None where a part is
    missing or the denominator is 0."""
    if pd.isna(numerator) or any(pd.isna(d) for d in denominators):
        return None, None
    denominator = sum((exact(d) for d in denominators), Fraction(0)) * exact(factor)
    if denominator == 0:
        return None, denominator
    return exact(numerator) / denominator * exact(scale), denominator


def percent(part: float, whole: float, scale: float = 100) -> float:
    """part / whole x scale, worked out exactly (23 / 40 x 100 is 57.5, where floats give 57.49999999999999) and
    given as the nearest float; nan where either is missing or whole is 0. For shares that pages show."""
    ratio, _ = _ratio(part, (whole,), 1, scale)
    return np.nan if ratio is None else float(ratio)


def holds_29_february(period_end: dt.date) -> bool:
    """Whether the 12 months to period_end (after the same date a year earlier, up to period_end) hold 29 February."""
    day = pd.Timestamp(period_end)
    start = day - pd.DateOffset(years=1)
    return any(calendar.isleap(year) and start < pd.Timestamp(year, 2, 29) <= day for year in {start.year, day.year})


def working_days(indicator: Indicator, period_end: dt.date) -> int | float:
    """The indicator's denominator factor for the 12 months to period_end: for sickness absence, the working
    days in those 12 months.

    DfE, children's social work workforce methodology (lait_data_dictionary.csv, "Absence Rates"): days lost
    divided by FTE in post x 253 days, "the number of working days in a non-leap year, taking account of bank
    holidays. The rate for a leap year is based on 254 working days." The census year is the 12 months to
    30 September, so 254 applies when those months hold 29 February: the DfE's published rates for the years to
    30 September 2020 and 2024 are reproduced with 254, every other year with 253 (tests/test_dfe_rederive.py).
    """
    if indicator.leap_year_factor is not None and holds_29_february(period_end):
        return indicator.leap_year_factor
    return indicator.denominator_factor


def derive(counts: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """One indicator for every period and breakdown its numerator has (INDICATOR_COLUMNS).

    Breakdown rows need the denominator at the same breakdown; where it has none (e.g. placed 20+ miles by
    placement type over all children in care by placement type), the breakdown row is not derived.
    """
    numerator = _measure_rows(counts, indicator.numerator)
    if numerator.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    frame = pd.DataFrame({"numerator": numerator["value"], "num_symbol": numerator["symbol"]})
    symbol_cols = ["num_symbol"]
    if indicator.is_ratio:
        parts = []
        for i, measure in enumerate(indicator.denominator):
            part = _measure_rows(counts, measure).reindex(frame.index)
            # A denominator row that is absent is unavailable ('x'), never zero.
            missing = part["value"].isna() & part["symbol"].isna()
            part.loc[missing, "symbol"] = "x"
            parts.append(part["value"].to_numpy())
            frame[f"den_symbol_{i}"] = part["symbol"]
            symbol_cols.append(f"den_symbol_{i}")
        days = [working_days(indicator, day) for day in frame.index.get_level_values("period_end")]
        ratios = [
            _ratio(num, dens, factor, indicator.scale)
            for num, dens, factor in zip(frame["numerator"], zip(*parts, strict=True), days, strict=True)
        ]
        frame["denominator"] = [np.nan if d is None else float(d) for _, d in ratios]
        # The nearest float to the exact ratio: its shortest decimal form rounds half up as the fraction does
        # (see formatting.round_half_up), so the figure shown is the DfE's.
        frame["value"] = [np.nan if r is None else float(r) for r, _ in ratios]
        frame["symbol"] = _combine_symbols(frame[symbol_cols])
        # None of a suppressed group is 0% of it, whatever its size: the DfE publishes 0 beside a `c` total
        # (City of London, 3+ placements, 2025), and a zero count discloses nothing a percentage would add.
        den_symbols = frame[symbol_cols[1:]]
        zero_of_hidden = (
            (frame["numerator"] == 0)
            & (den_symbols == "c").any(axis=1)
            & (den_symbols.isna() | (den_symbols == "c")).all(axis=1)
        )
        frame.loc[zero_of_hidden, ["value", "symbol"]] = [0.0, None]
        zero_denominator = frame["symbol"].isna() & (frame["denominator"] == 0)
        frame.loc[zero_denominator, "symbol"] = "z"  # no children in the cohort: a rate is not applicable
    else:
        frame["denominator"] = np.nan
        frame["value"] = frame["numerator"]
        frame["symbol"] = frame["num_symbol"]
    frame.loc[frame["symbol"].notna(), "value"] = np.nan
    frame = frame.reset_index()
    frame["indicator"] = indicator.id
    frame = frame[frame["value"].notna() | frame["symbol"].notna()]
    return frame[INDICATOR_COLUMNS].sort_values(KEY, ignore_index=True)


def derive_all(counts_by_dataset: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every catalogue indicator from the count datasets (one long table, INDICATOR_COLUMNS)."""
    combined = (
        pd.concat([f for f in counts_by_dataset.values() if not f.empty], ignore_index=True)
        if any(not f.empty for f in counts_by_dataset.values())
        else pd.DataFrame(columns=["period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol"])
    )
    frames = [derive(combined, ind) for ind in catalogue.INDICATORS.values()]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["value"] = out["value"].astype("float64")
    return out


def totals(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators[(indicators["breakdown_topic"] == TOTAL) & (indicators["breakdown"] == TOTAL)]


# ---------------------------------------------------------------------------------------------------------------
# Headlines: a figure, its changes since last quarter and last year, judged by polarity
# ---------------------------------------------------------------------------------------------------------------

BETTER, WORSE, SAME, NOT_JUDGED = "better", "worse", "no change", "not judged"


@dataclass(frozen=True)
class Change:
    since: str  # "last quarter" or "last year"
    previous_period: dt.date
    previous_value: float | None
    previous_symbol: str | None
    delta: float | None
    verdict: str  # BETTER, WORSE, SAME or NOT_JUDGED (neutral polarity, or no comparison possible)


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    period_end: dt.date
    value: float | None
    symbol: str | None
    quarter: Change
    year: Change


def judge(delta: float | None, indicator: Indicator) -> str:
    """Better or worse by the indicator's polarity, after rounding to its displayed precision."""
    from cpb_dash.formatting import round_half_up

    if delta is None or np.isnan(delta):
        return NOT_JUDGED
    if round_half_up(delta, indicator.dps) == 0:
        return SAME
    if indicator.polarity == HIGH:
        return BETTER if delta > 0 else WORSE
    if indicator.polarity == LOW:
        return BETTER if delta < 0 else WORSE
    return NOT_JUDGED


def _value_at(series: pd.DataFrame, day: dt.date) -> tuple[float | None, str | None]:
    row = series[series["period_end"] == pd.Timestamp(day)]
    if row.empty:
        return None, "x"
    value, symbol = row["value"].iloc[0], row["symbol"].iloc[0]
    symbol = None if pd.isna(symbol) else str(symbol)
    return (None if pd.isna(value) else float(value)), symbol


def headline(indicators: pd.DataFrame, indicator_id: str, period_end: dt.date) -> Headline:
    indicator = catalogue.INDICATORS[indicator_id]
    series = totals(indicators)
    series = series[series["indicator"] == indicator_id]
    value, symbol = _value_at(series, period_end)

    def change(since: str, previous: dt.date) -> Change:
        prev_value, prev_symbol = _value_at(series, previous)
        delta = None if value is None or prev_value is None else value - prev_value
        return Change(since, previous, prev_value, prev_symbol, delta, judge(delta, indicator))

    return Headline(
        indicator,
        period_end,
        value,
        symbol,
        change("last quarter", periods.previous_quarter(period_end)),
        change("last year", periods.same_quarter_last_year(period_end)),
    )


def indicator_series(indicators: pd.DataFrame, indicator_id: str, topic: str = TOTAL) -> pd.DataFrame:
    """One indicator over time: period_end, breakdown, value, symbol (Total, or every value of a topic)."""
    rows = indicators[(indicators["indicator"] == indicator_id) & (indicators["breakdown_topic"] == topic)]
    return rows[["period_end", "breakdown", "value", "symbol", "numerator", "denominator"]].sort_values(
        ["period_end", "breakdown"], ignore_index=True
    )


# ---------------------------------------------------------------------------------------------------------------
# Disproportionality: the anti-racist lens
# ---------------------------------------------------------------------------------------------------------------

DISPROPORTIONALITY_COLUMNS = [
    "period_end",
    "group",
    "group_count",
    "group_share_pct",
    "reference_share_pct",
    "ratio",
    "symbol",
]


def shares(counts: pd.DataFrame, measure: str, topic: str, groups: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Each group's share (%) of the measure's Total, per period: period_end, group, count, symbol, total,
    share_pct."""
    rows = counts[(counts["measure"] == measure) & (counts["breakdown_topic"] == topic)]
    if groups is not None:
        rows = rows[rows["breakdown"].isin(groups)]
    total = counts[(counts["measure"] == measure) & (counts["breakdown_topic"] == TOTAL)]
    total = total.set_index("period_end")["value"]
    out = pd.DataFrame(
        {
            "period_end": rows["period_end"].to_numpy(),
            "group": rows["breakdown"].to_numpy(),
            "count": rows["value"].to_numpy(),
            "symbol": rows["symbol"].to_numpy(),
            "total": total.reindex(rows["period_end"]).to_numpy(),
        }
    )
    out["share_pct"] = [percent(c, t) for c, t in zip(out["count"], out["total"], strict=True)]
    return out


def disproportionality(
    counts: pd.DataFrame,
    measure: str,
    topic: str,
    reference_measure: str,
    reference_topic: str,
    groups: tuple[str, ...],
) -> pd.DataFrame:
    """Each group's share of `measure` over its share of `reference_measure` (1.0 = parity).

    Used for children in care against the 0-17 population (groups: the population's ethnic groups; children
    whose ethnicity was refused or not recorded are left out of the ratio but count in the share's total).
    """
    group_shares = shares(counts, measure, topic, groups)
    reference = shares(counts, reference_measure, reference_topic, groups)
    merged = group_shares.merge(
        reference[["period_end", "group", "share_pct", "count", "total"]].rename(
            columns={"share_pct": "reference_share_pct", "count": "reference_count", "total": "reference_total"}
        ),
        on=["period_end", "group"],
        how="left",
    )
    merged = merged.rename(columns={"count": "group_count", "share_pct": "group_share_pct"})
    # (count / total) / (reference count / reference total), exactly: count x reference total over total x
    # reference count.
    merged["ratio"] = [
        np.nan if any(pd.isna(v) for v in (c, t, rc, rt)) else percent(exact(c) * exact(rt), exact(t) * exact(rc), 1)
        for c, t, rc, rt in zip(
            merged["group_count"], merged["total"], merged["reference_count"], merged["reference_total"], strict=True
        )
    ]
    merged.loc[merged["symbol"].notna(), ["group_share_pct", "ratio"]] = np.nan
    return merged[DISPROPORTIONALITY_COLUMNS].sort_values(["period_end", "group"], ignore_index=True)

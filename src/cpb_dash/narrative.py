"""Plain-English sentences a councillor can read aloud, from a headline and its comparator. Pure."""

from __future__ import annotations

from cpb_dash import periods
from cpb_dash.catalogue import ANNUAL_31_MARCH, SYMBOLS
from cpb_dash.formatting import format_value, round_half_up
from cpb_dash.indicators import BETTER, SAME, WORSE, Change, Headline


def _figure(value: float | None, symbol: str | None, headline: Headline) -> str:
    ind = headline.indicator
    return format_value(value, ind.unit, ind.dps, symbol)


def _movement(change: Change, headline: Headline) -> str:
    ind = headline.indicator
    if change.delta is None:
        return f"no figure to compare with {change.since}"
    previous = _figure(change.previous_value, change.previous_symbol, headline)
    rounded = round_half_up(change.delta, ind.dps)
    if rounded == 0:
        return f"the same as {change.since} ({previous})"
    direction = "up" if rounded > 0 else "down"
    judged = {BETTER: ", an improvement", WORSE: ", a deterioration"}.get(change.verdict, "")
    return f"{direction} from {previous} {change.since}{judged}"


def comparator_clause(
    headline: Headline,
    comparator_name: str,
    comparator_value: float | None,
    comparator_symbol: str | None,
    comparator_date: str,
) -> str:
    """'England: 62 per 10,000 at 31 March 2025 (higher)'."""
    ind = headline.indicator
    if comparator_value is None:
        reason = SYMBOLS.get(comparator_symbol or "x", "not available").lower()
        return f"{comparator_name}'s figure is {reason}"
    shown = format_value(comparator_value, ind.unit, ind.dps)
    if headline.value is None:
        return f"{comparator_name}: {shown} ({comparator_date})"
    ours = round_half_up(headline.value, ind.dps)
    theirs = round_half_up(comparator_value, ind.dps)
    if ours == theirs:
        relation = "the same as"
    else:
        relation = "above" if ours > theirs else "below"
    return f"{relation} {comparator_name} ({shown}, {comparator_date})"


def sentence(headline: Headline, comparator: tuple[str, float | None, str | None, str] | None = None) -> str:
    """e.g. 'Children looked after: 352 at 31 March 2025, down from 384 last year; above England (62, 2025).'"""
    ind = headline.indicator
    figure = _figure(headline.value, headline.symbol, headline)
    when = periods.reference_label(headline.period_end, ind.reference)
    if headline.value is None:
        meaning = SYMBOLS.get(headline.symbol or "x", "not available").lower()
        return f"{ind.label} {when}: {figure} ({meaning})."
    parts = [f"{ind.label}: {figure} {when}"]
    annual = ind.reference == ANNUAL_31_MARCH  # counted once a year: last year is its only comparison
    if not annual:
        parts.append(_movement(headline.quarter, headline))
    if headline.year.delta is not None and (headline.year.verdict != SAME or annual):
        parts.append(_movement(headline.year, headline))
    text = ", ".join(parts)
    if comparator is not None:
        text += "; " + comparator_clause(headline, *comparator)
    return text + "."

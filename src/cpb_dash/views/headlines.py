"""Headline cards: each indicator against its target, comparator and last period; the comparator
grid; the at-a-glance list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from cpb_dash import benchmarks, board_notes, catalogue, indicators, narrative, periods
from cpb_dash.formatting import format_change, format_value
from cpb_dash.views.bundle import Bundle, area_period, per_bundle


@dataclass(frozen=True)
class Comparison:
    name: str  # "England", "Statistical neighbours (median of 10)", ...
    value: float | None
    symbol: str | None
    year: int | None
    date_label: str  # "31 March 2025"
    shown: str  # formatted figure or symbol


@dataclass(frozen=True)
class HeadlineView:
    indicator: catalogue.Indicator
    figure: str
    when: str  # "at 30 September 2025", or "in 2025-26 Q2 (Jul-Sep 2025)" for a count in the quarter
    quarter_change: str
    quarter_verdict: str
    year_change: str
    year_verdict: str
    comparison: Comparison | None
    rank: tuple[int | None, int, str | None] | None  # (rank, of how many, quartile band) for the comparison year
    sentence: str
    headline: indicators.Headline
    # The verdict on where Hackney stands (board_notes.Rating): against the officers' target when one is set,
    # else against the comparator and the quartile band; None for context measures. Never the change over time.
    rating: board_notes.Rating | None = None
    target: board_notes.Target | None = None
    target_shown: str = ""  # "15.0%": the target in the indicator's unit


@per_bundle
def comparison(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> Comparison | None:
    """The comparator's published figure at the latest reference date on or before the period, or None."""
    ind = catalogue.INDICATORS[indicator_id]
    # A count is not comparable with a bigger or smaller area's count: only rates and percentages are compared.
    if not ind.published or not ind.is_ratio or bundle.benchmarks.empty:
        return None
    year = periods.latest_benchmark_year_on_or_before(period_end, ind.reference_date)
    rows = bundle.comparators[
        (bundle.comparators["indicator"] == indicator_id) & (bundle.comparators["comparator"] == comparator)
    ]
    if rows.empty:
        return None
    year = min(year, int(rows["year"].max()))
    row = rows[rows["year"] == year]
    value = float(row["value"].iloc[0]) if not row.empty and pd.notna(row["value"].iloc[0]) else None
    symbol = (
        None
        if value is not None
        else (row["symbol"].iloc[0] if not row.empty and isinstance(row["symbol"].iloc[0], str) else "x")
    )
    date_label = periods.long_date(periods.benchmark_date(year, ind.reference_date))
    return Comparison(
        name=catalogue.COMPARATORS[comparator],
        value=value,
        symbol=symbol,
        year=year,
        date_label=date_label,
        shown=format_value(value, ind.unit, ind.dps, symbol),
    )


def _change_text(change: indicators.Change, ind: catalogue.Indicator, symbol: str | None = None) -> str:
    """The change since `change.previous_period`, or why none is given: this quarter's figure is hidden (`symbol`
    'c'), or the earlier one is hidden or missing. A change is never given beside a hidden figure, which it would
    reveal."""
    earlier = periods.short_quarter_label(change.previous_period)
    if symbol == "c":
        return "not given while this figure is hidden"
    if change.delta is None:
        if change.previous_symbol == "c":
            return f"not given: the figure for {earlier} is hidden"
        return f"no figure for {earlier}"
    return f"{format_change(change.delta, ind.unit, ind.dps)} since {change.since}"


_ABBREVIATION = re.compile(r"\b(" + "|".join(map(re.escape, catalogue.ABBREVIATIONS)) + r")\b")


def spell_out(text: str, said: set[str]) -> str:
    """`text` with each abbreviation (catalogue.ABBREVIATIONS) not yet in `said` written out where it stands,
    the words first and the abbreviation after them ("care leavers in education, employment or training (EET)");
    adds each one it meets to `said`, so a page spells an abbreviation out once, in the first text that uses it."""
    out, start = [], 0
    for match in _ABBREVIATION.finditer(text):
        abbr = match.group(1)
        if abbr in said:
            continue
        said.add(abbr)
        before = text[start : match.start()]
        # The words alone, without the glossary's gloss in brackets ("Strengths and Difficulties Questionnaire").
        words = catalogue.ABBREVIATIONS[abbr].split(" (")[0]
        if before.rstrip("( ").endswith((words, f"{words}'s")):
            out.append(text[start : match.end()])  # already written out just before: "Department for Education (DfE)"
        elif text[match.end() : match.end() + 2] == "'s":  # "the DfE's census" -> "Department for Education's (DfE)"
            out.append(f"{before}{words}'s ({abbr})")
            start = match.end() + 2
            continue
        elif before.endswith("(") and text[match.end() : match.end() + 1] == ")":
            out.append(f"{before}{words}, {abbr}")  # "Social workers (FTE)" -> "(full-time equivalent, FTE)"
        else:
            first = words.split(" ", 1)[0]
            if before.lower().endswith(f"{first.lower()} "):  # "in EET": "in" is already there
                words = words.split(" ", 1)[1]
            if not before.strip() or before.rstrip().endswith((".", ":")):
                words = words[0].upper() + words[1:]  # a sentence starts with it: "Unaccompanied ... (UASC)"
            out.append(f"{before}{words} ({abbr})")
        start = match.end()
    out.append(text[start:])
    return "".join(out)


def shown_period(indicator_id: str, period_end: dt.date) -> dt.date:
    """The quarter end an indicator's figure is for when `period_end` is chosen: an annual (31 March) indicator
    shows its latest 31 March, every other indicator the quarter itself."""
    if catalogue.INDICATORS[indicator_id].reference == catalogue.ANNUAL_31_MARCH:
        return periods.latest_march(period_end)
    return period_end


@per_bundle
def headline_view(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> HeadlineView:
    period_end = shown_period(indicator_id, period_end)
    head = indicators.headline(bundle.indicators, indicator_id, period_end)
    ind = head.indicator
    comp = comparison(bundle, indicator_id, period_end, comparator)
    rank = None
    if comp is not None and comp.year is not None:
        rank = benchmarks.rank_and_quartile(bundle.benchmarks, indicator_id, comp.year, polarity=ind.polarity)
    comparator_args = (comp.name, comp.value, comp.symbol, comp.date_label) if comp else None
    target = board_notes.target_for(bundle.targets, indicator_id, period_end)
    target_shown = format_value(target.value, ind.unit, ind.dps, None) if target else ""
    if target is not None:
        rating = board_notes.rate(head.value, target, ind.polarity, target_shown, ind.dps)
    else:
        rating = board_notes.standing(
            head.value,
            comp.name if comp else "",
            comp.value if comp else None,
            rank[2] if rank else None,
            ind.polarity,
            ind.dps,
        )
    return HeadlineView(
        indicator=ind,
        figure=format_value(head.value, ind.unit, ind.dps, head.symbol),
        when=periods.reference_label(period_end, ind.reference),
        quarter_change=(
            "published once a year"
            if ind.reference == catalogue.ANNUAL_31_MARCH
            else _change_text(head.quarter, ind, head.symbol)
        ),
        quarter_verdict=head.quarter.verdict,
        year_change=_change_text(head.year, ind, head.symbol),
        year_verdict=head.year.verdict,
        comparison=comp,
        rank=rank,
        sentence=narrative.sentence(head, comparator_args),
        headline=head,
        rating=rating,
        target=target,
        target_shown=target_shown,
    )


@per_bundle
def area_headlines(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> list[HeadlineView]:
    return [headline_view(bundle, i, period_end, comparator) for i in catalogue.HEADLINE_ORDER[area]]


@per_bundle
def comparator_grid(bundle: Bundle, area: str, period_end: dt.date) -> pd.DataFrame:
    """Every published comparator side by side for an area's comparable measures (rates and percentages), at the
    latest reference date on or before the quarter: Hackney's published figure, England, London, Inner London,
    the statistical neighbours' median, Hackney's rank and quartile band, and Hackney's own figure this quarter.
    One row per measure; figures formatted as the cards show them."""
    rows = []
    for ind in catalogue.indicators_for(area):
        if not (ind.published and ind.is_ratio) or bundle.benchmarks.empty:
            continue
        shown = shown_period(ind.id, period_end)
        found = {key: comparison(bundle, ind.id, shown, key) for key in catalogue.COMPARATORS}
        first = next((c for c in found.values() if c is not None), None)
        if first is None or first.year is None:
            continue
        published = benchmarks.comparator_values(bundle.benchmarks, ind.id, first.year)
        hackney_rows = bundle.benchmarks[
            (bundle.benchmarks["indicator"] == ind.id)
            & (bundle.benchmarks["year"] == first.year)
            & (bundle.benchmarks["area_type"] == "Local authority")
            & (bundle.benchmarks["area_name"] == catalogue.LA_NAME)
        ]
        hackney = benchmarks._figure(hackney_rows)
        rank, of, band = benchmarks.rank_and_quartile(bundle.benchmarks, ind.id, first.year, polarity=ind.polarity)

        def fmt(value: float | str | None, ind: catalogue.Indicator = ind) -> str:
            if isinstance(value, str):
                return value
            return format_value(value, ind.unit, ind.dps, None if value is not None else "x")

        head = indicators.headline(bundle.indicators, ind.id, shown)
        rows.append(
            {
                "Measure": ind.short_label,  # as the cards name it, and short enough to leave room on a phone
                "Published at": first.date_label,
                "Hackney (published)": fmt(hackney),
                **{catalogue.COMPARATORS[key]: fmt(published[key]) for key in catalogue.COMPARATORS},
                "Hackney's rank (1 = best)": "" if rank is None else f"{rank} of {of}",
                "Quartile band": "" if band is None else f"{band}: {board_notes.BAND_WORDS[band]}",
                f"Hackney, {periods.short_quarter_label(shown)}": format_value(
                    head.value, ind.unit, ind.dps, head.symbol
                ),
            }
        )
    return pd.DataFrame(rows)


GLANCE_ORDER = (("red", "Needs attention"), ("amber", "Close"), ("green", "Good"))


@dataclass(frozen=True)
class GlanceLine:
    area: str  # the dataset id, whose page the line links to
    indicator_id: str
    label: str  # "Agency workers 21.5%"
    verdict: str  # "off target (15.0% or less)", "worse than England, bottom quarter of councils"


def at_a_glance(bundle: Bundle, chosen: dt.date, comparator: str) -> list[tuple[str, str, list[GlanceLine]]]:
    """Every headline grouped by its verdict, worst first, for a one-minute read of the Overview: (colour,
    heading, [GlanceLine(label='Agency workers 21.5%', verdict='off target (15.0% or less)'), ...]). Each area at
    its own latest published quarter; context measures (no verdict) are left out."""
    groups: dict[str, list[GlanceLine]] = {colour: [] for colour, _ in GLANCE_ORDER}
    for area in catalogue.COUNT_DATASETS:
        shown = area_period(bundle, area, chosen) or chosen
        for view in area_headlines(bundle, area, shown, comparator):
            if view.rating is None or view.rating.colour not in groups:
                continue
            words = view.rating.words.split(": ", 1)[-1] if view.rating.basis == "target" else view.rating.words
            groups[view.rating.colour].append(
                GlanceLine(
                    area, view.indicator.id, f"{view.indicator.short_label} {view.figure}", words[0].lower() + words[1:]
                )
            )
    return [(colour, heading, groups[colour]) for colour, heading in GLANCE_ORDER]


@per_bundle
def actions_for_indicator(bundle: Bundle, indicator_id: str, period_end: dt.date) -> pd.DataFrame:
    """The action plan's actions meant to move an indicator (catalogue.INDICATOR_OBJECTIVES, matched on the
    action's objective), as published for the action plan's latest quarter on or before `period_end`."""
    objectives = catalogue.INDICATOR_OBJECTIVES.get(indicator_id, ())
    shown = area_period(bundle, catalogue.ACTION_PLAN, period_end)
    if not objectives or shown is None:
        return pd.DataFrame(columns=["action_id", "action", "status", "lead"])
    plan = bundle.action_plan
    rows = plan[(plan["period_end"] == pd.Timestamp(shown)) & plan["objective"].isin(objectives)]
    return rows[["action_id", "action", "status", "lead"]].sort_values("action_id").reset_index(drop=True)


@per_bundle
def commentary(bundle: Bundle, area: str, period_end: dt.date) -> tuple[str, str] | None:
    """The officers' commentary for an area and quarter: (plain text, author's role), or None."""
    return board_notes.commentary_for(bundle.commentary, area, period_end)

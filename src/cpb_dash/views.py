"""View models: everything a page shows, computed from the store without Streamlit, so it can be tested plainly.

Pages call these and only lay the results out.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import numpy as np
import pandas as pd

from cpb_dash import benchmarks, board_notes, catalogue, disclosure, indicators, narrative, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.formatting import format_change, format_value
from cpb_dash.schema import truth
from cpb_dash.store import Store


@dataclass(frozen=True)
class Bundle:
    """Everything read from the store once per store version. Frames are shared: treat them as read-only."""

    counts: dict[str, pd.DataFrame]  # raw counts, for officers' previews only
    safe_counts: dict[str, pd.DataFrame]  # disclosure-controlled: what Members see
    indicators: pd.DataFrame  # derived from safe_counts (Totals are never suppressed, so equal to raw)
    benchmarks: pd.DataFrame
    comparators: pd.DataFrame  # benchmarks.comparator_table: every comparator's figure per indicator and year
    action_plan: pd.DataFrame
    versions: pd.DataFrame
    threshold: int
    token: str = ""  # the store's state token this bundle was read at (Store.state_token), when known
    targets: pd.DataFrame | None = None  # officers' targets (board_notes); None: none published
    commentary: pd.DataFrame | None = None  # officers' commentary per area per quarter (board_notes)
    # View models already computed from this bundle (see per_bundle): pages rerun on every click, and a bundle
    # never changes, so each view is worked out once per store version.
    memo: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)
    memo_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @functools.cached_property
    def periods(self) -> list[dt.date]:
        """Every quarter end with any count data, oldest first."""
        days: set[dt.date] = set()
        for frame in self.counts.values():
            days.update(d.date() for d in frame["period_end"].unique())
        days.update(d.date() for d in self.action_plan["period_end"].unique())
        return sorted(days)

    @property
    def latest_period(self) -> dt.date | None:
        return self.periods[-1] if self.periods else None

    @functools.cached_property
    def periods_by_area(self) -> dict[str, list[dt.date]]:
        """Each area's own published quarter ends, oldest first (areas are published by different teams)."""
        frames = {**self.counts, catalogue.ACTION_PLAN: self.action_plan}
        return {area: sorted({d.date() for d in frame["period_end"].unique()}) for area, frame in frames.items()}


def area_period(bundle: Bundle, area: str, chosen: dt.date) -> dt.date | None:
    """The quarter an area shows when `chosen` is picked: its latest published quarter on or before `chosen`, so
    that one team publishing a new quarter first never blanks another team's figures. None when the area has
    nothing published that early."""
    earlier = [day for day in bundle.periods_by_area.get(area, []) if day <= chosen]
    return earlier[-1] if earlier else None


P = ParamSpec("P")
R = TypeVar("R")
MEMO_ENTRIES = 4096  # about 2 MB of small frames; a board member's session touches a few hundred


def _key(value: object) -> object:
    return tuple(_key(v) for v in value) if isinstance(value, list | tuple) else value


def _fresh(value: R) -> R:
    """A copy of a memoised result that the caller may change freely (frames are mutable; dataclasses here
    are frozen and strings immutable)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, tuple | list):
        return type(value)(_fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    return value


def remember(bundle: Bundle, key: tuple, compute: Callable[[], R]) -> R:
    """compute() once per bundle and key (hashable); a fresh copy of the result every time."""
    with bundle.memo_lock:
        if key in bundle.memo:
            bundle.memo.move_to_end(key)
            return _fresh(bundle.memo[key])
    result = compute()
    with bundle.memo_lock:
        bundle.memo[key] = result
        while len(bundle.memo) > MEMO_ENTRIES:
            bundle.memo.popitem(last=False)
    return _fresh(result)


def per_bundle(fn: Callable[P, R]) -> Callable[P, R]:
    """Memoise a view model on its bundle, by its other arguments (hashable, or lists of hashables). Results are
    copied on the way out, so no page can change what another session will be given."""

    @functools.wraps(fn)
    def wrapper(bundle: Bundle, *args, **kwargs):
        key = (fn.__name__, _key(args), _key(tuple(sorted(kwargs.items()))))
        return remember(bundle, key, lambda: fn(bundle, *args, **kwargs))

    return wrapper


def build_bundle(store: Store, threshold: int, token: str = "") -> Bundle:
    counts = {d: store.read_current(d) for d in catalogue.COUNT_DATASETS}
    safe = {d: disclosure.suppress(f, threshold) for d, f in counts.items()}
    bench = store.read_benchmarks()
    return Bundle(
        counts=counts,
        safe_counts=safe,
        indicators=indicators.derive_all(safe),
        benchmarks=bench,
        comparators=benchmarks.comparator_table(bench),
        action_plan=store.read_current(catalogue.ACTION_PLAN),
        versions=store.current_versions(),
        threshold=threshold,
        token=token,
        targets=store.read_current(catalogue.TARGETS),
        commentary=store.read_current(catalogue.COMMENTARY),
    )


# ---------------------------------------------------------------------------------------------------------------
# Headlines with comparators
# ---------------------------------------------------------------------------------------------------------------


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


def _change_text(change: indicators.Change, ind: catalogue.Indicator) -> str:
    if change.delta is None:
        return f"no figure for {periods.short_quarter_label(change.previous_period)}"
    return f"{format_change(change.delta, ind.unit, ind.dps)} since {change.since}"


def trend_axis(indicator_id: str) -> tuple[bool, str]:
    """(start at zero, words for the subtitle). A count's axis starts at 0, so a small fall never looks like a
    collapse; a rate or percentage zooms in to show its movement and says so."""
    ind = catalogue.INDICATORS[indicator_id]
    if not ind.is_ratio:
        return True, ""
    return False, "; the axis does not start at 0"


def abbreviations_in(texts: list[str]) -> list[tuple[str, str]]:
    """Each abbreviation (catalogue.ABBREVIATIONS) used in these texts, with its meaning, in first-use order: a
    page says them in plain words before its first card."""
    import re

    found: dict[str, str] = {}
    for text in texts:
        for word in re.findall(r"\b[A-Z]{2,}\b", text):
            if word in catalogue.ABBREVIATIONS and word not in found:
                found[word] = catalogue.ABBREVIATIONS[word]
    return list(found.items())


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
            "published once a year" if ind.reference == catalogue.ANNUAL_31_MARCH else _change_text(head.quarter, ind)
        ),
        quarter_verdict=head.quarter.verdict,
        year_change=_change_text(head.year, ind),
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
                "Measure": ind.label,
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


def at_a_glance(bundle: Bundle, chosen: dt.date, comparator: str) -> list[tuple[str, str, list[str]]]:
    """Every headline grouped by its verdict, worst first, for a one-minute read of the Overview: (colour,
    heading, ['Agency workers 21.5%: Red: off target (15.0% or less)', ...]). Each area at its own latest
    published quarter; context measures (no verdict) are left out."""
    groups: dict[str, list[str]] = {colour: [] for colour, _ in GLANCE_ORDER}
    for area in catalogue.COUNT_DATASETS:
        shown = area_period(bundle, area, chosen) or chosen
        for view in area_headlines(bundle, area, shown, comparator):
            if view.rating is None or view.rating.colour not in groups:
                continue
            words = view.rating.words.split(": ", 1)[-1] if view.rating.basis == "target" else view.rating.words
            groups[view.rating.colour].append(
                f"{view.indicator.short_label} {view.figure}: {words[0].lower()}{words[1:]}"
            )
    return [(colour, heading, groups[colour]) for colour, heading in GLANCE_ORDER]


# ---------------------------------------------------------------------------------------------------------------
# Trends: Hackney's quarters against the published annual comparators
# ---------------------------------------------------------------------------------------------------------------

TREND_COLUMNS = ["period_end", "value", "symbol", "label", "shown"]
COMPARATOR_POINT_COLUMNS = ["period_end", "value", "area", "label", "shown"]


def trend_comparators(comparator: str) -> list[str]:
    """The chosen comparator, with England beside it as the national yardstick."""
    return [comparator] if comparator == "England" else [comparator, "England"]


@per_bundle
def trend(
    bundle: Bundle, indicator_id: str, period_end: dt.date, comparators: list[str], topic: str = TOTAL
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hackney's quarterly series up to the chosen quarter, and each comparator's published points
    (placed on their reference date, labelled with it) over the same span."""
    ind = catalogue.INDICATORS[indicator_id]
    series = indicators.indicator_series(bundle.indicators, indicator_id, topic)
    series = series[series["period_end"] <= pd.Timestamp(period_end)]
    hackney = pd.DataFrame(
        {
            "period_end": series["period_end"],
            "value": series["value"],
            "symbol": series["symbol"],
            "label": [periods.quarter_label(d.date()) for d in series["period_end"]],
            "shown": [
                format_value(v, ind.unit, ind.dps, s if isinstance(s, str) else None)
                for v, s in zip(series["value"], series["symbol"], strict=True)
            ],
        }
    )
    if topic != TOTAL:
        hackney["breakdown"] = series["breakdown"].to_numpy()
    points = []
    if ind.published and ind.is_ratio and not hackney.empty and topic == TOTAL:
        first = hackney["period_end"].min()
        rows = bundle.comparators[
            (bundle.comparators["indicator"] == indicator_id) & bundle.comparators["comparator"].isin(comparators)
        ]
        for row in rows.itertuples(index=False):
            day = pd.Timestamp(periods.benchmark_date(int(row.year), ind.reference_date))
            if not (first <= day <= pd.Timestamp(period_end)) or pd.isna(row.value):
                continue
            points.append(
                {
                    "period_end": day,
                    "value": float(row.value),
                    "area": catalogue.COMPARATORS[row.comparator],
                    "label": periods.long_date(day.date()),
                    "shown": format_value(row.value, ind.unit, ind.dps),
                }
            )
    comp = pd.DataFrame(points, columns=COMPARATOR_POINT_COLUMNS).sort_values(["area", "period_end"], ignore_index=True)
    return hackney.reset_index(drop=True), comp


def _trend_finding(known: pd.DataFrame, comparators: pd.DataFrame, ind: catalogue.Indicator) -> str:
    """The chart's finding first, worked out from the figures: the direction over the last year (judged by the
    indicator's polarity) and where the latest figure stands against each comparator's latest. '' if neither."""
    from cpb_dash.formatting import round_half_up

    last = known.iloc[-1]
    parts = []
    year_ago = known[known["period_end"] == last["period_end"] - pd.DateOffset(years=1)]
    if not year_ago.empty:
        before = year_ago.iloc[0]
        now, then = round_half_up(last["value"], ind.dps), round_half_up(before["value"], ind.dps)
        if now == then:
            parts.append(f"The same as a year ago ({before['shown']})")
        else:
            moved = "Up" if now > then else "Down"
            better = (now > then) == (ind.polarity == catalogue.HIGH)
            judged = "" if ind.polarity == catalogue.NEUTRAL else (", better" if better else ", worse")
            parts.append(f"{moved} from {before['shown']} a year earlier{judged}")
    for area, rows in comparators.groupby("area"):
        latest = rows.iloc[-1]
        if pd.isna(latest["value"]):
            continue
        ours, theirs = round_half_up(last["value"], ind.dps), round_half_up(latest["value"], ind.dps)
        relation = "the same as" if ours == theirs else "above" if ours > theirs else "below"
        judged = ""
        if ours != theirs and ind.polarity != catalogue.NEUTRAL:
            judged = " (better)" if (ours > theirs) == (ind.polarity == catalogue.HIGH) else " (worse)"
        parts.append(f"{relation} {area}{judged}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}. "


def describe_trend(hackney: pd.DataFrame, comparators: pd.DataFrame, indicator_id: str) -> str:
    """A sentence for screen readers and the chart's caption: where the series started, where it is now."""
    ind = catalogue.INDICATORS[indicator_id]
    known = hackney[hackney["value"].notna()]
    if known.empty:
        return f"No figures for {ind.label.lower()} yet."
    first, last = known.iloc[0], known.iloc[-1]
    text = _trend_finding(known, comparators, ind)
    text += (
        f"{ind.label}: {first['shown']} in {first['label']}, {last['shown']} in {last['label']}"
        f" (lowest {format_value(known['value'].min(), ind.unit, ind.dps)},"
        f" highest {format_value(known['value'].max(), ind.unit, ind.dps)})."
    )
    for area, rows in comparators.groupby("area"):
        latest = rows.iloc[-1]
        text += f" {area}: {latest['shown']} at {latest['label']}."
    return text


def trend_table(hackney: pd.DataFrame, comparators: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The figures behind a trend chart, as a councillor reads them: one row per quarter, comparators where
    one was published on that date."""
    ind = catalogue.INDICATORS[indicator_id]
    table = pd.DataFrame({"Quarter": hackney["label"], f"Hackney ({ind.unit})": hackney["shown"]})
    for area, rows in comparators.groupby("area"):
        by_day = dict(zip(rows["period_end"], rows["shown"], strict=True))
        table[area] = [by_day.get(day, "") for day in hackney["period_end"]]
    return table


# ---------------------------------------------------------------------------------------------------------------
# Action plan
# ---------------------------------------------------------------------------------------------------------------

ACTION_LIST_COLUMNS = [
    "action_id",
    "priority",
    "objective",
    "action",
    "lead",
    "due_date",
    "status",
    "progress_pct",
    "overdue",
    "anti_racist",
    "update",
]


@per_bundle
def actions_at(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The action plan as it stood at a quarter end, with an `overdue` flag (due before then, not complete)."""
    plan = bundle.action_plan
    rows = plan[plan["period_end"] == pd.Timestamp(period_end)].copy()
    rows["overdue"] = (rows["due_date"] < pd.Timestamp(period_end)) & (rows["status"] != "Complete")
    return rows.sort_values("action_id", ignore_index=True)


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


def commentary(bundle: Bundle, area: str, period_end: dt.date) -> tuple[str, str] | None:
    """The officers' commentary for an area and quarter: (plain text, author's role), or None."""
    return board_notes.commentary_for(bundle.commentary, area, period_end)


@dataclass(frozen=True)
class PlanSummary:
    period_end: dt.date
    actions: int
    by_status: dict[str, int]
    complete_pct: float | None
    overdue: int
    anti_racist: int
    anti_racist_complete: int
    needs_attention: int  # at risk + off track + overdue (counted once)
    sentence: str


@per_bundle
def plan_summary(bundle: Bundle, period_end: dt.date) -> PlanSummary | None:
    rows = actions_at(bundle, period_end)
    if rows.empty:
        return None
    by_status = {s: int((rows["status"] == s).sum()) for s in catalogue.ACTION_STATUSES}
    complete_pct = indicators.percent(by_status["Complete"], len(rows))
    attention = rows["status"].isin(["At risk", "Off track"]) | rows["overdue"]
    anti = rows[rows["anti_racist"]]
    sentence = (
        f"{len(rows)} actions {periods.stock_label(period_end)}: {by_status['Complete']} complete"
        f" ({format_value(complete_pct, '%', 0)}), {by_status['On track']} on track,"
        f" {by_status['At risk']} at risk, {by_status['Off track']} off track; {int(rows['overdue'].sum())} overdue."
    )
    return PlanSummary(
        period_end=period_end,
        actions=len(rows),
        by_status=by_status,
        complete_pct=complete_pct,
        overdue=int(rows["overdue"].sum()),
        anti_racist=len(anti),
        anti_racist_complete=int((anti["status"] == "Complete").sum()),
        needs_attention=int(attention.sum()),
        sentence=sentence,
    )


@per_bundle
def plan_changes(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """What moved since the previous quarter: status changes, newly complete, newly overdue, new actions."""
    now = actions_at(bundle, period_end)
    before = actions_at(bundle, periods.previous_quarter(period_end))
    merged = now.merge(
        before[["action_id", "status", "overdue", "progress_pct"]],
        on="action_id",
        how="left",
        suffixes=("", "_before"),
    )
    changes = []
    for row in merged.itertuples(index=False):
        if pd.isna(row.status_before):
            what = "New this quarter"
        elif row.status != row.status_before:
            what = "Newly complete" if row.status == "Complete" else f"{row.status_before} → {row.status}"
        elif row.overdue and not bool(row.overdue_before):
            what = "Newly overdue"
        else:
            continue
        changes.append(
            {
                "action_id": row.action_id,
                "priority": row.priority,
                "action": row.action,
                "change": what,
                "status": row.status,
                "lead": row.lead,
            }
        )
    return pd.DataFrame(changes, columns=["action_id", "priority", "action", "change", "status", "lead"])


# ---------------------------------------------------------------------------------------------------------------
# Small helpers shared by pages
# ---------------------------------------------------------------------------------------------------------------


def period_options(bundle: Bundle) -> list[dt.date]:
    """Newest first, as a councillor expects in a picker."""
    return list(reversed(bundle.periods))


@per_bundle
def breakdown_table(bundle: Bundle, dataset: str, measure: str, topic: str, period_end: dt.date) -> pd.DataFrame:
    """A disclosure-controlled breakdown for one period: breakdown, value, symbol, shown, share_pct."""
    counts = bundle.safe_counts[dataset]
    rows = counts[
        (counts["measure"] == measure)
        & (counts["breakdown_topic"] == topic)
        & (counts["period_end"] == pd.Timestamp(period_end))
    ]
    total = counts[
        (counts["measure"] == measure)
        & (counts["breakdown_topic"] == TOTAL)
        & (counts["period_end"] == pd.Timestamp(period_end))
    ]["value"]
    unit_dps = 1 if catalogue.MEASURES[measure].is_fte else 0
    out = rows[["breakdown", "value", "symbol"]].reset_index(drop=True)
    out["shown"] = [
        format_value(v, "", unit_dps, s if isinstance(s, str) else None)
        for v, s in zip(out["value"], out["symbol"], strict=True)
    ]
    whole = total.iloc[0] if not total.empty else float("nan")
    out["share_pct"] = [indicators.percent(v, whole) for v in out["value"]]
    order = catalogue.BREAKDOWN_TOPICS.get(topic, ())
    out["order"] = out["breakdown"].map({b: i for i, b in enumerate(order)})
    return out.sort_values("order", ignore_index=True).drop(columns="order")


# ---------------------------------------------------------------------------------------------------------------
# Care population
# ---------------------------------------------------------------------------------------------------------------

CARE = "care_population"
CARE_TOPICS: tuple[str, ...] = catalogue.MEASURES["cla"].topics  # the breakdowns of children in care
FLOWS: dict[str, str] = {"cla_started": "Started care", "cla_ceased": "Left care"}
FLOW_COLUMNS = ["period_end", "label", "flow", "value", "symbol", "shown"]
UNRECORDED_ETHNICITY = catalogue.ETHNICITIES[-1]  # "Refused or information not yet available"
IN_CARE, POPULATION = "Children in care", "All children aged 0 to 17"
POPULATION_NOTE = (
    "The population is the ONS mid-year estimate of children aged 0 to 17 living in Hackney, split by ethnic group"
    " using the Census 2021 shares. Shares of children in care are of all children in care; children whose"
    " ethnicity was refused or not yet recorded count in that total but have no ratio, because the population"
    " has no such group. A ratio of 1.0 means parity: the group is as common in care as among Hackney's children;"
    " 2.0 means twice as common."
)


def _total_rows(bundle: Bundle, dataset: str, measure: str, period_end: dt.date) -> pd.DataFrame:
    counts = bundle.safe_counts[dataset]
    return counts[
        (counts["measure"] == measure)
        & (counts["breakdown_topic"] == TOTAL)
        & (counts["period_end"] <= pd.Timestamp(period_end))
    ]


@per_bundle
def care_flows(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Children starting and leaving care in each quarter up to the chosen one (FLOW_COLUMNS, long: one row per
    quarter and flow)."""
    frames = []
    for measure, flow in FLOWS.items():
        rows = _total_rows(bundle, CARE, measure, period_end)
        frames.append(
            pd.DataFrame(
                {
                    "period_end": rows["period_end"].to_numpy(),
                    "flow": flow,
                    "value": rows["value"].to_numpy(dtype="float64"),
                    "symbol": rows["symbol"].to_numpy(dtype="object"),
                }
            )
        )
    flows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FLOW_COLUMNS)
    flows["label"] = [periods.short_quarter_label(periods.as_date(d)) for d in flows["period_end"]]
    flows["shown"] = [
        format_value(v, "", 0, s if isinstance(s, str) else None)
        for v, s in zip(flows["value"], flows["symbol"], strict=True)
    ]
    return flows[FLOW_COLUMNS].sort_values(["period_end", "flow"], ignore_index=True)


def flows_table(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per quarter: started, left, and the net change in the number in care from these flows."""
    wide = flows.pivot(index="period_end", columns="flow", values="value")
    shown = flows.pivot(index="period_end", columns="flow", values="shown")
    net = wide.get("Started care") - wide.get("Left care")
    return pd.DataFrame(
        {
            "Quarter": [periods.quarter_label(periods.as_date(d)) for d in wide.index],
            "Started care (children)": shown["Started care"].to_numpy(),
            "Left care (children)": shown["Left care"].to_numpy(),
            "Started minus left": [("x" if pd.isna(n) else f"{int(n):+d}") for n in net],
        }
    )


def describe_flows(flows: pd.DataFrame) -> str:
    """A sentence for the chart's caption and screen readers: the latest quarter and the span's totals."""
    if flows.empty:
        return "No figures for children starting or leaving care yet."
    latest_day = flows["period_end"].max()
    latest = flows[flows["period_end"] == latest_day].set_index("flow")["shown"]
    last_year = flows[flows["period_end"] > latest_day - pd.DateOffset(years=1)]
    sums = last_year.groupby("flow")["value"].sum(min_count=1)
    text = (
        f"In {periods.short_quarter_label(periods.as_date(latest_day))}, {latest.get('Started care', 'x')}"
        f" children started care and {latest.get('Left care', 'x')} left care."
    )
    if sums.notna().all() and len(sums) == 2:
        text += (
            f" Over the four quarters to then: {format_value(sums['Started care'], '')} started,"
            f" {format_value(sums['Left care'], '')} left."
        )
    return text


@per_bundle
def ethnicity_against_population(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """For the chosen quarter, each population ethnic group: children in care (count, share of all children in
    care), share of the 0-17 population, and the disproportionality ratio (1.0 = parity), with display text.

    Uses the disclosure-controlled counts: a hidden count hides its share and its ratio too.
    """
    disp = indicators.disproportionality(
        bundle.safe_counts[CARE],
        "cla",
        "Ethnicity",
        "population_0_17",
        "Ethnicity",
        catalogue.POPULATION_ETHNICITIES,
    )
    rows = disp[disp["period_end"] == pd.Timestamp(period_end)].copy()
    order = {g: i for i, g in enumerate(catalogue.POPULATION_ETHNICITIES)}
    rows = rows.assign(order=rows["group"].map(order)).sort_values("order", ignore_index=True).drop(columns="order")
    symbol = [s if isinstance(s, str) else None for s in rows["symbol"]]
    rows["count_shown"] = [format_value(v, "", 0, s) for v, s in zip(rows["group_count"], symbol, strict=True)]
    rows["share_shown"] = [format_value(v, "%", 1, s) for v, s in zip(rows["group_share_pct"], symbol, strict=True)]
    rows["reference_shown"] = [format_value(v, "%", 1) for v in rows["reference_share_pct"]]
    rows["ratio_shown"] = [format_value(v, "", 2, s) for v, s in zip(rows["ratio"], symbol, strict=True)]
    return rows


def ethnicity_chart_data(rows: pd.DataFrame) -> pd.DataFrame:
    """Long form for grouped bars: group, series (in care / population), share_pct, shown."""
    in_care = pd.DataFrame(
        {"group": rows["group"], "series": IN_CARE, "share_pct": rows["group_share_pct"], "shown": rows["share_shown"]}
    )
    population = pd.DataFrame(
        {
            "group": rows["group"],
            "series": POPULATION,
            "share_pct": rows["reference_share_pct"],
            "shown": rows["reference_shown"],
        }
    )
    return pd.concat([in_care, population], ignore_index=True)


def ethnicity_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Ethnic group": rows["group"],
            "Children in care": rows["count_shown"],
            "Share of children in care": rows["share_shown"],
            "Share of children aged 0 to 17": rows["reference_shown"],
            "Ratio (1.0 = parity)": rows["ratio_shown"],
        }
    )


def describe_ethnicity(rows: pd.DataFrame) -> str:
    known = rows[rows["ratio"].notna()]
    if known.empty:
        return "No ratio can be shown for this quarter."
    high = known.loc[known["ratio"].idxmax()]
    low = known.loc[known["ratio"].idxmin()]
    return (
        f"Most over-represented: {high['group']}, {high['share_shown']} of children in care against"
        f" {high['reference_shown']} of all Hackney children aged 0 to 17 (ratio {high['ratio_shown']})."
        f" Most under-represented: {low['group']}, {low['share_shown']} against {low['reference_shown']}"
        f" (ratio {low['ratio_shown']})."
    )


@per_bundle
def unrecorded_ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """How many children in care have no recorded ethnicity, as shown (a figure or a symbol)."""
    table = breakdown_table(bundle, CARE, "cla", "Ethnicity", period_end)
    row = table[table["breakdown"] == UNRECORDED_ETHNICITY]
    return "x" if row.empty else str(row["shown"].iloc[0])


@per_bundle
def disproportionality_trend(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The ratio per ethnic group for every quarter up to the chosen one: period_end, label, group, ratio,
    symbol, shown."""
    disp = indicators.disproportionality(
        bundle.safe_counts[CARE],
        "cla",
        "Ethnicity",
        "population_0_17",
        "Ethnicity",
        catalogue.POPULATION_ETHNICITIES,
    )
    disp = disp[disp["period_end"] <= pd.Timestamp(period_end)]
    symbol = [s if isinstance(s, str) else None for s in disp["symbol"]]
    return pd.DataFrame(
        {
            "period_end": disp["period_end"].to_numpy(),
            "label": [periods.short_quarter_label(periods.as_date(d)) for d in disp["period_end"]],
            "group": disp["group"].to_numpy(),
            "ratio": disp["ratio"].to_numpy(dtype="float64"),
            "symbol": symbol,
            "shown": [format_value(v, "", 2, s) for v, s in zip(disp["ratio"], symbol, strict=True)],
        }
    )


def disproportionality_trend_table(trend_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per quarter, one column per ethnic group (the ratio, or its symbol)."""
    wide = trend_rows.pivot(index="period_end", columns="group", values="shown")
    wide = wide[[g for g in catalogue.POPULATION_ETHNICITIES if g in wide.columns]]
    table = wide.reset_index(drop=True)
    table.insert(0, "Quarter", [periods.quarter_label(periods.as_date(d)) for d in wide.index])
    table.columns.name = None
    return table


def describe_disproportionality_trend(trend_rows: pd.DataFrame) -> str:
    if trend_rows.empty:
        return "No ratios yet."
    parts = []
    for group in catalogue.POPULATION_ETHNICITIES:
        rows = trend_rows[(trend_rows["group"] == group) & trend_rows["ratio"].notna()]
        if rows.empty:
            continue
        parts.append(
            f"{group}: {rows['shown'].iloc[0]} in {rows['label'].iloc[0]},"
            f" {rows['shown'].iloc[-1]} in {rows['label'].iloc[-1]}"
        )
    return "Ratio of share in care to share of all children (1.0 = parity). " + "; ".join(parts) + "."


@per_bundle
def quarter_counts(bundle: Bundle, dataset: str, measures: tuple[str, ...], period_end: dt.date) -> dict[str, str]:
    """Totals of a few measures for the chosen quarter, as shown (a figure, or 'x' where none was published)."""
    counts = bundle.safe_counts[dataset]
    rows = counts[(counts["breakdown_topic"] == TOTAL) & (counts["period_end"] == pd.Timestamp(period_end))]
    out = {}
    for measure in measures:
        row = rows[rows["measure"] == measure]
        if row.empty:
            out[measure] = "x"
            continue
        symbol = row["symbol"].iloc[0]
        out[measure] = format_value(row["value"].iloc[0], "", 0, symbol if isinstance(symbol, str) else None)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Workforce
# ---------------------------------------------------------------------------------------------------------------

WORKFORCE_INDICATORS: tuple[str, ...] = (
    "inpost_fte",
    "turnover_pct",
    "agency_pct",
    "vacancy_pct",
    "caseload_avg",
    "absence_pct",
)
SERVICE_AREA = "Service area"
ALL_SERVICE_AREAS = "All service areas"


@per_bundle
def service_area_breakdown(bundle: Bundle, indicator_id: str, period_end: dt.date) -> pd.DataFrame:
    """One workforce indicator by service area for a quarter: service_area, value, symbol, shown.

    Derived by the catalogue formula from the disclosure-controlled counts at each service area (a hidden count
    hides the figure built from it), in the catalogue's order, with Hackney's overall figure last.
    """
    ind = catalogue.INDICATORS[indicator_id]
    rows = bundle.indicators[
        (bundle.indicators["indicator"] == indicator_id) & (bundle.indicators["period_end"] == pd.Timestamp(period_end))
    ]
    by_area = rows[rows["breakdown_topic"] == SERVICE_AREA].set_index("breakdown")
    total = rows[rows["breakdown_topic"] == TOTAL]
    records = []
    if by_area.empty:
        return pd.DataFrame(columns=["service_area", "value", "symbol", "shown"])
    for area in (*catalogue.SERVICE_AREAS, ALL_SERVICE_AREAS):
        source = total if area == ALL_SERVICE_AREAS else (by_area.loc[[area]] if area in by_area.index else None)
        if source is None or source.empty:
            value, symbol = float("nan"), "x"  # not in the upload: not available, never zero
        else:
            value = float(source["value"].iloc[0]) if pd.notna(source["value"].iloc[0]) else float("nan")
            raw_symbol = source["symbol"].iloc[0]
            symbol = raw_symbol if isinstance(raw_symbol, str) else None
        records.append(
            {
                "service_area": area,
                "value": value,
                "symbol": symbol,
                "shown": format_value(value, ind.unit, ind.dps, symbol),
            }
        )
    return pd.DataFrame.from_records(records, columns=["service_area", "value", "symbol", "shown"])


@per_bundle
def service_area_summary(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Every workforce indicator by service area, as a councillor reads it: one row per service area, one
    column per indicator (figures formatted, symbols kept)."""
    table = pd.DataFrame({"Service area": [*catalogue.SERVICE_AREAS, ALL_SERVICE_AREAS]})
    for indicator_id in WORKFORCE_INDICATORS:
        ind = catalogue.INDICATORS[indicator_id]
        breakdown = service_area_breakdown(bundle, indicator_id, period_end)
        shown = dict(zip(breakdown["service_area"], breakdown["shown"], strict=True))
        table[ind.short_label] = [shown.get(area, "x") for area in table["Service area"]]
    return table


ROLE_COLUMNS = ["role", "group", "count", "symbol", "shown"]
ALL_SOCIAL_WORKERS = "All social workers"
POPULATION_LABEL = "Hackney population (Census 2021, all ages)"
CHILDREN_IN_CARE_LABEL = "Children in care"
ETHNICITY_COLUMNS = ["series", "group", "count", "share_pct", "symbol", "shown_count", "shown_share"]


def _symbol_or_none(symbol: object) -> str | None:
    return symbol if isinstance(symbol, str) else None


@per_bundle
def workforce_by_role_and_ethnicity(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Social workers' headcount by role and ethnic group, and all social workers by ethnic group, for a
    quarter, made safe to show (ETHNICITY_COLUMNS; `series` is a role or "All social workers").

    Starts from the disclosure-controlled counts (bundle.safe_counts), then hides more cells where a role's
    total or an ethnic group's total across roles would let a reader work a hidden cell out. A share is of
    the role's (or the whole workforce's) headcount, including people whose ethnicity is not recorded.
    """
    day = pd.Timestamp(period_end)
    safe = bundle.safe_counts["workforce"]
    raw = bundle.counts["workforce"]
    safe = safe[(safe["period_end"] == day) & (safe["measure"] == "inpost_headcount")]
    raw = raw[(raw["period_end"] == day) & (raw["measure"] == "inpost_headcount")]
    if safe["breakdown_topic"].ne("Role and ethnicity").all():
        return pd.DataFrame(columns=ETHNICITY_COLUMNS)
    grid, symbols, group_totals, group_symbols = disclosure.suppress_role_by_group(
        raw, safe, list(catalogue.ROLES), list(catalogue.ETHNICITIES), bundle.threshold
    )

    role_totals = safe[safe["breakdown_topic"] == "Role"].set_index("breakdown")
    headcount = safe.loc[safe["breakdown_topic"] == TOTAL, "value"]
    headcount = float(headcount.iloc[0]) if not headcount.empty else float("nan")
    records = []
    for role in catalogue.ROLES:
        role_total = float(role_totals["value"].get(role, np.nan)) if role in role_totals.index else np.nan
        for group in catalogue.ETHNICITIES:
            symbol = symbols.loc[role, group]
            count = np.nan if symbol else float(grid.loc[role, group])
            records.append((role, group, count, indicators.percent(count, role_total), symbol))
    for group in catalogue.ETHNICITIES:
        symbol = group_symbols[group]
        count = np.nan if symbol else float(group_totals[group])
        records.append((ALL_SOCIAL_WORKERS, group, count, indicators.percent(count, headcount), symbol))
    out = pd.DataFrame.from_records(records, columns=["series", "group", "count", "share_pct", "symbol"])
    out["symbol"] = pd.Series([_symbol_or_none(s) for s in out["symbol"]], dtype="object")
    out["shown_count"] = [format_value(v, "", 0, s) for v, s in zip(out["count"], out["symbol"], strict=True)]
    out["shown_share"] = [format_value(v, "%", 0, s) for v, s in zip(out["share_pct"], out["symbol"], strict=True)]
    return out[ETHNICITY_COLUMNS]


@per_bundle
def children_in_care_by_ethnicity(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Children in care by ethnic group at the quarter end, disclosure-controlled (ETHNICITY_COLUMNS)."""
    table = breakdown_table(bundle, "care_population", "cla", "Ethnicity", period_end)
    out = pd.DataFrame(
        {
            "series": CHILDREN_IN_CARE_LABEL,
            "group": table["breakdown"],
            "count": table["value"],
            "share_pct": table["share_pct"],
            "symbol": table["symbol"],
        }
    )
    out["symbol"] = pd.Series([_symbol_or_none(s) for s in out["symbol"]], dtype="object")
    out["shown_count"] = [format_value(v, "", 0, s) for v, s in zip(out["count"], out["symbol"], strict=True)]
    out["shown_share"] = [format_value(v, "%", 0, s) for v, s in zip(out["share_pct"], out["symbol"], strict=True)]
    return out[ETHNICITY_COLUMNS]


def population_by_ethnicity() -> pd.DataFrame:
    """Hackney's residents of all ages by ethnic group, Census 2021, as the DfE publishes it beside the
    workforce (ETHNICITY_COLUMNS; shares only)."""
    groups = list(catalogue.CENSUS_2021_ETHNICITY_PCT)
    shares_pct = [catalogue.CENSUS_2021_ETHNICITY_PCT[g] for g in groups]
    return pd.DataFrame(
        {
            "series": POPULATION_LABEL,
            "group": groups,
            "count": np.nan,
            "share_pct": shares_pct,
            "symbol": None,
            "shown_count": "",
            "shown_share": [format_value(v, "%", 1) for v in shares_pct],
        }
    )[ETHNICITY_COLUMNS]


def _ratio_text(ratio: float, symbol: str | None = None) -> str:
    """Two decimal places (1.00 = parity); the symbol of a hidden share; blank where nothing is compared."""
    if symbol:
        return symbol
    return "" if pd.isna(ratio) else format_value(ratio, "", 2)


@per_bundle
def workforce_ethnicity_table(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The anti-racist lens as a table: each ethnic group's share at each role and of all social workers,
    with its disproportionality ratio (1.00 = parity) against all social workers, Hackney's population
    (Census 2021, all ages) and the children in care. Only groups the population has (not "refused")."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return pd.DataFrame()
    cla_rows = children_in_care_by_ethnicity(bundle, period_end).set_index("group")
    cla, cla_symbol = cla_rows["share_pct"], cla_rows["symbol"]
    population = pd.Series(catalogue.CENSUS_2021_ETHNICITY_PCT)
    all_sw = staff[staff["series"] == ALL_SOCIAL_WORKERS].set_index("group")
    all_sw, all_sw_symbol = all_sw["share_pct"], all_sw["symbol"]
    rows = []
    for series in (*catalogue.ROLES, ALL_SOCIAL_WORKERS):
        part = staff[staff["series"] == series].set_index("group")
        for group in catalogue.POPULATION_ETHNICITIES:
            symbol = _symbol_or_none(part.loc[group, "symbol"])
            share = np.nan if symbol else part.loc[group, "share_pct"]
            # Ratios of shares, exactly as the shares are written (no float drift before the one rounding).
            vs_all = indicators.percent(share, all_sw.get(group, np.nan), 1) if series != ALL_SOCIAL_WORKERS else np.nan
            vs_population = indicators.percent(share, population.get(group, np.nan), 1)
            vs_cla = indicators.percent(share, cla.get(group, np.nan), 1)
            rows.append(
                {
                    "Ethnic group": group,
                    "Social workers": series,
                    "Headcount": part.loc[group, "shown_count"],
                    "Share": part.loc[group, "shown_share"],
                    "Ratio to all social workers": _ratio_text(
                        vs_all,
                        None if series == ALL_SOCIAL_WORKERS else symbol or _symbol_or_none(all_sw_symbol[group]),
                    ),
                    "Ratio to population (Census 2021, all ages)": _ratio_text(vs_population, symbol),
                    "Ratio to children in care": _ratio_text(vs_cla, symbol or _symbol_or_none(cla_symbol.get(group))),
                }
            )
    return pd.DataFrame(rows)


_GROUP_SHORT = {
    "Black, African, Caribbean or Black British": "Black",
    "White": "White",
    "Mixed or Multiple ethnic groups": "Mixed-heritage",
    "Asian or Asian British": "Asian",
    "Other ethnic group": "Other ethnic group",
}


@per_bundle
def describe_role_ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """The finding of the grade-by-ethnicity chart, computed: the ethnic group whose share falls most from
    practitioners to managers ('Black staff are 45% of practitioners but 16% of managers'). Groups with a
    hidden share at either grade are left out, so a suppressed figure is never revealed by the sentence."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return ""
    shares = staff[staff["share_pct"].notna()].pivot(index="group", columns="series", values="shown_share")
    values = staff[staff["share_pct"].notna()].pivot(index="group", columns="series", values="share_pct")
    if not {"Practitioner", "Manager"} <= set(values.columns):
        return ""
    gap = (values["Practitioner"] - values["Manager"]).dropna()
    gap = gap[gap.index.isin(list(_GROUP_SHORT))]
    if gap.empty:
        return ""
    group = gap.idxmax()
    if gap[group] <= 0:
        return "No ethnic group is a smaller share of managers than of practitioners."
    name = _GROUP_SHORT[group]
    return (
        f"{name} staff are {shares.loc[group, 'Practitioner']} of practitioners but"
        f" {shares.loc[group, 'Manager']} of managers."
    )


@per_bundle
def ethnicity_comparison(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Shares by ethnic group for the charts (ETHNICITY_COLUMNS): each role, all social workers, the
    population (Census 2021, all ages) and the children in care; groups the population has."""
    staff = workforce_by_role_and_ethnicity(bundle, period_end)
    if staff.empty:
        return pd.DataFrame(columns=ETHNICITY_COLUMNS)
    frame = pd.concat(
        [staff, population_by_ethnicity(), children_in_care_by_ethnicity(bundle, period_end)], ignore_index=True
    )
    return frame[frame["group"].isin(catalogue.POPULATION_ETHNICITIES)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# Action plan filters
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilters:
    """What a director chose to look at. Empty tuples mean "all"; the URL carries the same choices:
    ?priority=1&priority=5&status=At+risk&lead=...&anti_racist=1&overdue=1"""

    priorities: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    anti_racist_only: bool = False
    overdue_only: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(self.priorities or self.statuses or self.leads or self.anti_racist_only or self.overdue_only)


PLAN_QUERY_KEYS = ("priority", "status", "lead", "anti_racist", "overdue")


def plan_filters_from_query(params: dict[str, list[str]], leads: list[str] | tuple[str, ...] = ()) -> PlanFilters:
    """Filters from URL query parameters (each a list of values); values that mean nothing are ignored, so a
    mistyped or stale link still opens the page."""
    priorities = []
    for text in params.get("priority", []):
        try:
            number = int(str(text).strip())
        except ValueError:
            continue
        if number in catalogue.PRIORITIES and number not in priorities:
            priorities.append(number)
    statuses = [s for s in dict.fromkeys(params.get("status", [])) if s in catalogue.ACTION_STATUSES]
    chosen_leads = [lead for lead in dict.fromkeys(params.get("lead", [])) if lead in leads]

    def flag(key: str) -> bool:
        values = params.get(key, [])
        return bool(values) and truth(str(values[-1])) is True

    return PlanFilters(
        tuple(sorted(priorities)), tuple(statuses), tuple(chosen_leads), flag("anti_racist"), flag("overdue")
    )


def plan_filters_to_query(filters: PlanFilters) -> dict[str, list[str]]:
    """The query parameters that reproduce these filters (a key with no values is to be removed)."""
    return {
        "priority": [str(p) for p in filters.priorities],
        "status": list(filters.statuses),
        "lead": list(filters.leads),
        "anti_racist": ["1"] if filters.anti_racist_only else [],
        "overdue": ["1"] if filters.overdue_only else [],
    }


def filter_actions(actions: pd.DataFrame, filters: PlanFilters) -> pd.DataFrame:
    """The rows of actions_at(...) that match every chosen filter."""
    keep = pd.Series(True, index=actions.index)
    if filters.priorities:
        keep &= actions["priority"].isin(filters.priorities)
    if filters.statuses:
        keep &= actions["status"].isin(filters.statuses)
    if filters.leads:
        keep &= actions["lead"].isin(filters.leads)
    if filters.anti_racist_only:
        keep &= actions["anti_racist"].astype(bool)
    if filters.overdue_only:
        keep &= actions["overdue"].astype(bool)
    return actions[keep].reset_index(drop=True)


def priority_label(number: int) -> str:
    return f"{number}. {catalogue.PRIORITIES[number].title}"


def priority_short_label(number: int, width: int = 48) -> str:
    """'1. Uphold STAR principles: Systemic, ...' cut to fit a chart axis (every title opens 'Proud to', which
    tells the reader nothing on an axis)."""
    title = catalogue.PRIORITIES[number].title
    title = title[len("Proud to ") :] if title.startswith("Proud to ") else title
    label = f"{number}. {title[:1].upper()}{title[1:]}"
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _status_grid(actions: pd.DataFrame) -> dict[int, dict[str, int]]:
    """Actions per priority (ascending) and status (every status, zeros included). A plan has tens of actions:
    counting them in Python is quicker than any pandas reshape."""
    counted = Counter(zip((int(p) for p in actions["priority"]), actions["status"], strict=True))
    return {
        number: {status: counted[(number, status)] for status in catalogue.ACTION_STATUSES}
        for number in sorted({number for number, _ in counted})
    }


def status_counts(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions per priority and status, for charts.stacked_status: priority, priority_label, status,
    status_order, actions (every status present, zeros included, so the legend is complete)."""
    order = {s: i for i, s in enumerate(charts_status_order())}
    records = [
        {
            "priority": number,
            "priority_label": priority_short_label(number, width=26),
            "status": status,
            "status_order": order[status],
            "actions": count,
        }
        for number, by_status in _status_grid(actions).items()
        for status, count in by_status.items()
    ]
    return pd.DataFrame.from_records(
        records, columns=["priority", "priority_label", "status", "status_order", "actions"]
    )


def charts_status_order() -> tuple[str, ...]:
    """Statuses in the order a stacked bar reads left to right: done first, then the rest by growing concern."""
    return tuple(reversed(catalogue.STATUS_CONCERN))


def priority_progress(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per priority, as a councillor reads it: actions, complete, share complete, at risk or off track,
    overdue (formatted; the figures behind the progress chart)."""
    overdue = Counter(int(p) for p, late in zip(actions["priority"], actions["overdue"], strict=True) if late)
    rows = []
    for number, by_status in _status_grid(actions).items():
        total = sum(by_status.values())
        rows.append(
            {
                "Priority": priority_label(number),
                "Actions": total,
                **{status: by_status[status] for status in charts_status_order()},
                "Share complete": format_value(indicators.percent(by_status["Complete"], total), "%", 0),
                "Overdue": overdue[number],
            }
        )
    return pd.DataFrame(rows)


def describe_priority_progress(actions: pd.DataFrame) -> str:
    """The progress chart's sentence: each priority's complete and overdue actions. "Priority 1", not "1. Proud
    to...": a caption is Markdown, and a leading "1." would start a list."""
    progress = priority_progress(actions)
    numbers = sorted(int(n) for n in actions["priority"].unique())
    return (
        "; ".join(
            f"Priority {number}: {row['Complete']} of {row['Actions']} complete, {row['Overdue']} overdue"
            for number, row in zip(numbers, progress.to_dict("records"), strict=True)
        )
        + "."
    )


ACTION_TABLE_COLUMNS = [
    "Action",
    "Priority",
    "Status",
    "Progress (%)",
    "Due",
    "Overdue",
    "Anti-racist",
    "What will be done",
    "Lead",
    "Latest update",
]


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The action list as shown and downloaded. Uploaded text stays text: pages show it in tables or with
    st.text, never as Markdown or HTML."""
    return pd.DataFrame(
        {
            "Action": actions["action_id"],
            "Priority": actions["priority"].astype(int),
            "What will be done": actions["action"],
            "Lead": actions["lead"],
            "Status": actions["status"],
            "Progress (%)": actions["progress_pct"],
            "Due": [periods.long_date(d.date()) for d in actions["due_date"]],
            "Overdue": ["Overdue" if o else "" for o in actions["overdue"]],
            "Anti-racist": ["Yes" if a else "" for a in actions["anti_racist"]],
            "Latest update": actions["update"],
        },
        columns=ACTION_TABLE_COLUMNS,
    )


def needs_attention(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions off track, at risk or overdue, worst first, then by due date."""
    concern = {s: i for i, s in enumerate(catalogue.STATUS_CONCERN)}
    rows = actions[actions["status"].isin(["Off track", "At risk"]) | actions["overdue"]]
    return (
        rows.assign(_c=rows["status"].map(concern))
        .sort_values(["_c", "due_date", "action_id"])
        .drop(columns="_c")
        .reset_index(drop=True)
    )


@per_bundle
def filtered_plan_changes(bundle: Bundle, period_end: dt.date, filters: PlanFilters) -> pd.DataFrame:
    """plan_changes for the actions the filters keep, as shown and downloaded."""
    kept = filter_actions(actions_at(bundle, period_end), filters)
    changes = plan_changes(bundle, period_end)
    changes = changes[changes["action_id"].isin(kept["action_id"])]
    return pd.DataFrame(
        {
            "Action": changes["action_id"],
            "Priority": changes["priority"],
            "What changed": changes["change"],
            "Status now": changes["status"],
            "What will be done": changes["action"],
            "Lead": changes["lead"],
        }
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------
# About the data
# ---------------------------------------------------------------------------------------------------------------

POLARITY_WORDS = {
    catalogue.HIGH: "Higher is better",
    catalogue.LOW: "Lower is better",
    catalogue.NEUTRAL: "Neither: context, not performance (no rank or band)",
}
REFERENCE_WORDS = {
    catalogue.AT_PERIOD_END: "on the last day of the quarter",
    catalogue.IN_QUARTER: "during the quarter",
    catalogue.TWELVE_MONTHS: "in the 12 months to the last day of the quarter",
    catalogue.ANNUAL_31_MARCH: "once a year, at 31 March (in the 31 March quarter's file)",
    catalogue.THREE_YEARS: "in the 3 years to the last day of the quarter",
}


def _once(fn: Callable[[], R]) -> Callable[[], R]:
    """For a table made from the catalogue alone (it never changes while the app runs): worked out once, and a
    fresh copy handed out each time."""
    cached = functools.cache(fn)

    @functools.wraps(fn)
    def wrapper() -> R:
        return _fresh(cached())

    return wrapper


def formula_text(indicator: catalogue.Indicator) -> str:
    """How the indicator is worked out, in words, from the catalogue's own formula."""
    numerator = catalogue.MEASURES[indicator.numerator].label
    if not indicator.is_ratio:
        return f"{numerator}, as uploaded (a count)"
    denominator = " + ".join(catalogue.MEASURES[m].label for m in indicator.denominator)
    if indicator.denominator_factor != 1:
        leap = (
            f", or {indicator.leap_year_factor:g} when the 12 months include 29 February"
            if indicator.leap_year_factor is not None
            else ""
        )
        denominator = f"({denominator} × {indicator.denominator_factor:g} working days{leap})"
    elif len(indicator.denominator) > 1:
        denominator = f"({denominator})"
    scale = {100: " × 100", 10_000: " × 10,000"}.get(int(indicator.scale), "")
    return f"{numerator} ÷ {denominator}{scale}"


def comparator_text(indicator: catalogue.Indicator) -> str:
    if not indicator.published:
        return "No published comparator: a local measure"
    when = indicator.reference_date
    return f"Published comparator: the DfE's figure {'for the' if when.startswith('year') else 'at'} {when} each year"


def decimals_text(indicator: catalogue.Indicator) -> str:
    if indicator.dps == 0:
        return "shown as a whole number"
    return f"shown to {indicator.dps} decimal place{'' if indicator.dps == 1 else 's'}"


def source_title(url: str) -> str:
    """A link's words from its address: '.../children-s-social-work-workforce' -> 'Children's social work
    workforce' (DfE, Explore education statistics)."""
    if not url:
        return ""
    slug = url.rstrip("/").rsplit("/", 1)[-1].replace("-s-", "'s ").replace("-", " ").replace("england", "England")
    where = (
        "DfE, Explore education statistics"
        if "explore-education-statistics" in url
        else "DfE, GOV.UK"
        if "www.gov.uk" in url
        else "ONS"
    )
    return f"{slug[:1].upper()}{slug[1:]} ({where})"


@_once
def indicator_definitions() -> pd.DataFrame:
    """Every catalogue indicator, as About the data shows it (and downloads it)."""
    rows = []
    for ind in catalogue.INDICATORS.values():
        rows.append(
            {
                "Area": catalogue.DATASET_LABELS[ind.area],
                "Indicator": ind.label,
                "Shown as": ind.short_label,
                "Definition": ind.definition,
                "Worked out as": formula_text(ind),
                "Unit": ind.unit,
                "Decimal places": ind.dps,
                "Direction": POLARITY_WORDS[ind.polarity],
                "Published comparator": comparator_text(ind),
                "Source": ind.source,
            }
        )
    return pd.DataFrame(rows)


@_once
def measure_definitions() -> pd.DataFrame:
    """Every measure officers upload: dataset, id, label, unit, when it is counted, breakdowns, definition."""
    rows = []
    for m in catalogue.MEASURES.values():
        rows.append(
            {
                "Dataset": catalogue.DATASET_LABELS[m.dataset],
                "Measure id": m.id,
                "Measure": m.label,
                "Unit": m.unit,
                "Counted": REFERENCE_WORDS.get(m.reference, m.reference),
                "Breakdowns": ", ".join(m.topics) or "Total only",
                "Definition": m.definition,
                "Source": m.source,
            }
        )
    return pd.DataFrame(rows)


@per_bundle
def versions_in_use(bundle: Bundle, period_end: dt.date | None = None) -> pd.DataFrame:
    """The snapshot versions the figures come from: dataset, quarter, version (the file's hash, shortened)."""
    versions = bundle.versions
    if period_end is not None:
        versions = versions[versions["period_end"] == pd.Timestamp(period_end)]
    versions = versions.sort_values(["period_end", "dataset"], ascending=[False, True])
    return pd.DataFrame(
        {
            "Dataset": [catalogue.DATASET_LABELS.get(d, d) for d in versions["dataset"]],
            "Quarter": [periods.quarter_label(d.date()) for d in versions["period_end"]],
            "Version": [str(v)[:12] for v in versions["version"]],
        }
    ).reset_index(drop=True)

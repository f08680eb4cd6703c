"""View models: everything a page shows, computed from the store without Streamlit, so it can be tested plainly.

Pages call these and only lay the results out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from cpb_dash import benchmarks, catalogue, disclosure, indicators, narrative, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.formatting import format_change, format_value
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

    @property
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


def build_bundle(store: Store, threshold: int) -> Bundle:
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
    when: str  # "at 30 September 2025"
    quarter_change: str
    quarter_verdict: str
    year_change: str
    year_verdict: str
    comparison: Comparison | None
    rank: tuple[int | None, int, str | None] | None  # (rank, of how many, quartile band) for the comparison year
    sentence: str
    headline: indicators.Headline


def comparison(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> Comparison | None:
    """The comparator's published figure at the latest reference date on or before the period, or None."""
    ind = catalogue.INDICATORS[indicator_id]
    # A count is not comparable with a bigger or smaller area's count: only rates and percentages are compared.
    if not ind.published or not ind.is_ratio or bundle.benchmarks.empty:
        return None
    year = periods.latest_benchmark_year_on_or_before(period_end, ind.reference_date)
    rows = bundle.comparators[(bundle.comparators["indicator"] == indicator_id)
                              & (bundle.comparators["comparator"] == comparator)]
    if rows.empty:
        return None
    year = min(year, int(rows["year"].max()))
    row = rows[rows["year"] == year]
    value = float(row["value"].iloc[0]) if not row.empty and pd.notna(row["value"].iloc[0]) else None
    symbol = None if value is not None else (row["symbol"].iloc[0] if not row.empty and isinstance(
        row["symbol"].iloc[0], str) else "x")
    date_label = periods.long_date(periods.benchmark_date(year, ind.reference_date))
    return Comparison(
        name=catalogue.COMPARATORS[comparator], value=value, symbol=symbol, year=year, date_label=date_label,
        shown=format_value(value, ind.unit, ind.dps, symbol),
    )


def _change_text(change: indicators.Change, ind: catalogue.Indicator) -> str:
    if change.delta is None:
        return f"no figure for {periods.short_quarter_label(change.previous_period)}"
    return f"{format_change(change.delta, ind.unit, ind.dps)} since {change.since}"


def headline_view(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> HeadlineView:
    head = indicators.headline(bundle.indicators, indicator_id, period_end)
    ind = head.indicator
    comp = comparison(bundle, indicator_id, period_end, comparator)
    rank = None
    if comp is not None and comp.year is not None:
        rank = benchmarks.rank_and_quartile(bundle.benchmarks, indicator_id, comp.year, polarity=ind.polarity)
    comparator_args = (comp.name, comp.value, comp.symbol, comp.date_label) if comp else None
    return HeadlineView(
        indicator=ind,
        figure=format_value(head.value, ind.unit, ind.dps, head.symbol),
        when=periods.stock_label(period_end),
        quarter_change=_change_text(head.quarter, ind),
        quarter_verdict=head.quarter.verdict,
        year_change=_change_text(head.year, ind),
        year_verdict=head.year.verdict,
        comparison=comp,
        rank=rank,
        sentence=narrative.sentence(head, comparator_args),
        headline=head,
    )


def area_headlines(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> list[HeadlineView]:
    return [headline_view(bundle, i, period_end, comparator) for i in catalogue.HEADLINE_ORDER[area]]


# ---------------------------------------------------------------------------------------------------------------
# Trends: Hackney's quarters against the published annual comparators
# ---------------------------------------------------------------------------------------------------------------

TREND_COLUMNS = ["period_end", "value", "symbol", "label", "shown"]
COMPARATOR_POINT_COLUMNS = ["period_end", "value", "area", "label", "shown"]


def trend_comparators(comparator: str) -> list[str]:
    """The chosen comparator, with England beside it as the national yardstick."""
    return [comparator] if comparator == "England" else [comparator, "England"]


def trend(bundle: Bundle, indicator_id: str, period_end: dt.date, comparators: list[str],
          topic: str = TOTAL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hackney's quarterly series up to the chosen quarter, and each comparator's published points
    (placed on their reference date, labelled with it) over the same span."""
    ind = catalogue.INDICATORS[indicator_id]
    series = indicators.indicator_series(bundle.indicators, indicator_id, topic)
    series = series[series["period_end"] <= pd.Timestamp(period_end)]
    hackney = pd.DataFrame({
        "period_end": series["period_end"],
        "value": series["value"],
        "symbol": series["symbol"],
        "label": [periods.quarter_label(d.date()) for d in series["period_end"]],
        "shown": [format_value(v, ind.unit, ind.dps, s if isinstance(s, str) else None)
                  for v, s in zip(series["value"], series["symbol"], strict=True)],
    })
    if topic != TOTAL:
        hackney["breakdown"] = series["breakdown"].to_numpy()
    points = []
    if ind.published and ind.is_ratio and not hackney.empty and topic == TOTAL:
        first = hackney["period_end"].min()
        rows = bundle.comparators[(bundle.comparators["indicator"] == indicator_id)
                                  & bundle.comparators["comparator"].isin(comparators)]
        for row in rows.itertuples(index=False):
            day = pd.Timestamp(periods.benchmark_date(int(row.year), ind.reference_date))
            if not (first <= day <= pd.Timestamp(period_end)) or pd.isna(row.value):
                continue
            points.append({
                "period_end": day, "value": float(row.value), "area": catalogue.COMPARATORS[row.comparator],
                "label": periods.long_date(day.date()), "shown": format_value(row.value, ind.unit, ind.dps),
            })
    comp = pd.DataFrame(points, columns=COMPARATOR_POINT_COLUMNS).sort_values(["area", "period_end"],
                                                                             ignore_index=True)
    return hackney.reset_index(drop=True), comp


def describe_trend(hackney: pd.DataFrame, comparators: pd.DataFrame, indicator_id: str) -> str:
    """A sentence for screen readers and the chart's caption: where the series started, where it is now."""
    ind = catalogue.INDICATORS[indicator_id]
    known = hackney[hackney["value"].notna()]
    if known.empty:
        return f"No figures for {ind.label.lower()} yet."
    first, last = known.iloc[0], known.iloc[-1]
    text = (f"{ind.label}: {first['shown']} in {first['label']}, {last['shown']} in {last['label']}"
            f" (lowest {format_value(known['value'].min(), ind.unit, ind.dps)},"
            f" highest {format_value(known['value'].max(), ind.unit, ind.dps)}).")
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

ACTION_LIST_COLUMNS = ["action_id", "priority", "objective", "action", "lead", "due_date", "status",
                       "progress_pct", "overdue", "anti_racist", "update"]


def actions_at(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The action plan as it stood at a quarter end, with an `overdue` flag (due before then, not complete)."""
    plan = bundle.action_plan
    rows = plan[plan["period_end"] == pd.Timestamp(period_end)].copy()
    rows["overdue"] = (rows["due_date"] < pd.Timestamp(period_end)) & (rows["status"] != "Complete")
    return rows.sort_values("action_id", ignore_index=True)


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


def plan_summary(bundle: Bundle, period_end: dt.date) -> PlanSummary | None:
    rows = actions_at(bundle, period_end)
    if rows.empty:
        return None
    by_status = {s: int((rows["status"] == s).sum()) for s in catalogue.ACTION_STATUSES}
    complete_pct = by_status["Complete"] / len(rows) * 100
    attention = rows["status"].isin(["At risk", "Off track"]) | rows["overdue"]
    anti = rows[rows["anti_racist"]]
    sentence = (
        f"{len(rows)} actions {periods.stock_label(period_end)}: {by_status['Complete']} complete"
        f" ({format_value(complete_pct, '%', 0)}), {by_status['On track']} on track,"
        f" {by_status['At risk']} at risk, {by_status['Off track']} off track; {int(rows['overdue'].sum())} overdue."
    )
    return PlanSummary(
        period_end=period_end, actions=len(rows), by_status=by_status, complete_pct=complete_pct,
        overdue=int(rows["overdue"].sum()), anti_racist=len(anti),
        anti_racist_complete=int((anti["status"] == "Complete").sum()),
        needs_attention=int(attention.sum()), sentence=sentence,
    )


def plan_changes(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """What moved since the previous quarter: status changes, newly complete, newly overdue, new actions."""
    now = actions_at(bundle, period_end)
    before = actions_at(bundle, periods.previous_quarter(period_end))
    merged = now.merge(
        before[["action_id", "status", "overdue", "progress_pct"]], on="action_id", how="left",
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
        changes.append({"action_id": row.action_id, "priority": row.priority, "action": row.action,
                        "change": what, "status": row.status, "lead": row.lead})
    return pd.DataFrame(changes, columns=["action_id", "priority", "action", "change", "status", "lead"])


# ---------------------------------------------------------------------------------------------------------------
# Small helpers shared by pages
# ---------------------------------------------------------------------------------------------------------------


def period_options(bundle: Bundle) -> list[dt.date]:
    """Newest first, as a councillor expects in a picker."""
    return list(reversed(bundle.periods))


def breakdown_table(bundle: Bundle, dataset: str, measure: str, topic: str, period_end: dt.date) -> pd.DataFrame:
    """A disclosure-controlled breakdown for one period: breakdown, value, symbol, shown, share_pct."""
    counts = bundle.safe_counts[dataset]
    rows = counts[(counts["measure"] == measure) & (counts["breakdown_topic"] == topic)
                  & (counts["period_end"] == pd.Timestamp(period_end))]
    total = counts[(counts["measure"] == measure) & (counts["breakdown_topic"] == TOTAL)
                   & (counts["period_end"] == pd.Timestamp(period_end))]["value"]
    unit_dps = 1 if catalogue.MEASURES[measure].is_fte else 0
    out = rows[["breakdown", "value", "symbol"]].reset_index(drop=True)
    out["shown"] = [format_value(v, "", unit_dps, s if isinstance(s, str) else None)
                    for v, s in zip(out["value"], out["symbol"], strict=True)]
    out["share_pct"] = out["value"] / (total.iloc[0] if not total.empty else float("nan")) * 100
    order = catalogue.BREAKDOWN_TOPICS.get(topic, ())
    out["order"] = out["breakdown"].map({b: i for i, b in enumerate(order)})
    return out.sort_values("order", ignore_index=True).drop(columns="order")

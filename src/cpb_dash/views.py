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
    when: str  # "at 30 September 2025", or "in 2025-26 Q2 (Jul-Sep 2025)" for a count in the quarter
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
        when=periods.reference_label(period_end, ind.reference),
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
    return counts[(counts["measure"] == measure) & (counts["breakdown_topic"] == TOTAL)
                  & (counts["period_end"] <= pd.Timestamp(period_end))]


def care_flows(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """Children starting and leaving care in each quarter up to the chosen one (FLOW_COLUMNS, long: one row per
    quarter and flow)."""
    frames = []
    for measure, flow in FLOWS.items():
        rows = _total_rows(bundle, CARE, measure, period_end)
        frames.append(pd.DataFrame({
            "period_end": rows["period_end"].to_numpy(), "flow": flow,
            "value": rows["value"].to_numpy(dtype="float64"), "symbol": rows["symbol"].to_numpy(dtype="object"),
        }))
    flows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FLOW_COLUMNS)
    flows["label"] = [periods.short_quarter_label(periods.as_date(d)) for d in flows["period_end"]]
    flows["shown"] = [format_value(v, "", 0, s if isinstance(s, str) else None)
                      for v, s in zip(flows["value"], flows["symbol"], strict=True)]
    return flows[FLOW_COLUMNS].sort_values(["period_end", "flow"], ignore_index=True)


def flows_table(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per quarter: started, left, and the net change in the number in care from these flows."""
    wide = flows.pivot(index="period_end", columns="flow", values="value")
    shown = flows.pivot(index="period_end", columns="flow", values="shown")
    net = wide.get("Started care") - wide.get("Left care")
    return pd.DataFrame({
        "Quarter": [periods.quarter_label(periods.as_date(d)) for d in wide.index],
        "Started care (children)": shown["Started care"].to_numpy(),
        "Left care (children)": shown["Left care"].to_numpy(),
        "Started minus left": [("x" if pd.isna(n) else f"{int(n):+d}") for n in net],
    })


def describe_flows(flows: pd.DataFrame) -> str:
    """A sentence for the chart's caption and screen readers: the latest quarter and the span's totals."""
    if flows.empty:
        return "No figures for children starting or leaving care yet."
    latest_day = flows["period_end"].max()
    latest = flows[flows["period_end"] == latest_day].set_index("flow")["shown"]
    last_year = flows[flows["period_end"] > latest_day - pd.DateOffset(years=1)]
    sums = last_year.groupby("flow")["value"].sum(min_count=1)
    text = (f"In {periods.short_quarter_label(periods.as_date(latest_day))}, {latest.get('Started care', 'x')}"
            f" children started care and {latest.get('Left care', 'x')} left care.")
    if sums.notna().all() and len(sums) == 2:
        text += (f" Over the four quarters to then: {format_value(sums['Started care'], '')} started,"
                 f" {format_value(sums['Left care'], '')} left.")
    return text


def ethnicity_against_population(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """For the chosen quarter, each population ethnic group: children in care (count, share of all children in
    care), share of the 0-17 population, and the disproportionality ratio (1.0 = parity), with display text.

    Uses the disclosure-controlled counts: a hidden count hides its share and its ratio too.
    """
    disp = indicators.disproportionality(
        bundle.safe_counts[CARE], "cla", "Ethnicity", "population_0_17", "Ethnicity",
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
    in_care = pd.DataFrame({"group": rows["group"], "series": IN_CARE, "share_pct": rows["group_share_pct"],
                            "shown": rows["share_shown"]})
    population = pd.DataFrame({"group": rows["group"], "series": POPULATION,
                               "share_pct": rows["reference_share_pct"], "shown": rows["reference_shown"]})
    return pd.concat([in_care, population], ignore_index=True)


def ethnicity_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Ethnic group": rows["group"],
        "Children in care": rows["count_shown"],
        "Share of children in care": rows["share_shown"],
        "Share of children aged 0 to 17": rows["reference_shown"],
        "Ratio (1.0 = parity)": rows["ratio_shown"],
    })


def describe_ethnicity(rows: pd.DataFrame) -> str:
    known = rows[rows["ratio"].notna()]
    if known.empty:
        return "No ratio can be shown for this quarter."
    high = known.loc[known["ratio"].idxmax()]
    low = known.loc[known["ratio"].idxmin()]
    return (f"Most over-represented: {high['group']}, {high['share_shown']} of children in care against"
            f" {high['reference_shown']} of all Hackney children aged 0 to 17 (ratio {high['ratio_shown']})."
            f" Most under-represented: {low['group']}, {low['share_shown']} against {low['reference_shown']}"
            f" (ratio {low['ratio_shown']}).")


def unrecorded_ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """How many children in care have no recorded ethnicity, as shown (a figure or a symbol)."""
    table = breakdown_table(bundle, CARE, "cla", "Ethnicity", period_end)
    row = table[table["breakdown"] == UNRECORDED_ETHNICITY]
    return "x" if row.empty else str(row["shown"].iloc[0])


def disproportionality_trend(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The ratio per ethnic group for every quarter up to the chosen one: period_end, label, group, ratio,
    symbol, shown."""
    disp = indicators.disproportionality(
        bundle.safe_counts[CARE], "cla", "Ethnicity", "population_0_17", "Ethnicity",
        catalogue.POPULATION_ETHNICITIES,
    )
    disp = disp[disp["period_end"] <= pd.Timestamp(period_end)]
    symbol = [s if isinstance(s, str) else None for s in disp["symbol"]]
    return pd.DataFrame({
        "period_end": disp["period_end"].to_numpy(),
        "label": [periods.short_quarter_label(periods.as_date(d)) for d in disp["period_end"]],
        "group": disp["group"].to_numpy(),
        "ratio": disp["ratio"].to_numpy(dtype="float64"),
        "symbol": symbol,
        "shown": [format_value(v, "", 2, s) for v, s in zip(disp["ratio"], symbol, strict=True)],
    })


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
        parts.append(f"{group}: {rows['shown'].iloc[0]} in {rows['label'].iloc[0]},"
                     f" {rows['shown'].iloc[-1]} in {rows['label'].iloc[-1]}")
    return "Ratio of share in care to share of all children (1.0 = parity). " + "; ".join(parts) + "."


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

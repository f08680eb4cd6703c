"""The care population page: flows in and out of care, ethnicity against the child population, disproportionality."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import catalogue, indicators, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.formatting import format_value
from cpb_dash.views.bundle import Bundle, per_bundle
from cpb_dash.views.trends import _total_rows, breakdown_table

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

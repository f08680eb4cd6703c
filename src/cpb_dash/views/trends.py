"""Trends over time: an indicator beside its comparators, with the sentence and table that go with
its chart; breakdown tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd

from cpb_dash import catalogue, charts, indicators, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.formatting import format_value
from cpb_dash.views.bundle import Bundle, per_bundle

TREND_COLUMNS = ["period_end", "value", "symbol", "label", "shown"]


COMPARATOR_POINT_COLUMNS = ["period_end", "value", "area", "label", "shown"]


def trend_axis(indicator_id: str, *values: pd.Series) -> tuple[charts.AxisRange | None, str]:
    """(the value axis's range, or None to start it at 0; words for the subtitle) for a trend of these values
    (Hackney's and the comparators'). A count's axis starts at 0, so a small fall never looks like a collapse; a
    rate or percentage zooms in to show its movement and says so, unless the zoomed axis would reach 0 anyway."""
    ind = catalogue.INDICATORS[indicator_id]
    if not ind.is_ratio:
        return None, ""
    shown = pd.concat([v for v in values if v is not None and not v.empty] or [pd.Series(dtype=float)])
    axis = charts.rate_axis(shown, whole=ind.dps == 0)
    return axis, ("; the axis does not start at 0" if axis else "")


@dataclass(frozen=True)
class TrendFigure:
    """An indicator's trend as every place shows it (the page's panel and the board pack): the chart, its table
    and CSV, and the sentence that states the finding, worked out once so the two never say different things."""

    indicator_id: str
    title: str
    subtitle: str
    y_title: str
    hackney: pd.DataFrame
    comparators: pd.DataFrame
    table: pd.DataFrame
    description: str
    axis_range: charts.AxisRange | None = None  # trend_axis: None starts the value axis at 0

    @property
    def alt_text(self) -> str:
        return f"{self.title}. {self.description}"

    @property
    def file_stem(self) -> str:
        return f"{self.indicator_id}-trend"

    def chart(self) -> alt.Chart:
        ind = catalogue.INDICATORS[self.indicator_id]
        return charts.trend(
            self.hackney,
            self.title,
            self.y_title,
            self.comparators,
            value_format=f",.{ind.dps}f",
            subtitle=self.subtitle,
            axis_range=self.axis_range,
        )


@per_bundle
def trend_figure(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> TrendFigure | None:
    """The trend of one indicator up to the chosen quarter beside the chosen comparator (and England), or None
    when there is nothing to draw: Hackney has no figure yet, or every one is hidden, and no comparator is drawn."""
    ind = catalogue.INDICATORS[indicator_id]
    hackney, comps = trend(bundle, indicator_id, period_end, trend_comparators(comparator))
    if hackney["value"].isna().all() and comps.empty:
        return None  # nothing to draw: no figure yet, or every one hidden (no_trend_words says which)
    if ind.reference == catalogue.ANNUAL_31_MARCH:
        subtitle = "Once a year, at 31 March: Hackney (solid blue line)"
    else:
        subtitle = "Quarter by quarter: Hackney (solid blue line)"
    if not comps.empty:  # only where comparators are drawn
        subtitle += "; published comparators once a year (dashed)"
    axis, axis_words = trend_axis(indicator_id, hackney["value"], comps.get("value"))
    return TrendFigure(
        indicator_id=indicator_id,
        title=ind.label,
        subtitle=subtitle + axis_words,
        axis_range=axis,
        y_title=ind.unit if ind.unit != "%" else "Per cent",
        hackney=hackney,
        comparators=comps,
        table=trend_table(hackney, comps, indicator_id),
        description=describe_trend(hackney, comps, indicator_id),
    )


@per_bundle
def no_trend_words(bundle: Bundle, indicator_id: str, period_end: dt.date) -> str:
    """Why an indicator has no trend to draw up to the quarter: every figure hidden, or none yet."""
    label = catalogue.INDICATORS[indicator_id].label.lower()
    hackney, _ = trend(bundle, indicator_id, period_end, [])
    if (hackney["symbol"] == "c").any():
        return (
            f"Every figure for {label} up to this quarter is hidden (shown as c), to protect a small number of"
            " children: no chart is drawn."
        )
    return f"No figures for {label} up to this quarter."


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


# Why a quarter has no figure, by its symbol (catalogue.SYMBOLS), as the trend's sentence says it.
_HIDDEN = "hidden, to protect a small number of children"
_WHY_NO_FIGURE = {"c": _HIDDEN, "x": "not available", "z": "not applicable"}


def describe_trend(hackney: pd.DataFrame, comparators: pd.DataFrame, indicator_id: str) -> str:
    """A sentence for screen readers and the chart's caption: where the series started, where it is now."""
    ind = catalogue.INDICATORS[indicator_id]
    known = hackney[hackney["value"].notna()]
    if known.empty:
        if (hackney["symbol"] == "c").any():
            return f"Hackney's figures for {ind.label.lower()} are {_HIDDEN}."
        return f"No figures for {ind.label.lower()} yet."
    first, last = known.iloc[0], known.iloc[-1]
    text = _trend_finding(known, comparators, ind)
    latest = hackney.iloc[-1]
    if latest["period_end"] != last["period_end"] and isinstance(latest["symbol"], str):
        # The latest quarter's figure is hidden or not available: say so first, and that the finding is of the
        # last quarter shown, which would otherwise read as the current one.
        why = _WHY_NO_FIGURE.get(latest["symbol"], catalogue.SYMBOLS.get(latest["symbol"], "not shown").lower())
        said = f"In {last['label']}, the latest shown: {text[0].lower()}{text[1:]}" if text else ""
        text = f"The figure for {latest['label']} is {why}. {said}"
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


def _total_rows(bundle: Bundle, dataset: str, measure: str, period_end: dt.date) -> pd.DataFrame:
    counts = bundle.safe_counts[dataset]
    return counts[
        (counts["measure"] == measure)
        & (counts["breakdown_topic"] == TOTAL)
        & (counts["period_end"] <= pd.Timestamp(period_end))
    ]

"""Altair chart builders with one theme and a colour-blind-safe palette (Okabe-Ito). No streamlit.

Charts never rely on colour alone: series also differ by point shape or stroke dash, and every chart has a title
that says what it shows and axes with units. Callers aggregate first: the rows sent to a chart stay small.
"""

from __future__ import annotations

import math
import textwrap

import altair as alt
import pandas as pd

# Okabe & Ito (2008), safe for the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HACKNEY = "#0072B2"
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
STATUS_COLOURS = {
    "Complete": "#009E73",
    "On track": "#56B4E9",
    "Not started": "#BBBBBB",
    "At risk": "#E69F00",
    "Off track": "#D55E00",
}
FONT = "Source Sans Pro, Arial, sans-serif"


THEME = "cpb-dash"


@alt.theme.register(THEME, enable=True)
def _theme() -> alt.theme.ThemeConfig:
    """Fonts, sizes and colours for every chart, merged in when a chart becomes a spec (cheaper than configuring
    each chart). No default view size: Streamlit sizes charts to their column, and the board pack sets a width."""
    return {
        "config": {
            "font": FONT,
            "title": {"fontSize": 15, "anchor": "start", "subtitleColor": "#4A5563", "subtitleFontSize": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#E5E7EB", "labelColor": "#1B1F24"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "labelLimit": 360},
            "view": {"strokeWidth": 0},
        }
    }


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart as a Vega-Lite spec (a plain dict, data inline), with this module's theme. Pages cache these per
    store version and quarter, so a rerun sends a spec without rebuilding or re-validating the chart."""
    if alt.theme.active != THEME:
        alt.theme.enable(THEME)
    return chart.to_dict()


def _title(text: str, subtitle: str | list[str] | None = None, width: int = 40) -> alt.TitleParams:
    """A chart title and subtitle wrapped onto lines (Vega does not wrap titles: a long one is cut off at the
    chart's edge). The widths fit a phone (390 px wide): the subtitle may say something a reader needs, such as
    that the axis does not start at 0, so none of it may be cut off."""
    lines = textwrap.wrap(text, width) or [text]
    if isinstance(subtitle, str) and subtitle:
        subtitle = textwrap.wrap(subtitle, 56) or subtitle
    elif isinstance(subtitle, list):
        subtitle = [part for line in subtitle for part in (textwrap.wrap(line, 56) or [line])]
    return alt.TitleParams(lines if len(lines) > 1 else text, subtitle=subtitle or "")


def quarter_axis(*frames: pd.DataFrame | None) -> alt.Axis:
    """The time axis: with a few quarters, a label at each quarter end (about seven ticks over two quarters gave
    'Jul 2026' twice and 'Aug 2026' three times); with many, about seven labels, on nice dates."""
    days = sorted({pd.Timestamp(d) for f in frames if f is not None and not f.empty for d in f["period_end"].dropna()})
    if 0 < len(days) <= MAX_QUARTER_LABELS:
        values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in days]
        return alt.Axis(format="%b %Y", labelAngle=0, values=values)
    return alt.Axis(format="%b %Y", labelAngle=0, tickCount=7)


MAX_QUARTER_LABELS = 8  # quarter ends labelled one by one up to this many; "Sep 2026" is about 50 px at 11 px


def _value_axis(value_format: str, zero: bool, *values: pd.Series | None):
    """Whole numbers (counts) are never ticked at halves: 0.5 of a child reads as a figure. Over a short range (3
    and 4 children) Vega ticked 3.0, 3.5, 4.0 despite tickMinStep, so there each whole number is given; otherwise
    tickMinStep. (Undefined, not None, for other figures: None would draw no axis at all.)"""
    if not value_format.endswith(".0f"):
        return alt.Undefined
    known = pd.concat([v for v in values if v is not None]).dropna()
    if not known.empty:
        low = math.floor(min(known.min(), 0) if zero else known.min())
        high = math.ceil(known.max())
        if high - low <= SHORT_RANGE:
            return alt.Axis(values=list(range(low, max(high, low + 1) + 1)), format=",d")
    return alt.Axis(tickMinStep=1)


SHORT_RANGE = 6  # whole-number axes spanning at most this many units get a tick at each whole number

AxisRange = tuple[float, float, float]  # (lowest, highest, step) of a value axis, each tick labelled


def rate_axis(values: pd.Series, whole: bool) -> AxisRange | None:
    """The value axis of a rate's or a percentage's trend, zoomed in on its movement: from the round number at or
    below the lowest figure to the one at or above the highest, in steps of 1, 2 or 5 times a power of ten (at
    least 1 when the figures are whole numbers, `whole`) giving about five intervals. None when that axis would
    reach 0, or there is no figure: the axis then starts at 0. Worked out here rather than left to Vega's rounding,
    which reached 0 for some and not others, so a chart says "the axis does not start at 0" only when it does not."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    known = known[known.map(math.isfinite)]
    if known.empty:
        return None
    low, high = float(known.min()), float(known.max())
    span = (high - low) or abs(high) / 10 or 1.0
    magnitude = 10 ** math.floor(math.log10(span / 5))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= span / 5)
    step = max(step, 1.0) if whole else step
    bottom, top = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if bottom == top:
        bottom, top = bottom - step, top + step
    if bottom <= 0:
        return None
    return round(bottom, 10), round(top, 10), step


def trend(
    series: pd.DataFrame,
    title: str,
    y_title: str,
    comparators: pd.DataFrame | None = None,
    subtitle: str | None = None,
    value_format: str = ",.0f",
    axis_range: AxisRange | None = None,
) -> alt.LayerChart:
    """Hackney's quarterly series (period_end, value, label) and annual comparator points (period_end, value,
    area, label) on one time axis. Comparator points carry their reference date in the tooltip. The value axis
    starts at 0, unless `axis_range` (rate_axis) is given: exactly that axis, each step labelled, and the caller's
    subtitle must say that it does not start at 0. Never Vega's own zoom, whose start nobody could state."""
    hackney = series.assign(area="Hackney (quarterly)")
    if axis_range is None:
        scale = alt.Scale(zero=True)
        value_axis = _value_axis(
            value_format, True, series["value"], None if comparators is None else comparators.get("value")
        )
    else:
        bottom, top, step = axis_range
        scale = alt.Scale(domain=[bottom, top], nice=False, zero=False)
        ticks = [round(bottom + i * step, 10) for i in range(round((top - bottom) / step) + 1)]
        value_axis = alt.Axis(values=ticks)
    base_x = alt.X("period_end:T", title="Quarter end", axis=quarter_axis(series, comparators))
    line = (
        alt.Chart(hackney)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=45), color=HACKNEY, strokeWidth=2.5)
        .encode(
            x=base_x,
            y=alt.Y(
                "value:Q",
                title=y_title,
                scale=scale,
                axis=value_axis,
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Quarter"),
                alt.Tooltip("value:Q", title=y_title, format=value_format),
            ],
        )
    )
    layers: list[alt.Chart] = [line]
    if comparators is not None and not comparators.empty:
        areas = sorted(comparators["area"].unique())
        colours = PALETTE[1 : 1 + len(areas)]
        points = (
            alt.Chart(comparators)
            .mark_line(strokeDash=[4, 3], strokeWidth=1.5, point=alt.OverlayMarkDef(size=70, filled=False))
            .encode(
                x=base_x,
                y=alt.Y("value:Q"),
                color=alt.Color("area:N", title="Published comparators", scale=alt.Scale(domain=areas, range=colours)),
                shape=alt.Shape("area:N", scale=alt.Scale(domain=areas, range=SHAPES[1 : 1 + len(areas)]), legend=None),
                tooltip=[
                    alt.Tooltip("area:N", title="Area"),
                    alt.Tooltip("label:N", title="Published"),
                    alt.Tooltip("value:Q", title=y_title, format=value_format),
                ],
            )
        )
        layers.append(points)
    chart = alt.layer(*layers).properties(
        title=_title(title, subtitle or "Hackney quarterly (solid blue line)"),
        height=280,
        width="container",
    )
    return chart


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    x_title: str,
    subtitle: str | None = None,
    value_format: str = ",.0f",
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """Horizontal bars, one per category, labelled with their value (or symbol) so colour carries nothing alone.

    `frame` needs columns category, value and `shown` (the text label: a formatted figure or a symbol).
    """
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", title=None, sort=sort or "-x", axis=alt.Axis(labelLimit=320)),
    )
    bar = base.mark_bar(color=HACKNEY).encode(
        x=alt.X(f"{value}:Q", title=x_title),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip("shown:N", title=x_title)],
    )
    text = base.mark_text(align="left", dx=4, color="#1B1F24", fontSize=12).encode(
        x=alt.X(f"{value}:Q"),
        text="shown:N",
    )
    chart = alt.layer(bar, text).properties(
        title=_title(title, subtitle),
        height=alt.Step(30),
        width="container",
    )
    return chart


def stacked_status(frame: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Actions per priority by status (frame: priority_label, status, actions)."""
    order = list(STATUS_COLOURS)
    chart = (
        alt.Chart(frame)
        .mark_bar(height=22, stroke="white", strokeWidth=1)
        .encode(
            # Short labels, capped: on a phone a long priority title left the bars no room (the table has it all).
            y=alt.Y("priority_label:N", title=None, axis=alt.Axis(labelLimit=170, labelOverlap=False)),
            x=alt.X("actions:Q", title="Number of actions", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "status:N",
                title="Status",
                sort=order,
                legend=alt.Legend(columns=2, orient="bottom"),
                scale=alt.Scale(domain=order, range=[STATUS_COLOURS[s] for s in order]),
            ),
            order=alt.Order("status_order:Q"),
            tooltip=["priority_label:N", "status:N", alt.Tooltip("actions:Q", title="Actions")],
        )
    )
    labels = (
        alt.Chart(frame[frame["actions"] > 0])
        .mark_text(color="#1B1F24", fontSize=11, dx=-8, align="right")
        .encode(
            y="priority_label:N",
            x=alt.X("actions:Q", stack="zero"),
            order=alt.Order("status_order:Q"),
            text=alt.Text("actions:Q"),
            detail="status:N",
        )
    )
    return alt.layer(chart, labels).properties(
        # Streamlit fits title, axis and legend into this height too: on a phone the title wraps to three lines
        # and the legend to three rows, so 56 pixels a priority plus 260 for them keeps every priority's label
        # (Vega drops labels that would overlap: at 40 a priority, 2 and 4 went missing at 390 px).
        title=_title(title, subtitle),
        height=56 * frame["priority_label"].nunique() + 260,
        width="container",
    )


# ---------------------------------------------------------------------------------------------------------------
# Care population
# ---------------------------------------------------------------------------------------------------------------

DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 2]]


def lines(
    frame: pd.DataFrame,
    series: str,
    value: str,
    title: str,
    y_title: str,
    subtitle: str | list[str] | None = None,
    value_format: str = ",.0f",
    order: list[str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    zero: bool = True,
    height: int = 300,
) -> alt.LayerChart:
    """Several quarterly series on one time axis (frame: period_end, label, `series`, `value`, shown), told apart
    by colour, point shape and stroke dash, so none relies on colour. An optional horizontal reference line
    (e.g. 1.0 = parity) is drawn and labelled."""
    names = order or list(dict.fromkeys(frame[series]))
    # One legend, shared by colour, shape and dash (identical settings let Vega-Lite merge them).
    # Long names (ethnic groups) one to a line: side by side, a phone cut them off after a few letters.
    long_names = max((len(str(n)) for n in names), default=0) > 24
    columns = 1 if long_names else min(3, len(names))
    if long_names:
        height += 20 * (len(names) - 1)
    legend = alt.Legend(
        title=None, orient="bottom", columns=columns, symbolStrokeWidth=2, symbolSize=90, labelLimit=320
    )
    x = alt.X("period_end:T", title="Quarter end", axis=quarter_axis(frame))
    chart = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=x,
            y=alt.Y(
                f"{value}:Q",
                title=y_title,
                scale=alt.Scale(zero=zero),
                axis=_value_axis(value_format, zero, frame[value]),
            ),
            color=alt.Color(
                f"{series}:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=PALETTE[: len(names)])
            ),
            shape=alt.Shape(
                f"{series}:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=SHAPES[: len(names)])
            ),
            strokeDash=alt.StrokeDash(
                f"{series}:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=DASHES[: len(names)])
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Quarter"),
                alt.Tooltip(f"{series}:N", title="Series"),
                alt.Tooltip("shown:N", title=y_title),
            ],
        )
    )
    layers: list[alt.Chart] = [chart]
    if reference is not None:
        ref = pd.DataFrame({"y": [reference], "text": [reference_label or f"{reference:g}"]})
        layers.append(alt.Chart(ref).mark_rule(color="#1B1F24", strokeDash=[2, 2], strokeWidth=1.5).encode(y="y:Q"))
        layers.append(
            alt.Chart(ref)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-3, color="#1B1F24", fontSize=12, x=0)
            .encode(y="y:Q", text="text:N")
        )
    # Streamlit fits the whole chart (title and legend included) to `height`: give the plot room.
    return alt.layer(*layers).properties(title=_title(title, subtitle), height=height, width="container")


OUTLINED_TINT = 0.15  # how much of its colour an outlined bar's fill keeps (the rest is white)


def tint(colour: str, share: float) -> str:
    """`colour` (#RRGGBB) mixed with white, keeping `share` of the colour."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - share * (255 - c)):02X}" for c in channels)


def share_comparison(
    frame: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    title: str,
    x_title: str,
    subtitle: str | list[str] | None = None,
    order: list[str] | None = None,
) -> alt.LayerChart:
    """Paired horizontal bars per category (e.g. share of children in care against share of all children), each
    labelled with its figure. The first series is drawn solid, the second hollow (outlined), so the pair reads
    without colour. `frame` needs category, series, value and `shown` (the label: a figure or a symbol)."""
    names = list(dict.fromkeys(frame[series]))
    colours = PALETTE[: len(names)]
    # The second series is filled with a pale tint of its colour rather than drawn with a fill opacity: Vega-Lite
    # draws legend symbols at full opacity, so only a tinted fill makes the legend show solid and outlined too.
    fills = [colour if i == 0 else tint(colour, OUTLINED_TINT) for i, colour in enumerate(colours)]
    legend = alt.Legend(title=None, orient="top", symbolStrokeWidth=2, symbolSize=160, labelLimit=320)
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset(f"{series}:N", sort=names),
    )
    bar = base.mark_bar(strokeWidth=2, height={"band": 0.85}).encode(
        x=alt.X(f"{value}:Q", title=x_title, axis=alt.Axis(tickCount=6)),
        color=alt.Color(f"{series}:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=fills)),
        stroke=alt.Stroke(f"{series}:N", sort=names, legend=legend, scale=alt.Scale(domain=names, range=colours)),
        tooltip=[
            alt.Tooltip(f"{category}:N", title="Group"),
            alt.Tooltip(f"{series}:N", title="Of"),
            alt.Tooltip("shown:N", title=x_title),
        ],
    )
    text = base.mark_text(align="left", dx=4, color="#1B1F24", fontSize=12).encode(
        x=alt.X(f"{value}:Q"),
        text="shown:N",
    )
    rows = frame[category].nunique()
    return alt.layer(bar, text).properties(
        title=_title(title, subtitle),
        height=max(200, 76 * rows),
        width="container",
    )


# ---------------------------------------------------------------------------------------------------------------
# Breakdowns of an indicator, and shares side by side with every bar labelled (workforce pages)
# ---------------------------------------------------------------------------------------------------------------


def breakdown_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    x_title: str,
    overall: str | None = None,
    subtitle: str | None = None,
    value_format: str = ",.1f",
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """Horizontal bars of one indicator by a breakdown (e.g. turnover by service area), each labelled with its
    figure or symbol; the `overall` row (e.g. "All service areas") in black, named on the axis as well.

    `frame` needs category, value (0 where a symbol is shown) and `shown`."""
    data = frame.assign(_kind=["Overall" if c == overall else "Breakdown" for c in frame[category]])
    domain = ["Breakdown", "Overall"]
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", title=None, sort=sort or list(frame[category]), axis=alt.Axis(labelLimit=320)),
    )
    top = float(frame[value].max()) if frame[value].notna().any() else 1.0
    bar = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X(f"{value}:Q", title=x_title, scale=alt.Scale(domain=[0, max(top, 1e-9) * 1.18])),
        color=alt.Color("_kind:N", scale=alt.Scale(domain=domain, range=[HACKNEY, "#000000"]), legend=None),
        tooltip=[alt.Tooltip(f"{category}:N", title="Breakdown"), alt.Tooltip("shown:N", title=x_title)],
    )
    text = base.mark_text(align="left", dx=4, color="#1B1F24", fontSize=12).encode(
        x=alt.X(f"{value}:Q"),
        text="shown:N",
    )
    chart = alt.layer(bar, text).properties(
        title=_title(title, subtitle),
        height=alt.Step(28),
        width="container",
    )
    return chart


def labelled_grouped_bars(
    frame: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    label: str,
    title: str,
    x_title: str,
    subtitle: str | None = None,
    value_format: str = ",.0f",
) -> alt.LayerChart:
    """Shares side by side, one group of bars per category (e.g. ethnic group) and one bar per series (e.g.
    managers, all social workers, children in care). Colour is never alone: each bar is labelled with its
    series' name and figure (`label`, e.g. "Managers 16%"), and hidden figures show their symbol."""
    names = list(dict.fromkeys(frame[series]))
    top = float(frame[value].max()) if frame[value].notna().any() else 1.0
    base = alt.Chart(frame).encode(
        y=alt.Y(
            f"{category}:N",
            title=None,
            sort=list(dict.fromkeys(frame[category])),
            axis=alt.Axis(labelLimit=240, labelFontWeight="bold"),
        ),
        yOffset=alt.YOffset(f"{series}:N", sort=names),
    )
    bars_layer = base.mark_bar(height={"band": 0.85}).encode(
        x=alt.X(f"{value}:Q", title=x_title, scale=alt.Scale(domain=[0, top * 1.45], nice=False)),
        color=alt.Color(
            f"{series}:N", title=None, sort=names, scale=alt.Scale(domain=names, range=PALETTE[: len(names)])
        ),
        tooltip=[
            alt.Tooltip(f"{category}:N", title="Group"),
            alt.Tooltip(f"{series}:N", title="Who"),
            alt.Tooltip(f"{label}:N", title=x_title),
        ],
    )
    text = base.mark_text(align="left", dx=4, color="#1B1F24", fontSize=11).encode(
        x=alt.X(f"{value}:Q"),
        text=f"{label}:N",
    )
    # Streamlit fits the whole chart (title, axis and legend too) into this height: leave each bar 20 pixels.
    height = 20 * len(frame) + 14 * frame[category].nunique() + 170
    chart = alt.layer(bars_layer, text).properties(
        title=_title(title, subtitle),
        height=height,
        width="container",
    )
    return chart

"""Care population page pieces: the flows into and out of care, the breakdown topic picker (kept in the URL),
and the ethnicity of children in care against Hackney's 0-17 population (disproportionality)."""

from __future__ import annotations

import streamlit as st

from cpb_dash import catalogue, charts, periods, views
from cpb_dash.ui import components, layout
from cpb_dash.ui.layout import PageContext

TOPIC_KEY = "topic"  # also the query parameter name: ?topic=Ethnicity


HEADLINES = ("cla_count", "cla_rate_per_10k", "cla_started_count", "cla_ceased_count")


def headlines(ctx: PageContext) -> None:
    """The number in care, the rate, and the quarter's flows in and out, each with its changes (two to a row:
    four across cuts off '64 per 10,000' at 1280 pixels)."""
    components.headline_grid(
        [views.headline_view(ctx.bundle, i, ctx.period, ctx.comparator) for i in HEADLINES],
        columns=2,
    )


def children_in_care_trends(ctx: PageContext) -> None:
    """The rate (comparable with other areas) with the published comparators, then the number."""
    components.trend_panel(ctx, "cla_rate_per_10k")
    components.trend_panel(ctx, "cla_count")


def topic_choice() -> str:
    """Which breakdown of children in care to show; seeded from the URL so a link can open on one topic."""
    return layout.radio_in_url(
        "Break children in care down by",
        list(views.CARE_TOPICS),
        TOPIC_KEY,
        help="Each breakdown is for the chosen quarter. Small numbers are hidden (shown as 'c') to protect children.",
    )


def care_breakdown(ctx: PageContext) -> None:
    components.breakdown_panel(ctx, views.CARE, "cla", topic_choice())
    components.symbols_legend(ctx.bundle.threshold)


def flows_panel(ctx: PageContext) -> None:
    """Children starting and leaving care in each quarter: two lines, told apart by shape and dash."""
    flows = views.care_flows(ctx.bundle, ctx.period)
    if flows.empty:
        st.info("No figures for children starting or leaving care up to this quarter.")
        return
    title = "Children starting and leaving care, each quarter"
    chart = lambda: charts.lines(  # noqa: E731 - built only when not memoised
        flows,
        "flow",
        "value",
        title,
        "Children in the quarter",
        subtitle="Started care: solid line, circles. Left care: dashed line, squares.",
        order=list(views.FLOWS.values()),
        height=340,
    )
    components.chart_with_table(
        chart,
        views.flows_table(flows),
        title,
        views.describe_flows(flows),
        file_stem="cla-started-and-left",
        memo=(ctx.bundle, ("flows", ctx.period)),
    )


def ethnicity_panel(ctx: PageContext) -> None:
    """The chosen quarter: share of children in care against share of all children aged 0 to 17, and the ratio."""
    rows = views.ethnicity_against_population(ctx.bundle, ctx.period)
    if rows.empty:
        st.info(f"No breakdown by ethnicity was published for {periods.short_quarter_label(ctx.period)}.")
        return
    title = f"Ethnicity of children in care and of all children aged 0 to 17, {periods.stock_label(ctx.period)}"
    data = views.ethnicity_chart_data(rows)
    chart = lambda: charts.share_comparison(  # noqa: E731 - built only when not memoised
        data.assign(plot_value=data["share_pct"].fillna(0)),
        "group",
        "series",
        "plot_value",
        title,
        "Share of the group (%)",
        subtitle=[
            "Solid bars: children in care. Outlined bars: all Hackney children aged 0 to 17 (ONS",
            "estimate, Census 2021 ethnic shares). 'c': hidden to protect children's privacy.",
        ],
        order=list(catalogue.POPULATION_ETHNICITIES),
    )
    components.chart_with_table(
        chart,
        views.ethnicity_table(rows),
        title,
        views.describe_ethnicity(rows),
        file_stem="cla-ethnicity-against-population",
        memo=(ctx.bundle, ("cla-ethnicity", ctx.period)),
    )
    unrecorded = views.unrecorded_ethnicity(ctx.bundle, ctx.period)
    st.caption(views.POPULATION_NOTE)
    st.caption(
        f"Children in care whose ethnicity was refused or not yet recorded"
        f" {periods.stock_label(ctx.period)}: **{unrecorded}**."
    )


def disproportionality_trend_panel(ctx: PageContext) -> None:
    """The ratio per ethnic group over the quarters, against the parity line at 1.0."""
    trend_rows = views.disproportionality_trend(ctx.bundle, ctx.period)
    if trend_rows.empty:
        st.info("No ratios up to this quarter.")
        return
    title = "Over-representation in care by ethnic group, quarter by quarter"
    chart = lambda: charts.lines(  # noqa: E731 - built only when not memoised
        trend_rows,
        "group",
        "ratio",
        title,
        "Ratio (1.0 = parity)",
        subtitle=[
            "Share of children in care ÷ share of all children aged 0 to 17. Above the dotted line (1.0):",
            "over-represented in care. A gap in a line: hidden ('c') to protect children's privacy.",
        ],
        value_format=",.2f",
        order=list(catalogue.POPULATION_ETHNICITIES),
        reference=1.0,
        reference_label="1.0 = parity",
        height=440,
    )
    components.chart_with_table(
        chart,
        views.disproportionality_trend_table(trend_rows),
        title,
        views.describe_disproportionality_trend(trend_rows),
        file_stem="cla-ethnicity-ratio-trend",
        memo=(ctx.bundle, ("cla-ethnicity-ratio-trend", ctx.period)),
    )


def missing_context(ctx: PageContext) -> None:
    """The counts behind the return-interview rate, for the chosen quarter."""
    counts = views.quarter_counts(
        ctx.bundle, views.CARE, ("missing_episodes", "rhi_offered", "rhi_accepted"), ctx.period
    )
    st.markdown(
        f"In {periods.short_quarter_label(ctx.period)}: **{counts['missing_episodes']}** episodes in which a child"
        f" in care went missing; a return home interview was offered after **{counts['rhi_offered']}** and"
        f" accepted after **{counts['rhi_accepted']}**. A return home interview is an independent conversation"
        " with the child after they come back, to understand why they went missing and keep them safe."
    )

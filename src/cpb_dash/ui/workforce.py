"""Workforce stability page pieces: an indicator by service area, and workforce ethnicity by role (the
anti-racist lens) against all social workers, Hackney's population and the children in care."""

from __future__ import annotations

import streamlit as st

from cpb_dash import catalogue, charts, periods, views
from cpb_dash.ui import blocks, layout
from cpb_dash.ui.components import chart_with_table, table_block_html
from cpb_dash.ui.layout import PageContext

# The page's sections, one per measure: (heading, indicator).
SECTIONS = (
    ("Social workers in post", "inpost_fte"),
    ("Turnover", "turnover_pct"),
    ("Agency social workers", "agency_pct"),
    ("Vacancies", "vacancy_pct"),
    ("Caseload", "caseload_avg"),
    ("Sickness absence", "absence_pct"),
)
AREA_MEASURE_KEY = "area_measure"  # also the query parameter name: ?area_measure=Turnover

AXIS_TITLES = {
    "%": "Per cent",
    "FTE": "Full-time equivalent (FTE)",
    "cases per social worker": "Cases per social worker",
}


def _axis_title(ind: catalogue.Indicator) -> str:
    return AXIS_TITLES.get(ind.unit, ind.unit)


def service_area_panel(ctx: PageContext, indicator_id: str) -> None:
    """One workforce indicator for each service area in the chosen quarter, worked out by the same formula as
    Hackney's overall figure from the service area's own counts."""
    ind = catalogue.INDICATORS[indicator_id]
    table = views.service_area_breakdown(ctx.bundle, indicator_id, ctx.period)
    if table.empty:
        st.info(f"No breakdown by service area was published for {periods.short_quarter_label(ctx.period)}.")
        return
    title = f"{ind.short_label} by service area, {periods.quarter_label(ctx.period)}"
    plotted = table.assign(plot_value=table["value"].fillna(0))
    chart = lambda: charts.breakdown_bars(  # noqa: E731 - built only when not memoised
        plotted,
        "service_area",
        "plot_value",
        title,
        _axis_title(ind),
        overall=views.ALL_SERVICE_AREAS,
        subtitle="Black bar: Hackney overall. 'c': hidden because a count behind it is small",
    )
    known = table[table["value"].notna() & (table["service_area"] != views.ALL_SERVICE_AREAS)]
    description = f"{ind.label} in each service area, worked out the same way as Hackney's overall figure."
    if not known.empty:
        high = known.loc[known["value"].idxmax()]
        low = known.loc[known["value"].idxmin()]
        description += (
            f" Highest: {high['service_area']} ({high['shown']}); lowest: {low['service_area']} ({low['shown']})."
        )
    hidden = int(table["symbol"].notna().sum())
    if hidden:
        description += f" {hidden} figure(s) hidden or unavailable (shown as a symbol)."
    column = ind.short_label if ind.unit in ind.short_label else f"{ind.short_label} ({ind.unit})"
    shown_table = table[["service_area", "shown"]].rename(columns={"service_area": "Service area", "shown": column})
    chart_with_table(
        chart,
        shown_table,
        title,
        description,
        file_stem=f"{indicator_id}-by-service-area",
        memo=(ctx.bundle, ("service-area", indicator_id, ctx.period)),
    )


def service_area_choice() -> str:
    """Which measure to chart by service area; seeded from the URL so a link can open on one measure."""
    labels = {catalogue.INDICATORS[i].short_label: i for i in views.WORKFORCE_INDICATORS}
    chosen = layout.radio_in_url(
        "Chart by service area",
        list(labels),
        AREA_MEASURE_KEY,
        help="Every measure for every service area is in the table below the chart.",
    )
    return labels[chosen]


def service_areas(ctx: PageContext) -> None:
    """One measure by service area as a chart (the visitor picks which: six charts at once made the page slow
    to draw and long to scroll), then every measure for every service area in one table, with a download."""
    service_area_panel(ctx, service_area_choice())
    table = views.service_area_summary(ctx.bundle, ctx.period)
    title = "Every measure by service area"
    blocks.show(
        f"<p><strong>{blocks.text(title)}</strong></p>" + table_block_html(table, title, "workforce-by-service-area")
    )


def _chart_frame(frame, names: dict[str, str]):
    """Shares for a labelled grouped bar chart: plot value 0 where hidden, the label names the series."""
    data = frame.assign(
        who=frame["series"].map(names),
        plot_value=frame["share_pct"].fillna(0),
    )
    data["label"] = [f"{who} {shown}" for who, shown in zip(data["who"], data["shown_share"], strict=True)]
    return data


def ethnicity_by_role(ctx: PageContext) -> None:
    """The anti-racist lens: who holds each grade, against all social workers, the population and the children
    in care, with the disproportionality ratio in the table."""
    frame = views.ethnicity_comparison(ctx.bundle, ctx.period)
    if frame.empty:
        st.info(f"No workforce ethnicity by role was published for {periods.short_quarter_label(ctx.period)}.")
        return
    when = periods.stock_label(ctx.period)

    roles = frame[frame["series"].isin([*catalogue.ROLES, views.ALL_SOCIAL_WORKERS])]
    role_names = {
        "Practitioner": "Practitioners",
        "Senior practitioner": "Senior practitioners",
        "Manager": "Managers",
        views.ALL_SOCIAL_WORKERS: "All social workers",
    }
    title = f"Social workers' ethnicity at each grade, {when}"
    chart = lambda: charts.labelled_grouped_bars(  # noqa: E731 - built only when not memoised
        _chart_frame(roles, role_names),
        "group",
        "who",
        "plot_value",
        "label",
        title,
        "Share of the grade's headcount (%)",
        subtitle="Each ethnic group's share of practitioners, senior practitioners and managers, and of all social"
        " workers. 'c': hidden (small number)",
    )
    table = views.workforce_ethnicity_table(ctx.bundle, ctx.period)
    managers = roles[(roles["series"] == "Manager") & roles["share_pct"].notna()]
    # The caption leads with the finding, computed from the figures (never written in by hand).
    finding = views.describe_role_ethnicity(ctx.bundle, ctx.period)
    description = (f"{finding} " if finding else "") + (
        "Share of each grade's social workers (headcount) in each ethnic group. A ratio above 1 means"
        " the group is a bigger share of that grade than of all social workers."
    )
    if not managers.empty:
        top = managers.loc[managers["share_pct"].idxmax()]
        description += f" The largest group among managers is {top['group']} ({top['shown_share']})."
    chart_with_table(
        chart,
        table,
        title,
        description,
        file_stem="workforce-ethnicity-by-role",
        memo=(ctx.bundle, ("workforce-ethnicity-by-role", ctx.period)),
    )

    compared = frame[
        frame["series"].isin([views.ALL_SOCIAL_WORKERS, views.POPULATION_LABEL, views.CHILDREN_IN_CARE_LABEL])
    ]
    names = {
        views.ALL_SOCIAL_WORKERS: "Social workers",
        views.POPULATION_LABEL: "Population",
        views.CHILDREN_IN_CARE_LABEL: "Children in care",
    }
    title = f"Social workers, Hackney's population and children in care by ethnicity, {when}"
    chart = lambda: charts.labelled_grouped_bars(  # noqa: E731 - built only when not memoised
        _chart_frame(compared, names),
        "group",
        "who",
        "plot_value",
        "label",
        title,
        "Share (%)",
        subtitle="Population: Census 2021, all ages, as the DfE publishes it beside the workforce (not children,"
        " not working age)",
    )
    wide = (
        compared.pivot(index="group", columns="series", values="shown_share")
        .reindex(index=list(catalogue.POPULATION_ETHNICITIES), columns=list(names))
        .reset_index()
    )
    wide.columns = [
        "Ethnic group",
        "All social workers (headcount)",
        "Population (Census 2021, all ages)",
        "Children in care",
    ]
    description = (
        "Each ethnic group's share of Hackney's social workers, of Hackney's residents of all ages"
        " (Census 2021) and of the children in Hackney's care at the quarter end. The ratios are in"
        " the chart above's table (under its 'Show as table')."
    )
    chart_with_table(
        chart,
        wide,
        title,
        description,
        file_stem="workforce-population-children-in-care-ethnicity",
        memo=(ctx.bundle, ("workforce-population-comparison", ctx.period)),
    )
    st.caption(
        "Shares of headcount include staff whose ethnicity was refused or not yet recorded; the ratios leave that"
        " group out because the population has no such group. Population: Census 2021, all ages (the comparator"
        " the DfE publishes); a working-age population would be a fairer comparator for staff, and the 0 to 17"
        " population for children."
    )

"""Reusable page pieces: headline cards, the one chart-with-table component, downloads, the symbols legend."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from cpb_dash import board_notes, catalogue, views
from cpb_dash.export import csv_bytes
from cpb_dash.formatting import format_value
from cpb_dash.indicators import BETTER, SAME, WORSE
from cpb_dash.ui.chart_image import chart_image
from cpb_dash.ui.static_table import static_table
from cpb_dash.views import Bundle, HeadlineView

_SAID_KEY = "_abbreviations_said"  # the abbreviations this run of the page has already spelled out


def new_page() -> None:
    """Called by layout.page_setup at the top of every run: no abbreviation has been spelled out yet."""
    st.session_state[_SAID_KEY] = set()


def plain(text: str) -> str:
    """`text` with each abbreviation spelled out inline the first time the page uses it (views.spell_out), so a
    councillor never meets 'EET' or 'FTE' unexplained, and never the same explanation twice."""
    return views.spell_out(text, st.session_state.setdefault(_SAID_KEY, set()))


VERDICT_STYLE = {
    # Never colour alone: the word travels with the colour.
    BETTER: ("green", "better"),
    WORSE: ("red", "worse"),
    SAME: ("gray", "no change"),
}


def verdict_markdown(text: str, verdict: str) -> str:
    colour, word = VERDICT_STYLE.get(verdict, ("gray", ""))
    suffix = f" ({word})" if word and word != "no change" else ""
    return f":{colour}[{text}{suffix}]"


RATING_STYLE = {
    # Never colour alone: the words travel with the colour, and an icon with both.
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/error:"),
    "red": ("red", ":material/cancel:"),
    "gray": ("gray", ":material/remove:"),
}


def rating_markdown(view: HeadlineView) -> str | None:
    """The verdict on where Hackney stands, as a coloured badge with its words (the only colour on a card)."""
    if view.rating is None:
        return None
    colour, icon = RATING_STYLE.get(view.rating.colour, RATING_STYLE["gray"])
    # A highlighted phrase, not a badge: a badge cuts long words off with an ellipsis in a narrow card.
    return f":{colour}-background[{icon} **{view.rating.words}**]"


def change_words(view: HeadlineView) -> str:
    """'-3.0 points since last quarter (better); -10.2 points since last year (better)': each change once, judged
    in words, never in colour (colour is the verdict's). An annual figure has only the change since last year."""

    def judged(text: str, verdict: str) -> str:
        word = VERDICT_STYLE.get(verdict, ("", ""))[1]
        return text + (f" ({word})" if word and word != "no change" else "")

    parts = []
    if view.indicator.reference != catalogue.ANNUAL_31_MARCH:
        parts.append(judged(view.quarter_change, view.quarter_verdict))
    parts.append(judged(view.year_change, view.year_verdict))
    return "; ".join(parts)


def headline_card(view: HeadlineView, compact: bool = False) -> None:
    """A headline, each fact once: the figure; the verdict (against the target, or else the comparator and
    quartile band) in colour with words; the comparator's figure and rank; the change over time in words only
    (grey), so an improving figure that is still among the worst never reads as good."""
    ind = view.indicator
    with st.container(border=True):
        # The figure alone: the changes over time are one line of words below (a delta's description is cut off
        # in a narrow card, and with it the word saying whether the change is better or worse).
        # The label as text above the figure: a metric's own label is cut off with an ellipsis in a narrow card,
        # and the first card to use an abbreviation spells it out ("Care leavers in education, ... (EET)").
        st.markdown(plain(ind.short_label), help=ind.definition)
        st.metric(ind.short_label, view.figure, label_visibility="collapsed")
        st.caption(f"Figure {view.when}")
        badge = rating_markdown(view)
        if badge:
            st.markdown(badge)
        if view.target is not None and not compact:
            # Officers' words: shown as text, never as markdown.
            from cpb_dash import periods

            who = f"Target set by {view.target.set_by}, from {periods.short_quarter_label(view.target.applies_from)}"
            st.text(who + (f": {view.target.rationale}" if view.target.rationale else "."))
        if view.comparison is not None:
            comp = view.comparison
            line = f"{comp.name}: **{comp.shown}** ({comp.date_label})"
            if view.rank is not None and view.rank[0] is not None:
                rank, of, band = view.rank
                line += f"  \nHackney ranked {rank} of {of} councils"
                if band and (view.rating is None or view.rating.basis != "comparator"):
                    line += f", {board_notes.BAND_WORDS.get(band, band)}"
                line += f" ({comp.year}; 1 = best)"
            st.markdown(line)
        elif not ind.published:
            st.markdown(":gray[Local measure: no published comparator]")
        st.markdown(f":gray[Change over time: {change_words(view)}]")


def commentary_box(ctx, area: str, collapsed: bool = False) -> None:
    """The officers' commentary for the area and quarter, as plain text (never markdown or HTML), with its
    author's role. Nothing when none was published."""
    found = views.commentary(ctx.bundle, area, ctx.period)
    if found is None:
        return
    text, role = found
    if collapsed:
        with st.expander(f"Commentary from the {role}", icon=":material/chat:"):
            st.text(text)
        return
    with st.container(border=True, key=f"commentary-{area}"):
        st.markdown("**Commentary: what the figures mean and what is being done**")
        st.text(text)
        st.text(f"Written by: {role}")


def comparator_table(ctx, area: str) -> None:
    """Hackney beside every published comparator, rank and quartile band, for the quarter's reference date: shown
    open (a director compares without a click), as one compact table that scrolls sideways on a phone."""
    table = views.comparator_grid(ctx.bundle, area, ctx.period)
    if table.empty:
        return
    with st.container(key=f"comparators-{area}"):
        st.markdown("**How Hackney compares with every comparator**")
        # Hackney and the comparators first, the date last: on a phone the measure stays pinned at the left and
        # the figures scroll beside it.
        order = [c for c in table.columns if c != "Published at"] + ["Published at"]
        # The table may be the page's first use of an abbreviation (EET, NEET, SGO): its row spells it out.
        shown = table[order].assign(Measure=table["Measure"].map(plain))
        static_table(shown, "How Hackney compares with every comparator")
        st.caption(
            plain(
                "Published by the DfE once a year, at the date in 'Published at'. Rank 1 is the best of all"
                " councils; band A is the best quarter of councils. A measure where neither higher nor lower is"
                " better has no rank."
            )
        )


def linked_actions(ctx, indicator_id: str) -> None:
    """The action plan's actions meant to move this indicator (catalogue.INDICATOR_OBJECTIVES)."""
    actions = views.actions_for_indicator(ctx.bundle, indicator_id, ctx.chosen or ctx.period)
    if actions.empty:
        return
    with st.expander(f"Actions meant to move this ({len(actions)})", icon=":material/checklist:"):
        # Plain text lines (the action plan's own words, never markdown), and cheap to draw: no table widget.
        for row in actions.itertuples(index=False):
            st.text(f"{row.action_id} ({row.status}): {row.action} Lead: {row.lead}.")
        st.page_link("pages/4_Action_plan.py", label="The whole action plan", icon=":material/arrow_forward:")


def headline_grid(views: list[HeadlineView], columns: int = 4, compact: bool = False) -> None:
    """Cards in rows of `columns`. `compact` (the Overview): the figure, verdict, comparator and change only; the
    target's author and rationale are on the area's page."""
    # One row of columns at a time: on a phone the columns stack, and row by row keeps the cards in their order
    # (one set of columns for all would put the first column's cards first: 1, 3, 2, 4).
    for start in range(0, len(views), columns):
        for col, view in zip(st.columns(columns), views[start : start + columns], strict=False):
            with col:
                headline_card(view, compact=compact)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def csv_download(table: pd.DataFrame, stem: str) -> None:
    """A CSV of exactly the table shown (button key dl-<stem>). The file is made when the button is pressed, not
    on every rerun: a page with fifteen tables would otherwise write fifteen CSVs nobody asked for."""
    st.download_button(
        "Download CSV",
        functools.partial(csv_bytes, table.copy()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"dl-{stem}",
        icon=":material/download:",
        on_click="ignore",
    )


CHART_TAB, TABLE_TAB = "Chart", "Show as table"
VIEW_KEY_PREFIX = "view-"  # session-state key of a chart's tabs: view-<file stem>, value CHART_TAB or TABLE_TAB


def chart_with_table(
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
    table: pd.DataFrame,
    title: str,
    description: str,
    file_stem: str | None = None,
    memo: tuple[Bundle, tuple] | None = None,
) -> None:
    """The one way a chart is shown: chart tab, 'Show as table' tab, a sentence for screen readers, a CSV.

    Only the open tab is drawn (the tabs rerun the page when switched, key view-<stem>): the browser's time goes
    on drawing charts and tables, and a table nobody opened would cost as much as a chart. The chart is drawn
    unless the visitor asked for the table.

    `chart` may be a function that builds it; with `memo` = (bundle, key), the chart's spec is built once per
    store version and key (the key must name everything the chart depends on besides the bundle, e.g. the
    indicator, quarter and comparator), so a rerun or another visitor's view of the same quarter reuses it."""
    from cpb_dash import charts

    stem = file_stem or _slug(title)
    with st.container(key=f"chart-{stem}"):  # a stable handle (CSS class st-key-chart-<stem>) for links and tests
        chart_tab, table_tab = st.tabs([CHART_TAB, TABLE_TAB], key=f"{VIEW_KEY_PREFIX}{stem}", on_change="rerun")
        if table_tab.open:
            with table_tab:
                st.dataframe(table, hide_index=True, width="stretch")
        else:

            def build() -> dict:
                return charts.to_spec(chart if isinstance(chart, alt.TopLevelMixin) else chart())

            spec = build() if memo is None else views.remember(memo[0], ("chart-spec", *memo[1]), build)
            with chart_tab:
                # Drawn on the server as SVG and shown as an image: no charting code in the browser.
                chart_image(spec, f"{title}. {description}", stem)
                st.caption(description)
        csv_download(table, stem)


def symbols_legend(threshold: int) -> None:
    with st.expander("Symbols and suppression"):
        st.markdown("\n".join(f"- **{s}**: {meaning}" for s, meaning in catalogue.SYMBOLS.items()))
        st.caption(catalogue.SUPPRESSION_RULE.format(threshold=threshold))


def trend_panel(ctx, indicator_id: str) -> None:
    """An indicator's trend: Hackney's quarters with the published comparators, as chart and table."""
    figure = views.trend_figure(ctx.bundle, indicator_id, ctx.period, ctx.comparator)
    if figure is None:
        st.info(f"No figures for {catalogue.INDICATORS[indicator_id].label.lower()} up to this quarter.")
        return
    chart_with_table(
        figure.chart,
        figure.table,
        figure.title,
        plain(figure.description),
        file_stem=figure.file_stem,
        memo=(ctx.bundle, ("trend", indicator_id, ctx.period, ctx.comparator)),
    )


def what_this_means(indicator_id: str) -> None:
    ind = catalogue.INDICATORS[indicator_id]
    label = ind.short_label
    # Lower-case the first word unless it is an abbreviation (UASC, EET), which stays as written.
    first, _, rest = label.partition(" ")
    label = label if first.isupper() else f"{first.lower()} {rest}".strip()
    with st.expander(f"What this means: {label}"):
        polarity = {
            catalogue.HIGH: "Higher is better.",
            catalogue.LOW: "Lower is better.",
            catalogue.NEUTRAL: "Neither higher nor lower is better in itself: it is context.",
        }[ind.polarity]
        st.markdown(plain(f"{ind.definition}\n\n{polarity}"))
        if ind.reference_date:
            st.caption(f"Published comparators use the figure at {ind.reference_date} each year.")
        st.page_link(
            "pages/5_About_the_data.py", label="Definitions and sources: About the data", icon=":material/info:"
        )


def indicator_panel(ctx, indicator_id: str) -> None:
    """Headline card beside its trend, then what it means: the standard block for one indicator."""
    view = views.headline_view(ctx.bundle, indicator_id, ctx.period, ctx.comparator)
    card, chart = st.columns([1, 2.4])
    with card:
        headline_card(view)
    with chart:
        trend_panel(ctx, indicator_id)
    what_this_means(indicator_id)
    linked_actions(ctx, indicator_id)


def breakdown_panel(ctx, dataset: str, measure: str, topic: str) -> None:
    """A disclosure-controlled breakdown for the chosen quarter, as bars labelled with figures or symbols."""
    from cpb_dash import charts, periods

    table = views.breakdown_table(ctx.bundle, dataset, measure, topic, ctx.period)
    m = catalogue.MEASURES[measure]
    if table.empty:
        st.info(f"No breakdown by {topic.lower()} was published for {periods.short_quarter_label(ctx.period)}.")
        return
    title = f"{m.label} by {topic.lower()}, {periods.stock_label(ctx.period)}"
    plotted = table.assign(plot_value=table["value"].fillna(0))

    def chart() -> alt.Chart:
        return charts.bars(
            plotted,
            "breakdown",
            "plot_value",
            title,
            f"Number of {m.unit}",
            subtitle="'c': hidden to protect children's privacy; 'x': not available",
            sort=list(table["breakdown"]),
        )

    hidden = int(table["symbol"].notna().sum())
    largest = table.loc[table["value"].idxmax()] if table["value"].notna().any() else None
    description = f"{m.label} split by {topic.lower()}."
    if largest is not None:
        description += f" The largest group is {largest['breakdown']} ({largest['shown']})."
    if hidden:
        description += f" {hidden} figure(s) hidden or unavailable (shown as a symbol)."
    shown_table = pd.DataFrame(
        {
            topic: table["breakdown"],
            f"Number of {m.unit}": table["shown"],
            "Share of total": [("" if pd.isna(p) else format_value(p, "%", 0)) for p in table["share_pct"]],
        }
    )
    chart_with_table(
        chart,
        shown_table,
        title,
        description,
        file_stem=f"{measure}-by-{_slug(topic)}",
        memo=(ctx.bundle, ("breakdown", dataset, measure, topic, ctx.period)),
    )

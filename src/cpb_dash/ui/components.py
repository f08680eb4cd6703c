"""Reusable page pieces: headline cards, the one chart-with-table component, downloads, the symbols legend."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from cpb_dash import board_notes, catalogue, periods, views
from cpb_dash.export import csv_bytes
from cpb_dash.formatting import format_value
from cpb_dash.indicators import BETTER, SAME, WORSE
from cpb_dash.ui import blocks
from cpb_dash.ui.static_table import table_html
from cpb_dash.views import Bundle, HeadlineView

_SAID_KEY = "_abbreviations_said"  # the abbreviations this run of the page has already spelled out


def new_page() -> None:
    """Called by layout.page_setup at the top of every run: no abbreviation has been spelled out yet."""
    st.session_state[_SAID_KEY] = set()


def plain(text: str) -> str:
    """`text` with each abbreviation spelled out inline the first time the page uses it (views.spell_out), so a
    councillor never meets 'EET' or 'FTE' unexplained, and never the same explanation twice."""
    return views.spell_out(text, st.session_state.setdefault(_SAID_KEY, set()))


VERDICT_WORDS = {BETTER: "better", WORSE: "worse", SAME: "no change"}  # a change is judged in words, not colour


RATING_STYLE = {
    # Never colour alone: the words travel with the colour, and an icon with both (the Overview's lists).
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/error:"),
    "red": ("red", ":material/cancel:"),
    "gray": ("gray", ":material/remove:"),
}
# On a card (HTML, blocks.PAGE_CSS), a sign with the words, hidden from screen readers, which read the words.
RATING_SIGN = {"green": "✓", "amber": "!", "red": "✕", "gray": "–"}


def rating_html(view: HeadlineView) -> str:
    """The verdict on where Hackney stands, as a highlighted phrase with its words (the only colour on a card)."""
    if view.rating is None:
        return ""
    colour = view.rating.colour if view.rating.colour in RATING_SIGN else "gray"
    return (
        f'<p><span class="cpb-rating cpb-rating-{colour}"><span aria-hidden="true">{RATING_SIGN[colour]} </span>'
        f"{blocks.text(view.rating.words)}</span></p>"
    )


def change_words(view: HeadlineView) -> str:
    """'-3.0 points since last quarter (better); -10.2 points since last year (better)': each change once, judged
    in words, never in colour (colour is the verdict's). An annual figure has only the change since last year."""

    def judged(text: str, verdict: str) -> str:
        word = VERDICT_WORDS.get(verdict, "")
        return text + (f" ({word})" if word and word != "no change" else "")

    if view.headline.symbol == "c":
        return view.year_change  # one "not given" for both: a change would reveal the hidden figure
    parts = []
    if view.indicator.reference != catalogue.ANNUAL_31_MARCH:
        parts.append(judged(view.quarter_change, view.quarter_verdict))
    parts.append(judged(view.year_change, view.year_verdict))
    return "; ".join(parts)


def card_html(view: HeadlineView, definition: bool = True) -> str:
    """A headline, each fact once: the figure; the verdict (against the target, or else the comparator and
    quartile band) in colour with words; the comparator's figure and rank; the change over time in words only
    (grey), so an improving figure that is still among the worst never reads as good. `definition`: with the
    measure's definition folded under the card (a card beside its own "What this means" goes without)."""
    ind = view.indicator
    # The label above the figure, the first card to use an abbreviation spelling it out ("Care leavers in
    # education, ... (EET)"); the figure alone, its changes over time one line of words below.
    out = [
        f'<div class="cpb-card" data-indicator="{blocks.text(ind.id)}">',
        f'<p class="cpb-label">{blocks.text(plain(ind.short_label))}</p>',
        f'<p class="cpb-figure">{blocks.text(view.figure)}</p>',
        f'<p class="cpb-grey">Figure {blocks.text(view.when)}</p>',
        rating_html(view),
    ]
    symbol = view.headline.symbol
    if symbol in catalogue.SYMBOLS:  # a figure shown as a letter says what the letter means, on the card itself
        meaning = catalogue.SYMBOLS[symbol]
        out.insert(3, blocks.paragraphs(f"{symbol} means {meaning[0].lower()}{meaning[1:]}", grey=True))
    if view.target is not None:
        # Officers' words: escaped text, never markup.
        who = f"Target set by {view.target.set_by}, from {periods.short_quarter_label(view.target.applies_from)}"
        out.append(blocks.paragraphs(who + (f": {view.target.rationale}" if view.target.rationale else ".")))
    if view.comparison is not None:
        comp = view.comparison
        line = f"{blocks.text(comp.name)}: <b>{blocks.text(comp.shown)}</b> ({blocks.text(comp.date_label)})"
        if view.rank is not None and view.rank[0] is not None:
            rank, of, band = view.rank
            ranked = f"Hackney ranked {rank} of {of} councils"
            if band and (view.rating is None or view.rating.basis != "comparator"):
                ranked += f", {board_notes.BAND_WORDS.get(band, band)}"
            line += f"<br>{blocks.text(ranked)} ({blocks.text(comp.year)}; 1 = best)"
        out.append(f"<p>{line}</p>")
    elif not ind.published:
        out.append(blocks.paragraphs("Local measure: no published comparator", grey=True))
    out.append(blocks.paragraphs(f"Change over time: {change_words(view)}", grey=True))
    if definition:
        # Every abbreviation in full, without counting as the page's first use: the note is folded.
        out.append(blocks.details("What this measures", blocks.paragraphs(views.spell_out(ind.definition, set()))))
    out.append("</div>")
    return "".join(out)


def _commentary_text(text: str) -> str:
    return f'<p class="cpb-pre">{blocks.text(text)}</p>'  # officers' words: escaped, their line breaks kept


def commentary_box(ctx, area: str) -> None:
    """The officers' commentary for the area and quarter, as plain text (never markdown or HTML), with its
    author's role, open under the page's intro. Nothing when none was published."""
    found = views.commentary(ctx.bundle, area, ctx.period)
    if found is None:
        return
    text, role = found
    blocks.show(
        f'<div class="cpb-card" data-commentary="{blocks.text(area)}">'
        "<p><b>Commentary: what the figures mean and what is being done</b></p>"
        f"{_commentary_text(text)}{blocks.paragraphs(f'Written by: {role}')}</div>"
    )


def commentary_note_html(ctx, area: str) -> str:
    """The officers' commentary folded under "Commentary from the <role>" (the Overview's areas), or nothing when
    none was published."""
    found = views.commentary(ctx.bundle, area, ctx.period)
    if found is None:
        return ""
    text, role = found
    return blocks.details(f"Commentary from the {role}", _commentary_text(text))


def comparator_table(ctx, area: str) -> None:
    """Hackney beside every published comparator, rank and quartile band, for the quarter's reference date: shown
    open (a director compares without a click), as one compact table that scrolls sideways on a phone."""
    table = views.comparator_grid(ctx.bundle, area, ctx.period)
    if table.empty:
        return
    # Hackney and the comparators first, the date last: on a phone the measure stays pinned at the left and the
    # figures scroll beside it.
    order = [c for c in table.columns if c != "Published at"] + ["Published at"]
    # The table may be the page's first use of an abbreviation (EET, NEET, SGO): its row spells it out.
    shown = table[order].assign(Measure=table["Measure"].map(plain))
    note = plain(
        "Published by the DfE once a year, at the date in 'Published at'. Rank 1 is the best of all councils;"
        " band A is the best quarter of councils. A measure where neither higher nor lower is better has no rank."
    )
    blocks.show(
        f'<div data-comparators="{blocks.text(area)}"><p><b>How Hackney compares with every comparator</b></p>'
        + table_html(shown, "How Hackney compares with every comparator")
        + blocks.paragraphs(note, grey=True)
        + "</div>"
    )


def linked_actions_html(ctx, indicator_id: str) -> str:
    """The action plan's actions meant to move this indicator (catalogue.INDICATOR_OBJECTIVES), folded."""
    actions = views.actions_for_indicator(ctx.bundle, indicator_id, ctx.chosen or ctx.period)
    if actions.empty:
        return ""
    # The action plan's own words, as text (never markdown).
    items = "".join(
        f"<li>{blocks.text(f'{row.action_id} ({row.status}): {row.action} Lead: {row.lead}.')}</li>"
        for row in actions.itertuples(index=False)
    )
    return blocks.details(
        f"Actions meant to move this ({len(actions)})",
        f"<ul>{items}</ul>" + blocks.paragraphs("The whole plan is on the Action plan page, in the menu.", grey=True),
    )


def headline_grid(views: list[HeadlineView], columns: int = 4) -> None:
    """Cards in rows of up to `columns`, one block: on a narrow screen the rows hold fewer cards (at least 15rem
    each), in their order."""
    cards = "".join(card_html(view) for view in views)
    blocks.show(f'<div class="cpb-grid" style="--cols:{int(columns)}">{cards}</div>')


def table_csv(table: pd.DataFrame, memo: tuple[Bundle, tuple] | None = None) -> bytes:
    """The table as a CSV file; with `memo` = (bundle, key), made once per store version and key (the key must
    name everything the table depends on besides the bundle)."""
    if memo is None:
        return csv_bytes(table.copy())
    return views.remember(memo[0], ("table-csv", *memo[1]), lambda: csv_bytes(table.copy()))


def table_block_html(
    table: pd.DataFrame,
    title: str,
    stem: str,
    wrap: tuple[str, ...] = (),
    memo: tuple[Bundle, tuple] | None = None,
) -> str:
    """A table shown open as plain HTML (ui/static_table.py) with a link to exactly that table as a CSV, as HTML
    for a block; `title` names the table and its link for a screen reader, `wrap`: columns of sentences, `memo`:
    as for table_csv."""
    return table_html(table, title, wrap) + blocks.download_link(table_csv(table, memo), f"{stem}.csv", title)


def figure_cards_html(figures: list[tuple[str, str, str]], columns: int = 4) -> str:
    """Plain counts as cards in one grid, each (label, figure, what it counts, or ""): the action plan's figures,
    which have no comparator, target or trend. data-figure: the label, a handle for tests."""
    cards = "".join(
        f'<div class="cpb-card" data-figure="{blocks.text(label)}"><p class="cpb-label">{blocks.text(label)}</p>'
        f'<p class="cpb-figure">{blocks.text(figure)}</p>{blocks.paragraphs(help_text, grey=True)}</div>'
        for label, figure, help_text in figures
    )
    return f'<div class="cpb-grid cpb-small" style="--cols:{int(columns)}">{cards}</div>'


TABLE_SUMMARY = "Show as table"


def chart_block_html(
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin],
    table: pd.DataFrame,
    title: str,
    description: str,
    file_stem: str | None = None,
    memo: tuple[Bundle, tuple] | None = None,
) -> str:
    """The one way a chart is shown: the chart drawn on the server with its text alternative, a sentence saying
    what it shows, its table under "Show as table" and the table as a CSV, as HTML for a block.

    `chart` may be a function that builds it; with `memo` = (bundle, key), the chart's spec and CSV are built once
    per store version and key (the key must name everything the chart and its table depend on besides the
    bundle, e.g. the indicator, quarter and comparator), so a rerun or another visitor's view of the same
    quarter reuses them."""
    from cpb_dash import charts
    from cpb_dash.ui.chart_image import chart_html

    stem = file_stem or blocks.slug(title)

    def build() -> dict:
        return charts.to_spec(chart if isinstance(chart, alt.TopLevelMixin) else chart())

    spec = build() if memo is None else views.remember(memo[0], ("chart-spec", *memo[1]), build)
    data = table_csv(table, None if memo is None else (memo[0], ("chart", *memo[1])))
    # data-chart: a stable handle (the file stem) for tests and the benchmark.
    return (
        f'<div class="cpb-chart-block" data-chart="{blocks.text(stem)}">'
        + chart_html(spec, f"{title}. {description}", stem)
        + blocks.paragraphs(description, grey=True)
        + blocks.details(TABLE_SUMMARY, table_html(table, title))
        + blocks.download_link(data, f"{stem}.csv", title)
        + "</div>"
    )


def chart_with_table(*args, **kwargs) -> None:
    """Show a chart with its sentence, table and CSV as one block (chart_block_html's arguments)."""
    blocks.show(chart_block_html(*args, **kwargs))


def symbols_legend(threshold: int) -> None:
    items = "".join(f"<li><b>{blocks.text(s)}</b>: {blocks.text(m)}</li>" for s, m in catalogue.SYMBOLS.items())
    rule = blocks.paragraphs(catalogue.SUPPRESSION_RULE.format(threshold=threshold), grey=True)
    blocks.show(blocks.details("Symbols and suppression", f"<ul>{items}</ul>{rule}"))


def trend_html(ctx, indicator_id: str) -> str:
    """An indicator's trend: Hackney's quarters with the published comparators, as chart and table."""
    figure = views.trend_figure(ctx.bundle, indicator_id, ctx.period, ctx.comparator)
    if figure is None:
        return blocks.paragraphs(views.no_trend_words(ctx.bundle, indicator_id, ctx.period))
    return chart_block_html(
        figure.chart,
        figure.table,
        figure.title,
        plain(figure.description),
        file_stem=figure.file_stem,
        memo=(ctx.bundle, ("trend", indicator_id, ctx.period, ctx.comparator)),
    )


def trend_panel(ctx, indicator_id: str) -> None:
    blocks.show(trend_html(ctx, indicator_id))


def what_this_means_html(indicator_id: str) -> str:
    ind = catalogue.INDICATORS[indicator_id]
    label = ind.short_label
    # Lower-case the first word unless it is an abbreviation (UASC, EET), which stays as written.
    first, _, rest = label.partition(" ")
    label = label if first.isupper() else f"{first.lower()} {rest}".strip()
    polarity = {
        catalogue.HIGH: "Higher is better.",
        catalogue.LOW: "Lower is better.",
        catalogue.NEUTRAL: "Neither higher nor lower is better in itself: it is context.",
    }[ind.polarity]
    inner = blocks.paragraphs(plain(ind.definition), polarity)
    if ind.reference_date:
        when = f"Published comparators use the figure at {ind.reference_date} each year."
        inner += blocks.paragraphs(when, grey=True)
    inner += blocks.paragraphs("Definitions and sources of every measure: About the data, in the menu.", grey=True)
    return blocks.details(f"What this means: {label}", inner)


def what_this_means(indicator_id: str) -> None:
    blocks.show(what_this_means_html(indicator_id))


def indicator_panel(ctx, indicator_id: str) -> None:
    """Headline card beside its trend (stacked on a narrow screen), then what it means and the actions meant to
    move it: the standard block for one indicator, drawn as one block. Before the quarter its measure is first
    recorded (catalogue.Measure.first_period), a note says when the first figure comes instead of an empty card."""
    measure = catalogue.INDICATORS[indicator_id].measure
    if not measure.recorded_by(ctx.period):
        note = (
            f"{measure.label}: recorded {measure.recorded_from}, the first figure is for"
            f" {periods.long_date(measure.first_period)}. Choose that quarter or a later one when it has been"
            " published."
        )
        blocks.show(blocks.paragraphs(note, grey=True) + what_this_means_html(indicator_id))
        return
    view = views.headline_view(ctx.bundle, indicator_id, ctx.period, ctx.comparator)
    blocks.show(
        f'<div class="cpb-panel"><div>{card_html(view, definition=False)}</div>'
        f"<div>{trend_html(ctx, indicator_id)}</div></div>"
        + what_this_means_html(indicator_id)
        + linked_actions_html(ctx, indicator_id)
    )


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
    elif (
        topic in catalogue.TOPICS_THAT_MAY_FALL_SHORT
        and table["share_pct"].notna().all()
        and table["share_pct"].sum() < 99.5
    ):
        description += (
            f" Children whose {topic.lower()} is not known (a placement postcode that could not be located) are"
            " in neither group, so the shares add up to less than 100%."
        )
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
        file_stem=f"{measure}-by-{blocks.slug(topic)}",
        memo=(ctx.bundle, ("breakdown", dataset, measure, topic, ctx.period)),
    )

"""Reusable page pieces: headline cards, the one chart-with-table component, downloads, the symbols legend."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from cpb_dash import catalogue
from cpb_dash.export import csv_bytes
from cpb_dash.formatting import format_change
from cpb_dash.indicators import BETTER, SAME, WORSE
from cpb_dash.views import HeadlineView

VERDICT_STYLE = {
    # Never colour alone: the word travels with the colour.
    BETTER: ("green", "better"),
    WORSE: ("red", "worse"),
    SAME: ("gray", "no change"),
}


def _delta_colour(view: HeadlineView) -> str:
    """st.metric colours a rise green under 'normal'; flip it where a rise is worse, mute it where neutral."""
    change = view.headline.quarter
    if change.delta is None or view.quarter_verdict not in (BETTER, WORSE):
        return "off"
    rising = change.delta > 0
    return "normal" if rising == (view.quarter_verdict == BETTER) else "inverse"


def verdict_markdown(text: str, verdict: str) -> str:
    colour, word = VERDICT_STYLE.get(verdict, ("gray", ""))
    suffix = f" ({word})" if word and word != "no change" else ""
    return f":{colour}[{text}{suffix}]"


def headline_card(view: HeadlineView) -> None:
    """A headline: the figure, both changes judged by polarity, the comparator, and a sentence."""
    ind = view.indicator
    with st.container(border=True):
        change = view.headline.quarter
        word = VERDICT_STYLE.get(view.quarter_verdict, ("", ""))[1]
        description = "since last quarter" + (f", {word}" if word and word != "no change" else "")
        st.metric(
            ind.short_label, view.figure,
            delta=format_change(change.delta, ind.unit, ind.dps) if change.delta is not None else None,
            delta_description=description if change.delta is not None else None,
            delta_color=_delta_colour(view), help=ind.definition,
            delta_arrow="off" if view.quarter_verdict == SAME else "auto",
        )
        st.markdown(verdict_markdown(view.year_change, view.year_verdict))
        if view.comparison is not None:
            comp = view.comparison
            line = f"{comp.name}: **{comp.shown}** ({comp.date_label})"
            if view.rank is not None and view.rank[0] is not None:
                rank, of, band = view.rank
                line += f"  \nHackney ranked {rank} of {of} councils"
                line += f", quartile band {band}" if band else ""
                best = "lowest" if ind.polarity == catalogue.NEUTRAL else "best"
                line += f" ({comp.year}; 1 = {best})"
            st.markdown(line)
        elif not ind.published:
            st.markdown(":gray[Local measure: no published comparator]")
        elif not ind.is_ratio:
            st.markdown(":gray[A count: compare the rate, not the number, with other areas]")
        st.caption(view.sentence)


def headline_grid(views: list[HeadlineView], columns: int = 4) -> None:
    cols = st.columns(columns)
    for i, view in enumerate(views):
        with cols[i % columns]:
            headline_card(view)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chart_with_table(chart: alt.TopLevelMixin, table: pd.DataFrame, title: str, description: str,
                     file_stem: str | None = None) -> None:
    """The one way a chart is shown: chart tab, 'Show as table' tab, a sentence for screen readers, a CSV."""
    stem = file_stem or _slug(title)
    chart_tab, table_tab = st.tabs(["Chart", "Show as table"])
    with chart_tab:
        st.altair_chart(chart, width="stretch", alt=f"{title}. {description}")
        st.caption(description)
    with table_tab:
        st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV", csv_bytes(table), file_name=f"{stem}.csv", mime="text/csv", key=f"dl-{stem}",
        icon=":material/download:", on_click="ignore",
    )


def symbols_legend(threshold: int) -> None:
    with st.expander("Symbols and suppression"):
        st.markdown("\n".join(f"- **{s}**: {meaning}" for s, meaning in catalogue.SYMBOLS.items()))
        st.caption(catalogue.SUPPRESSION_RULE.format(threshold=threshold))

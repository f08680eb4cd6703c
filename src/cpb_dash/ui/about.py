"""About the data: every definition, symbol, rule and source, rendered from the catalogue (never a second copy)."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from cpb_dash import benchmarks, catalogue, periods, views
from cpb_dash.export import csv_bytes
from cpb_dash.ui import blocks
from cpb_dash.ui.components import plain, table_block_html
from cpb_dash.ui.layout import PageContext
from cpb_dash.ui.static_table import static_table, table_html


def _indicator_html(ind: catalogue.Indicator) -> str:
    """One indicator: its name in full and as cards show it, its definition, and how it is worked out, judged,
    rounded and compared."""
    # The full label is the short label's abbreviation written out ("shown as UASC"): only the definition needs
    # its abbreviations spelled out. A count is the uploaded figure itself: "worked out as" would only say its
    # name a third time.
    facts = [f"Worked out as: {views.formula_text(ind)}"] if ind.is_ratio else []
    facts += [f"{views.POLARITY_WORDS[ind.polarity]}; {views.decimals_text(ind)}", views.comparator_text(ind)]
    return (
        f'<div class="cpb-card" data-definition="{blocks.text(ind.id)}">'
        f"<p><strong>{blocks.text(ind.label)}</strong> (shown as <em>{blocks.text(ind.short_label)}</em>)</p>"
        + blocks.paragraphs(plain(ind.definition))
        + f'<p class="cpb-grey">{"<br>".join(blocks.text(plain(fact)) for fact in facts)}</p></div>'
    )


INDICATOR_TABLE = "Every indicator as one table"


def indicators() -> None:
    # Each area is one block of escaped HTML (ui/blocks.py): its heading, its sources and a card per indicator.
    for area in catalogue.COUNT_DATASETS:
        # Each source once for the area, not under every card (seven cards of Care population share one).
        sources = list(dict.fromkeys(ind.source for ind in catalogue.indicators_for(area) if ind.source))
        cited = ""
        if sources:
            links = "; ".join(blocks.link(url, plain(views.source_title(url))) for url in sources)
            cited = f"<p>Source{'s' if len(sources) > 1 else ''}: {links}</p>"
        cards = "".join(_indicator_html(ind) for ind in catalogue.indicators_for(area))
        blocks.show(
            f'<h3 class="cpb-area">{blocks.text(catalogue.DATASET_LABELS[area])}</h3>{cited}'
            f'<div class="cpb-grid" style="--cols:2">{cards}</div>'
        )
    shown, data = _indicator_table()
    link = blocks.download_link(data, "indicator-definitions.csv", INDICATOR_TABLE)
    blocks.show(blocks.details(INDICATOR_TABLE, shown + link))


@functools.cache
def _indicator_table() -> tuple[str, bytes]:
    """The catalogue's indicators as one table and as its CSV: the same for every visitor, so made once."""
    table = views.indicator_definitions()
    long = ("Definition", "Worked out as", "Direction", "Published comparator", "Source")
    return table_html(table, INDICATOR_TABLE, long), csv_bytes(table)


def measures() -> None:
    table = views.measure_definitions()
    st.markdown("Officers upload counts; the dashboard works out every indicator from them, by the formulas above.")
    long = ("Breakdowns", "Definition", "Source")
    blocks.show(table_block_html(table, "Measures uploaded", "measure-definitions", long))


def symbols(ctx: PageContext) -> None:
    rows = [
        {"Symbol": s, "Meaning": meaning, "Where": "Hackney's figures and published figures"}
        for s, meaning in catalogue.SYMBOLS.items()
    ]
    rows += [
        {"Symbol": s, "Meaning": meaning, "Where": "Published DfE figures only"}
        for s, meaning in catalogue.PUBLISHED_SYMBOLS.items()
        if s not in catalogue.SYMBOLS
    ]
    st.markdown(
        "Government Statistical Service (GSS) symbols stand in for a figure that cannot be shown. A symbol"
        " is never a zero."
    )
    static_table(pd.DataFrame(rows), "Symbols used in place of a figure")
    st.subheader("Protecting privacy: the suppression rule")
    st.markdown(catalogue.SUPPRESSION_RULE.format(threshold=ctx.bundle.threshold))
    st.caption(f"The threshold in use is {ctx.bundle.threshold}.")


def comparators() -> None:
    st.markdown(
        "Published comparators are annual: children in care figures at 31 March, the workforce at 30 September."
        " Each headline says which date its comparison uses. You can compare with England, London, Inner London or"
        " Hackney's statistical neighbours."
    )
    st.subheader(f"Statistical neighbours (DfE {catalogue.SN_MODEL_YEAR} model)")
    st.markdown("\n".join(f"{i}. {name}" for i, name in enumerate(catalogue.STATISTICAL_NEIGHBOURS, 1)))
    st.caption("Listed closest first.")
    st.markdown(benchmarks.SN_MEDIAN_NOTE)
    st.subheader("Rank and quartile band")
    st.markdown(benchmarks.RANK_QUARTILE_NOTE)
    st.subheader("Rounding")
    st.markdown(
        "Each rate and percentage is worked out exactly from the counts, as the DfE's methodology states"
        " it, then rounded once, half up, as the DfE rounds (10.25 shows as 10.3; 46 of 80 is 57.5% and"
        " shows as 58%), to the decimal places given for each indicator; counts are whole numbers and"
        " full-time equivalents have one decimal place. A figure that is not zero but rounds to zero shows"
        " as 'low'."
    )


def versions(ctx: PageContext) -> None:
    current = views.versions_in_use(ctx.bundle, ctx.period)
    st.markdown(
        f"The figures for **{periods.quarter_label(ctx.period)}** come from these published snapshots."
        " A version is the start of the file's fingerprint (SHA-256), so a figure can be traced to the"
        " exact file an officer published."
    )
    if current.empty:
        st.info("No snapshot was published for this quarter.")
    else:
        static_table(current, f"Snapshot versions, {periods.quarter_label(ctx.period)}")
    owners = [
        {"Dataset": catalogue.DATASET_LABELS[d], "Owner": catalogue.DATASET_OWNERS[d]}
        for d in catalogue.UPLOADABLE_DATASETS
    ]
    static_table(pd.DataFrame(owners), "Who publishes each dataset")
    title = "Every quarter's snapshot versions"
    blocks.show(blocks.details(title, table_block_html(views.versions_in_use(ctx.bundle), title, "snapshot-versions")))


def glossary() -> None:
    st.markdown("\n".join(f"- **{term}**: {meaning}" for term, meaning in catalogue.GLOSSARY.items()))


SECTION_KEY = "section"  # also the query parameter name: ?section=Words+we+use
# The page's sections in order (tab label: what draws it); each takes the page context.
SECTIONS = {
    "Indicators": lambda ctx: indicators(),
    "Words we use": lambda ctx: glossary(),
    "Symbols and privacy": symbols,
    "Comparators": lambda ctx: comparators(),
    "Measures uploaded": lambda ctx: measures(),
    "Snapshot versions": versions,
}

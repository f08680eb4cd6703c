"""About the data: every definition, symbol, rule and source, rendered from the catalogue (never a second copy)."""

from __future__ import annotations

import streamlit as st

from cpb_dash import benchmarks, catalogue, periods, views
from cpb_dash.ui.components import csv_download, plain
from cpb_dash.ui.layout import PageContext


def _download(table, stem: str) -> None:
    csv_download(table, stem)


def indicators() -> None:
    table = views.indicator_definitions()
    for area in catalogue.COUNT_DATASETS:
        st.subheader(catalogue.DATASET_LABELS[area])
        # Each source once for the area, not under every card (seven cards of Care population share one).
        sources = list(dict.fromkeys(ind.source for ind in catalogue.indicators_for(area) if ind.source))
        if sources:
            links = "; ".join(f"[{plain(views.source_title(url))}]({url})" for url in sources)
            st.markdown(f"Source{'s' if len(sources) > 1 else ''}: {links}")
        for ind in catalogue.indicators_for(area):
            with st.container(border=True):
                # The full label is the short label's abbreviation written out ("shown as UASC"): only the
                # definition needs its abbreviations spelled out.
                st.markdown(f"**{ind.label}** (shown as *{ind.short_label}*)\n\n{plain(ind.definition)}")
                # A count is the uploaded figure itself: "worked out as" would only say its name a third time.
                facts = [f"Worked out as: {views.formula_text(ind)}"] if ind.is_ratio else []
                facts += [
                    f"{views.POLARITY_WORDS[ind.polarity]}; {views.decimals_text(ind)}",
                    views.comparator_text(ind),
                ]
                st.caption(plain("  \n".join(facts)))
    with st.expander("Every indicator as one table"):
        st.dataframe(table, hide_index=True, width="stretch", column_config={"Source": st.column_config.LinkColumn()})
        _download(table, "indicator-definitions")


def measures() -> None:
    table = views.measure_definitions()
    st.markdown("Officers upload counts; the dashboard works out every indicator from them, by the formulas above.")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Source": st.column_config.LinkColumn(),
            "Definition": st.column_config.TextColumn(width="large"),
        },
    )
    _download(table, "measure-definitions")


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
    st.table(rows)
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
        st.dataframe(current, hide_index=True, width="stretch")
    owners = [
        {"Dataset": catalogue.DATASET_LABELS[d], "Owner": catalogue.DATASET_OWNERS[d]}
        for d in catalogue.UPLOADABLE_DATASETS
    ]
    st.table(owners)
    with st.expander("Every quarter's snapshot versions"):
        everything = views.versions_in_use(ctx.bundle)
        st.dataframe(everything, hide_index=True, width="stretch")
        _download(everything, "snapshot-versions")


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

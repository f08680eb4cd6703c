"""Overview: the latest quarter (or one chosen) at a glance, for every area the Board watches."""

import streamlit as st

from cpb_dash import catalogue
from cpb_dash.ui import components, layout
from cpb_dash.ui.overview import action_plan_summary, area_section, at_a_glance
from cpb_dash.ui.pack import board_pack_download

ctx = layout.page_setup("Overview")
if ctx is not None:
    st.title("Children in Hackney's care: overview")
    st.markdown(
        f"**{ctx.period_label}**. Each figure shows its change since last quarter and last year, judged"
        " better or worse for children (not just up or down), and how Hackney compares with"
        f" **{catalogue.COMPARATORS[ctx.comparator]}**."
    )
    components.abbreviations([i for area in catalogue.COUNT_DATASETS for i in catalogue.HEADLINE_ORDER[area]])
    at_a_glance(ctx)
    board_pack_download(ctx)
    for area in catalogue.COUNT_DATASETS:
        area_section(ctx, area)
    action_plan_summary(ctx)
    components.symbols_legend(ctx.bundle.threshold)

"""Overview: the latest quarter (or one chosen) at a glance, for every area the Board watches."""

import streamlit as st

from cpb_dash.ui import components, layout
from cpb_dash.ui.overview import areas, at_a_glance
from cpb_dash.ui.pack import board_pack_download

ctx = layout.page_setup("Overview")
if ctx is not None:
    st.title("Children in Hackney's care: overview")
    st.markdown(
        f"**{ctx.period_label}**. First, what needs attention; then each area in a few lines, with its change"
        " since last quarter and last year judged better or worse for children. Each area's page has the details."
    )
    at_a_glance(ctx)
    areas(ctx)
    board_pack_download(ctx)
    components.symbols_legend(ctx.bundle.threshold)

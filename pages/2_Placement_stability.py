"""Placement stability: how often children in care move, how long they stay, how far from home."""

import streamlit as st

from cpb_dash.ui import components, layout

ctx = layout.page_setup("Placement stability", ":material/home:")
if ctx is not None:
    ctx = ctx.for_area("placement_stability")
    st.title("Placement stability")
    layout.area_intro(
        ctx,
        "A stable home lets a child keep their school, friends and the adults they"
        " trust. These measures cover the 12 months to the end of the quarter.",
    )

    layout.section("Three or more placements in a year")
    components.indicator_panel(ctx, "stab_3plus_pct")
    components.breakdown_panel(ctx, "placement_stability", "stab_3plus_placements", "Age group")

    layout.section("Long-term stability")
    components.indicator_panel(ctx, "ltstab_pct")

    layout.section("Placed more than 20 miles from home, outside Hackney")
    components.indicator_panel(ctx, "placed_20_miles_outside_pct")
    components.breakdown_panel(ctx, "placement_stability", "placed_over_20_miles_outside_la", "Placement type")

    layout.section("Placement moves")
    components.indicator_panel(ctx, "placement_moves_count")
    components.breakdown_panel(ctx, "placement_stability", "placement_moves_in_quarter", "Age group")

    components.symbols_legend(ctx.bundle.threshold)

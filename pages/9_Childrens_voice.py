"""Children's voice: reviews on time, how children take part in them, and how often their social worker changes."""

import streamlit as st

from cpb_dash.ui import components, layout

page = layout.page_setup("Children's voice", ":material/record_voice_over:")
if page is not None:
    ctx = page.for_area("childrens_voice")
    st.title("Children's voice")
    layout.area_intro(
        ctx,
        "Priority 2 of the Children's Action Plan: proud to listen to children and families. Whether each"
        " child's care plan is reviewed on time, whether the child takes part, and how many social workers"
        " they have had to get to know.",
    )

    layout.section("Reviews held on time")
    components.indicator_panel(ctx, "reviews_on_time_pct")

    layout.section("Children taking part in their reviews")
    components.indicator_panel(ctx, "review_participation_pct")
    components.breakdown_panel(ctx, "childrens_voice", "reviews_held", "Review participation")

    layout.section("Changes of social worker")
    components.indicator_panel(ctx, "sw_3plus_pct")
    components.breakdown_panel(ctx, "childrens_voice", "sw_cohort", "Social workers in the year")

    components.symbols_legend(ctx.bundle.threshold)

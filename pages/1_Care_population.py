"""Care population: how many children are in Hackney's care, who they are, and how care leavers are doing."""

import streamlit as st

from cpb_dash.ui import care, components, layout

ctx = layout.page_setup("Care population", ":material/family_restroom:")
if ctx is not None:
    ctx = ctx.for_area("care_population")
    st.title("Care population")
    layout.area_intro(
        ctx,
        "How many children Hackney looks after, how many came into and left care, who"
        " they are, and how young people who have left care are doing. Figures for children in care are at the"
        " last day of the quarter.",
        comparators=False,
    )

    layout.section("Headline figures")
    care.headlines(ctx)
    components.comparator_table(ctx, "care_population")

    layout.section("Children in care over time")
    care.children_in_care_trends(ctx)
    components.what_this_means("cla_rate_per_10k")

    layout.section("Starting and leaving care")
    care.flows_panel(ctx)
    components.what_this_means("cla_started_count")

    layout.section("Unaccompanied asylum-seeking children")
    components.indicator_panel(ctx, "uasc_count")

    layout.section("Children deprived of their liberty")
    components.indicator_panel(ctx, "dolo_count")

    layout.section("Who the children in care are")
    care.care_breakdown(ctx)

    layout.section("Ethnicity of children in care against all Hackney children")
    care.ethnicity_panel(ctx)
    care.disproportionality_trend_panel(ctx)

    layout.section("Care leavers aged 19 to 21")
    components.indicator_panel(ctx, "cl_19_21_eet_pct")
    components.indicator_panel(ctx, "cl_19_21_suitable_accom_pct")
    st.page_link(
        "pages/8_Leaving_care.py",
        label="More on care leavers: Leaving care and permanence",
        icon=":material/arrow_forward:",
    )

    layout.section("Missing from care and return home interviews")
    care.missing_context(ctx)
    components.indicator_panel(ctx, "rhi_accepted_pct")
    st.page_link(
        "pages/7_Health_and_wellbeing.py",
        label="Children who went missing: Health and wellbeing",
        icon=":material/arrow_forward:",
    )

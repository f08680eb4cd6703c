"""Health and wellbeing: the health of children in care for a year or more, and children who went missing."""

import streamlit as st

from cpb_dash.ui import components, layout, measures

page = layout.page_setup("Health and wellbeing", ":material/favorite:")
if page is not None:
    ctx = page.for_area("health_wellbeing")
    st.title("Health and wellbeing")
    layout.area_intro(
        ctx,
        "How healthy the children Hackney has looked after for a year or more are, and how many children in"
        " care went missing.",
    )

    layout.section("Health checks")
    measures.annual_note(ctx)
    components.indicator_panel(ctx, "health_assessment_pct")
    components.indicator_panel(ctx, "dental_check_pct")
    components.indicator_panel(ctx, "immunisations_pct")

    layout.section("Emotional and behavioural health")
    st.markdown(
        components.plain(
            "Carers fill in the SDQ for each child aged 5 to 16 once a year."
            " Its score runs from 0 to 40: 0 to 13 is considered normal, 14 to 16 borderline, 17 or more a cause for"
            " concern."
        )
    )
    components.indicator_panel(ctx, "sdq_completed_pct")
    components.indicator_panel(ctx, "sdq_average_score")
    components.indicator_panel(ctx, "sdq_concern_pct")

    layout.section("Substance misuse and offending")
    components.indicator_panel(ctx, "substance_misuse_pct")
    components.indicator_panel(ctx, "convictions_pct")

    layout.section("Children who went missing")
    st.markdown(
        components.plain(
            "Children, not episodes: each child who went missing at least once in the 12 months is counted once."
            " Hackney, like many councils, records every unauthorised absence as missing, so few or none show as"
            " 'away without authorisation'."
        )
    )
    components.indicator_panel(ctx, "children_missing_pct")
    components.indicator_panel(ctx, "children_away_pct")
    care = page.for_area("care_population")  # return home interviews are the care population team's figures
    components.indicator_panel(care, "rhi_offered_pct")
    components.indicator_panel(care, "rhi_accepted_pct")

    components.symbols_legend(ctx.bundle.threshold)

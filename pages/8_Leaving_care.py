"""Leaving care and permanence: care leavers aged 17 to 21, staying put, adoption and special guardianship."""

import streamlit as st

from cpb_dash.ui import components, layout

page = layout.page_setup("Leaving care and permanence", ":material/school:")
if page is not None:
    ctx = page.for_area("leaving_care")
    care = page.for_area("care_population")  # 19 to 21 EET and accommodation are the care population's figures
    st.title("Leaving care and permanence")
    layout.area_intro(
        ctx,
        "How young people who have left Hackney's care are doing around their 17th to 21st birthdays (birthdays"
        " in the 12 months to the end of the quarter), and how many children left care for a permanent family"
        " through adoption or a special guardianship order.",
    )

    layout.section("Care leavers aged 17 to 18")
    components.indicator_panel(ctx, "cl_17_18_in_touch_pct")
    components.indicator_panel(ctx, "cl_17_18_eet_pct")
    components.indicator_panel(ctx, "cl_17_18_neet_pct")
    components.indicator_panel(ctx, "cl_17_18_he_pct")
    components.indicator_panel(ctx, "cl_17_18_suitable_accom_pct")

    layout.section("Care leavers aged 19 to 21")
    components.indicator_panel(ctx, "cl_19_21_in_touch_pct")
    components.indicator_panel(care, "cl_19_21_eet_pct")
    components.indicator_panel(ctx, "cl_19_21_neet_pct")
    components.indicator_panel(ctx, "cl_19_21_he_pct")
    components.indicator_panel(care, "cl_19_21_suitable_accom_pct")

    layout.section("Staying put with former foster carers")
    components.indicator_panel(ctx, "staying_put_pct")

    layout.section("Leaving care for a permanent family")
    components.indicator_panel(ctx, "adopted_pct")
    components.indicator_panel(ctx, "sgo_pct")

    layout.section("How long adoption takes")
    st.markdown(
        components.plain(
            "The adoption scorecard's two timings, each an average over the children adopted or matched in the 3"
            " years to the end of the quarter, as the DfE reports them."
        )
    )
    components.indicator_panel(ctx, "adoption_care_to_move_in_days")
    components.indicator_panel(ctx, "adoption_order_to_match_days")

    components.symbols_legend(ctx.bundle.threshold)

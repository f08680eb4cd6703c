"""Workforce stability: the social workers who look after Hackney's children, how settled the workforce is,
and who holds each grade (the anti-racist lens)."""

import streamlit as st

from cpb_dash.ui import components, layout, workforce

ctx = layout.page_setup("Workforce stability", ":material/groups:")
if ctx is not None:
    ctx = ctx.for_area("workforce")
    st.title("Workforce stability")
    layout.area_intro(
        ctx,
        "Children do best with a social worker who knows them and stays. These measures"
        " cover Hackney's children and family social workers; the published comparators come from the DfE's"
        " workforce census at 30 September each year.",
    )

    for heading, indicator_id in workforce.SECTIONS:
        layout.section(heading)
        components.indicator_panel(ctx, indicator_id)

    layout.section("By service area")
    workforce.service_areas(ctx)

    layout.section("Who holds each grade: workforce ethnicity")
    st.markdown(
        components.plain(
            "Hackney's anti-racist commitments include a workforce that reflects the community it serves at every"
            " level. These charts compare each grade with all social workers, with Hackney's population and with the"
            " children in Hackney's care."
        )
    )
    workforce.ethnicity_by_role(ctx)

    components.symbols_legend(ctx.bundle.threshold)

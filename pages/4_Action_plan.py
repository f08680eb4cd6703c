"""Action plan: how the Children's Action Plan and its anti-racist commitments are progressing this quarter."""

import streamlit as st

from cpb_dash import periods, views
from cpb_dash.ui import layout, plan

ctx = layout.page_setup("Action plan", ":material/checklist:")
if ctx is not None:
    ctx = ctx.for_area("action_plan")
    st.title("Children's Action Plan")
    layout.area_intro(
        ctx,
        "Progress on the five priorities of the Children's Action Plan (2024 refresh), as"
        " each action's lead reported it at the end of the quarter.",
    )
    all_actions = views.actions_at(ctx.bundle, ctx.period)
    if all_actions.empty:
        st.info(
            f"No action plan update was published for {periods.short_quarter_label(ctx.period)} or any"
            " quarter before it."
        )
    else:
        chosen = plan.filters(ctx)
        actions = views.filter_actions(all_actions, chosen)
        plan.summary(actions, len(all_actions))
        if actions.empty:
            st.warning("No action matches these filters. Remove a filter to see more.")
        else:
            layout.section("Progress by priority")
            plan.progress_by_priority(ctx, actions)

            layout.section("Needs attention")
            plan.attention_cards(actions)

            layout.section("All actions shown")
            plan.action_list(ctx, actions)

        layout.section("What moved since last quarter")
        plan.what_moved(ctx, chosen)

        layout.section("Anti-racist commitments")
        plan.anti_racist_view(ctx, actions)

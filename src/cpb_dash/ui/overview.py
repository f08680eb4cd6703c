"""Overview sections: one per area, built from the catalogue's headline list."""

from __future__ import annotations

import streamlit as st

from cpb_dash import catalogue, views
from cpb_dash.ui import components
from cpb_dash.ui.layout import PAGES, PageContext

_BY_PATH = {path: (path, label, icon) for path, label, icon in PAGES}
AREA_PAGES = {
    "care_population": _BY_PATH["pages/1_Care_population.py"],
    "placement_stability": _BY_PATH["pages/2_Placement_stability.py"],
    "workforce": _BY_PATH["pages/3_Workforce.py"],
    "health_wellbeing": _BY_PATH["pages/7_Health_and_wellbeing.py"],
    "leaving_care": _BY_PATH["pages/8_Leaving_care.py"],
    "childrens_voice": _BY_PATH["pages/9_Childrens_voice.py"],
    "action_plan": _BY_PATH["pages/4_Action_plan.py"],
}


def _section_header(ctx: PageContext, area: str) -> None:
    path, label, icon = AREA_PAGES[area]
    st.subheader(catalogue.DATASET_LABELS[area], divider="gray")
    if ctx.behind_note:
        st.caption(ctx.behind_note)
    # Short enough not to be cut off on a phone; the page itself says what it holds.
    st.page_link(path, label=f"More on {label.lower()}", icon=":material/arrow_forward:")


def at_a_glance(ctx: PageContext) -> None:
    """Every headline's verdict in three short lists, worst first: the Overview read in a minute."""
    from cpb_dash.ui.components import RATING_STYLE

    with st.container(border=True, key="at-a-glance"):
        st.markdown(
            "**At a glance**: each headline against its target, or else against"
            f" {catalogue.COMPARATORS[ctx.comparator]} and all councils. Details below."
        )
        for colour, heading, items in views.at_a_glance(ctx.bundle, ctx.period, ctx.comparator):
            if not items:
                continue
            shade, icon = RATING_STYLE[colour]
            # One line per headline (catalogue labels and figures only, no officer text), to scan down.
            st.markdown(
                f":{shade}-background[{icon} **{heading} ({len(items)})**]\n" + "\n".join(f"- {item}" for item in items)
            )


def area_section(ctx: PageContext, area: str) -> None:
    ctx = ctx.for_area(area)
    _section_header(ctx, area)
    head_views = views.area_headlines(ctx.bundle, area, ctx.period, ctx.comparator)
    # four cards go two by two: four to a row cut 'since last quarter, better' off at 1280 pixels wide
    components.headline_grid(head_views, columns=2 if len(head_views) == 4 else len(head_views), compact=True)
    components.commentary_box(ctx, area, collapsed=True)


def action_plan_summary(ctx: PageContext) -> None:
    ctx = ctx.for_area("action_plan")
    _section_header(ctx, "action_plan")
    summary = views.plan_summary(ctx.bundle, ctx.period)
    if summary is None:
        st.info("No action plan update was published for this quarter.")
        return
    cols = st.columns(4)
    figures = [
        (
            "Actions complete",
            f"{summary.by_status['Complete']} of {summary.actions}",
            "Actions marked Complete in this quarter's update.",
        ),
        (
            "At risk or off track",
            str(summary.by_status["At risk"] + summary.by_status["Off track"]),
            "Actions whose lead reports they may miss (at risk) or will miss (off track) their goal.",
        ),
        ("Overdue", str(summary.overdue), "Actions past their due date and not complete."),
        (
            "Anti-racist actions done",
            f"{summary.anti_racist_complete} of {summary.anti_racist}",
            "Actions that are commitments of the anti-racist action plan.",
        ),
    ]
    for col, (label, value, help_text) in zip(cols, figures, strict=True):
        with col, st.container(border=True):
            st.metric(label, value, help=help_text)
    st.caption(summary.sentence)
    components.commentary_box(ctx, "action_plan", collapsed=True)

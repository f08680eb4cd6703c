"""Overview sections: one per area, built from the catalogue's headline list."""

from __future__ import annotations

import streamlit as st

from cpb_dash import catalogue, views
from cpb_dash.ui import blocks
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


# A page link's label is kept to one line and cut off with an ellipsis; a glance line must wrap whole on a phone.
# Style-only HTML, scoped to the at-a-glance box, takes no room on the page.
GLANCE_CSS = """<style>
.st-key-at-a-glance [data-testid="stPageLink-NavLink"] {
  line-height: 1.35; padding: 0.25rem 0.5rem; margin: 0.35rem 0 !important;
}
.st-key-at-a-glance [data-testid="stPageLink-NavLink"] span { white-space: normal; overflow: visible; }
</style>"""


def at_a_glance(ctx: PageContext) -> None:
    """Every headline's verdict in three short lists, worst first, one line each, each a link to its area's page:
    the Overview read in a minute."""
    from cpb_dash.ui.components import RATING_STYLE, plain

    st.html(GLANCE_CSS)
    with st.container(border=True, key="at-a-glance"):
        st.markdown(
            f"**At a glance**: each headline against the target officers set or, where there is none, against"
            f" {catalogue.COMPARATORS[ctx.comparator]} and all councils. Tap a line for its page."
        )
        for colour, heading, lines in views.at_a_glance(ctx.bundle, ctx.period, ctx.comparator):
            if not lines:
                continue
            shade, icon = RATING_STYLE[colour]
            st.markdown(f":{shade}-background[{icon} **{heading} ({len(lines)})**]")
            with st.container(gap=None, key=f"glance-{colour}"):
                for line in lines:
                    # Catalogue labels and figures only (no officer text); the icon repeats the verdict's shape,
                    # so a line read on its own still says which list it is in.
                    st.page_link(
                        AREA_PAGES[line.area][0],
                        label=plain(f"**{line.label}**: {line.verdict}"),
                        icon=icon,
                        width="stretch",
                    )


def _figure_only(view: views.HeadlineView) -> str:
    """The figure without a unit its label already names: 'Rate per 10,000 64', not '... 64 per 10,000'."""
    unit = view.indicator.unit
    if unit and view.indicator.short_label.endswith(unit) and view.figure.endswith(f" {unit}"):
        return view.figure[: -len(unit) - 1]
    return view.figure


def area_section(ctx: PageContext, area: str) -> None:
    """An area in a few lines: each headline's figure and its change over time (the verdicts are in the list at
    the top), the officers' commentary folded, and the way to the area's page, where the details live."""
    from cpb_dash.ui.components import change_words, commentary_note_html, plain

    ctx = ctx.for_area(area)
    path, label, icon = AREA_PAGES[area]
    with st.container(border=True, key=f"area-{area}"):
        # The heading, each headline's line, and the commentary folded: one block of escaped HTML (ui/blocks.py).
        lines = "".join(
            f"<li>{blocks.text(plain(view.indicator.short_label))} <strong>{blocks.text(_figure_only(view))}</strong>:"
            f" {blocks.text(change_words(view))}</li>"
            for view in views.area_headlines(ctx.bundle, area, ctx.period, ctx.comparator)
        )
        blocks.show(
            f'<h3 class="cpb-area">{blocks.text(catalogue.DATASET_LABELS[area])}</h3>'
            + blocks.paragraphs(ctx.behind_note or "", grey=True)
            + f'<ul class="cpb-lines">{lines}</ul>'
            + commentary_note_html(ctx, area)
        )
        # Short enough not to be cut off on a phone; the page itself says what it holds.
        st.page_link(path, label=f"More on {label.lower()}", icon=":material/arrow_forward:")


def areas(ctx: PageContext) -> None:
    """Every area, two to a row where the screen is wide enough (one under another on a phone)."""
    shown = [*catalogue.COUNT_DATASETS, catalogue.ACTION_PLAN]
    for pair in range(0, len(shown), 2):
        for column, area in zip(st.columns(2), shown[pair : pair + 2], strict=False):
            with column:
                if area == catalogue.ACTION_PLAN:
                    action_plan_summary(ctx)
                else:
                    area_section(ctx, area)


def action_plan_summary(ctx: PageContext) -> None:
    """The action plan in four figures, two to a row on a phone: its heading, figures, where they fall and the
    commentary folded as one block (ui/blocks.py), then the way to its page."""
    from cpb_dash.ui.components import commentary_note_html, figure_cards_html

    ctx = ctx.for_area("action_plan")
    path, label, icon = AREA_PAGES["action_plan"]
    with st.container(border=True, key="area-action_plan"):
        body = f'<h3 class="cpb-area">{blocks.text(catalogue.DATASET_LABELS["action_plan"])}</h3>'
        body += blocks.paragraphs(ctx.behind_note or "", grey=True)
        summary = views.plan_summary(ctx.bundle, ctx.period)
        if summary is None:
            body += blocks.paragraphs("No action plan update was published for this quarter.")
        else:
            # Figures and labels only: what each counts is said on the Action plan page.
            figures = [
                ("Actions complete", f"{summary.by_status['Complete']} of {summary.actions}", ""),
                ("At risk or off track", str(summary.by_status["At risk"] + summary.by_status["Off track"]), ""),
                ("Overdue", str(summary.overdue), ""),
                ("Anti-racist done", f"{summary.anti_racist_complete} of {summary.anti_racist}", ""),
            ]
            # Where the figures fall, not the figures again.
            body += figure_cards_html(figures, columns=2) + blocks.paragraphs(summary.finding, grey=True)
        blocks.show(body + commentary_note_html(ctx, "action_plan"))
        st.page_link(path, label=f"More on {label.lower()}", icon=":material/arrow_forward:")

"""Shared page set-up: page config, navigation, and the sidebar's period and comparator (kept in the URL).

Every page's first line calls `page_setup`, so a page opened by deep link on a fresh server works on its own.
We use Streamlit's classic `pages/` folder (not st.navigation): a deep link then always runs the page file itself,
and our own navigation (st.page_link) replaces the default list so the main page is labelled "Overview".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import streamlit as st

from cpb_dash import catalogue, periods
from cpb_dash.config import settings
from cpb_dash.ui import blocks, chart_image, static_table
from cpb_dash.ui.auth import viewer_gate
from cpb_dash.ui.data import load_bundle
from cpb_dash.views import Bundle, area_period, period_options

PAGES: tuple[tuple[str, str, str], ...] = (
    ("app.py", "Overview", ":material/dashboard:"),
    ("pages/1_Care_population.py", "Care population", ":material/family_restroom:"),
    ("pages/2_Placement_stability.py", "Placement stability", ":material/home:"),
    ("pages/7_Health_and_wellbeing.py", "Health and wellbeing", ":material/favorite:"),
    ("pages/8_Leaving_care.py", "Leaving care and permanence", ":material/school:"),
    ("pages/9_Childrens_voice.py", "Children's voice", ":material/record_voice_over:"),
    ("pages/3_Workforce.py", "Workforce stability", ":material/groups:"),
    ("pages/4_Action_plan.py", "Action plan", ":material/checklist:"),
    ("pages/5_About_the_data.py", "About the data", ":material/info:"),
    ("pages/6_Upload.py", "Upload (officers)", ":material/upload_file:"),
)

# Streamlit marks a focused page link only by a faint background, the same grey as the current page: keyboard users
# need a clear ring (WCAG 2.4.7). Style-only HTML takes no room on the page.
FOCUS_CSS = """<style>
a:focus-visible { outline: 3px solid #005A9C !important; outline-offset: 2px; }
div:has(> input[role="combobox"]:focus-visible) { box-shadow: 0 0 0 2px #005A9C; }
</style>"""

PERIOD_KEY = "period"  # also the query parameter name
COMPARATOR_KEY = "compare"


@dataclass(frozen=True)
class PageContext:
    bundle: Bundle
    period: dt.date  # the quarter this page's figures are for (an area's own latest, after for_area)
    comparator: str  # a key of catalogue.COMPARATORS
    chosen: dt.date | None = None  # the quarter picked in the sidebar, when for_area moved `period` back from it
    area: str | None = None  # the area (dataset id) after for_area: its commentary and comparators

    @property
    def period_label(self) -> str:
        return periods.quarter_label(self.period)

    def for_area(self, area: str) -> PageContext:
        """This context for one area: its latest published quarter on or before the one chosen."""
        shown = area_period(self.bundle, area, self.period)
        if shown is None or shown == self.period:
            return replace(self, area=area)
        return replace(self, period=shown, chosen=self.period, area=area)

    @property
    def behind_note(self) -> str:
        """'' when the area has the chosen quarter; otherwise a sentence saying which quarter it shows and why."""
        if self.chosen is None:
            return ""
        return (
            f"Latest published: {periods.short_quarter_label(self.period)}. The figures for"
            f" {periods.short_quarter_label(self.chosen)} are not published yet, so this shows the latest."
        )


def _navigation() -> None:
    with st.sidebar:
        st.markdown("**Hackney Corporate Parenting Board**")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()


def _from_url(key: str, options: list[str], default: str, parse=lambda text: text) -> None:
    """Seed a sidebar choice once per session: from the URL (a shared link or deep link) if valid, else default."""
    if key in st.session_state and st.session_state[key] in options:
        return
    try:
        wanted = parse(st.query_params.get(key, ""))
    except (ValueError, KeyError):
        wanted = None
    st.session_state[key] = wanted if wanted in options else default


def keep_in_url(values: dict[str, str | list[str]]) -> None:
    """Make the page's address say `values` (?key=value; a list repeats the key, an empty one removes it), writing
    only what it does not say already: what to set in one message, and each key to remove in one more (Streamlit
    has no removal of several at once). Each message has the browser rewrite its history entry and redraw the app
    from its root: several per run, on every page and every click, cost a desktop first visit 10-20 ms
    (docs/performance.md)."""
    wanted = {key: [value] if isinstance(value, str) else list(value) for key, value in values.items()}
    changed = {key: value for key, value in wanted.items() if value and st.query_params.get_all(key) != value}
    if changed:
        st.query_params.update(changed)
    for key in [key for key, value in wanted.items() if not value and key in st.query_params]:
        del st.query_params[key]


def radio_in_url(label: str, options: list[str], key: str, help: str) -> str:
    """A horizontal choice within a page, kept in the URL under `key` (?key=option) so a link opens on it; seeded
    from the URL once per session, as the sidebar's choices are. Returns the chosen option."""
    _from_url(key, options, options[0])
    chosen = st.radio(label, options, key=key, horizontal=True, help=help)
    keep_in_url({key: chosen})
    return chosen


def _parse_period(text: str) -> str:
    return periods.parse_period(text).isoformat()


def _quarter_words(iso: str) -> str:
    return periods.quarter_label(dt.date.fromisoformat(iso))


CHANGE_CHOICES = "Change quarter or comparison"


def _filters(bundle: Bundle) -> tuple[dt.date, str]:
    """The sidebar's quarter and comparator: what is chosen, in words, and the drop-downs to change them in a
    popover under it.

    Folded in a popover, the drop-downs are drawn only when a visitor opens it, so a first visit does not fetch
    Streamlit's drop-down code (about 60 kB of JavaScript with its menus): on a tablet over 4G that is 0.35 to 0.55 s
    of every first visit to every page (docs/performance.md, "The sidebar's choices in a popover"). Choosing
    takes one tap more; reading what is chosen takes none."""
    options = [d.isoformat() for d in period_options(bundle)]
    comparators = list(catalogue.COMPARATORS)
    _from_url(PERIOD_KEY, options, options[0], _parse_period)
    _from_url(COMPARATOR_KEY, comparators, catalogue.DEFAULT_COMPARATOR)
    with st.sidebar:
        shown = st.container()  # filled below, with the choices as the drop-downs return them
        with st.popover(CHANGE_CHOICES, width="stretch"):
            chosen = st.selectbox(
                "Quarter",
                options,
                key=PERIOD_KEY,
                persist_state="session",
                format_func=_quarter_words,
                help="The newest quarter with any published figures is chosen first. Teams publish their areas at"
                " different times: an area whose figures for the chosen quarter are not published yet shows"
                " its latest published quarter, and says so. Stock figures are at the quarter's last day.",
            )
            comparator = st.selectbox(
                "Compare with",
                comparators,
                key=COMPARATOR_KEY,
                persist_state="session",
                format_func=catalogue.COMPARATORS.get,
                help="Published DfE figures (annual). Statistical neighbours: the median of the ten councils most"
                " like Hackney in the DfE's 2025 model.",
            )
            st.caption(
                "Comparators are published once a year (31 March for children in care, 30 September for the"
                " workforce); each headline says which date it uses."
            )
        shown.markdown(
            f"Quarter: **{_quarter_words(chosen)}**  \nCompared with: **{catalogue.COMPARATORS[comparator]}**"
        )
    # The page's state lives in its URL, so a director can send the link: ?period=2025-03-31&compare=London
    keep_in_url({PERIOD_KEY: chosen, COMPARATOR_KEY: comparator})
    return dt.date.fromisoformat(chosen), comparator


def section(title: str) -> None:
    """A section of a page: its heading, with a rule under it (ui/blocks.py)."""
    blocks.show(blocks.section(title))


def area_intro(ctx: PageContext, text: str, comparators: bool = True) -> None:
    """The line under an area page's title: its quarter in bold, then `text`; and, when the area's figures for the
    chosen quarter are not published yet, which quarter it shows instead. Then the officers' commentary and, unless
    the page places it under its own headline cards (`comparators=False`), the comparator table."""
    from cpb_dash.ui import components

    st.markdown(components.plain(f"**{ctx.period_label}**. {text}"))
    if ctx.behind_note:
        st.info(ctx.behind_note, icon=":material/schedule:")
    if ctx.area is not None:
        components.commentary_box(ctx, ctx.area)
        if comparators and ctx.area in catalogue.COUNT_DATASETS:
            components.comparator_table(ctx, ctx.area)


# The browser tab's icon for each page's icon. Streamlit makes a ":material/...:" page icon a link to
# fonts.gstatic.com: a request to Google from every visitor's browser on every page, which the deployment's
# Content-Security-Policy refuses (deploy/nginx). An emoji is drawn in the browser (a data: URL) instead.
TAB_ICONS = {
    ":material/dashboard:": "📊",
    ":material/family_restroom:": "👪",
    ":material/home:": "🏠",
    ":material/groups:": "👥",
    ":material/checklist:": "✅",
    ":material/info:": "📖",
    ":material/upload_file:": "📤",
}


def page_setup(title: str, icon: str = ":material/dashboard:") -> PageContext | None:
    """Call first on every page. Returns None (after saying why) when there is no data to show."""
    st.set_page_config(
        page_title=f"{title} · Hackney CPB",
        page_icon=TAB_ICONS.get(icon, "📊"),
        layout="wide",
        initial_sidebar_state="auto",
    )  # closed on phones and tablets (<= 768 px)
    blocks.show(FOCUS_CSS + blocks.PAGE_CSS + static_table.TABLE_CSS + chart_image.CHART_CSS)  # style only
    from cpb_dash.ui import components

    components.new_page()
    if settings().require_sign_in_to_view and not viewer_gate():
        st.stop()
    _navigation()
    bundle = load_bundle()
    if not bundle.periods:
        st.title(title)
        st.warning(
            "No published snapshots were found in the data directory. An officer can publish one on the"
            " Upload page; a developer can run `make fixtures` for the sample data."
        )
        return None
    period, comparator = _filters(bundle)
    return PageContext(bundle=bundle, period=period, comparator=comparator)

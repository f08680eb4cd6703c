"""Accessibility in Chromium: axe-core's WCAG 2.2 A/AA rules on every page, and the keyboard path to the sidebar.

axe-core comes from the npm registry at the version package-lock.json pins (`make axe`, run by `make test`).
A page is checked twice: as it opens, and with every folded note ('Show as table', 'What this means'), 'Sort and
search' tab and expander opened, so the hidden halves of our components are checked too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cpb_dash.ui.layout import PAGES
from tests.browser.charts import CHARTS, PLACED, SHOWN
from tests.browser.conftest import url_path, wait_for_app
from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

# Violations that are Streamlit's own markup, not ours to fix: (rule id, a substring of the axe target selector),
# each with the reason. Keep this short; never allow a whole rule. Empty today: with the theme's text colour
# (.streamlit/config.toml) every page passes. See README, "Accessibility", for the limits axe does not see.
STREAMLIT_LIMITS: dict[tuple[str, str], str] = {}


PAGE_PATHS = [url_path(script) for script, _, _ in PAGES]


def charts_drawn(page, timeout: float = 30_000) -> None:
    """Every chart on the page shows its image, with its alt text (ui/chart_image.py)."""
    page.wait_for_function(PLACED, arg=0, timeout=timeout)


def run_axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (npm ci installs axe-core from package-lock.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: tags})", WCAG_TAGS)
    return result["violations"]


def ours(violations: list[dict]) -> list[str]:
    """Serious and critical findings, less the explicit Streamlit allow-list, as readable lines."""
    problems = []
    for violation in violations:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if any(rule == violation["id"] and part in target for rule, part in STREAMLIT_LIMITS):
                continue
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            problems.append(f"{violation['id']} ({violation['impact']}): {target}: {summary} {node['html'][:160]}")
    return problems


def open_hidden_halves(page) -> None:
    """Open every folded note ('Show as table', 'What this means', a card's definition), 'Sort and search' tab and
    expander that is on screen."""
    summaries = page.locator(".cpb-details > summary").filter(visible=True).all()
    for summary in summaries:
        summary.click()
    expect(page.locator(".cpb-details[open]")).to_have_count(len(summaries))
    # the action plan's lists: their interactive, sortable view (drawn only when chosen)
    for tab in page.get_by_role("tab", name="Sort and search").filter(visible=True).all():
        tab.click()
        wait_for_app(page)
    for summary in page.locator("[data-testid='stExpander'] summary").filter(visible=True).all():
        summary.click()
    wait_for_app(page)


def section_tabs(page) -> list:
    """Tabs that divide a page into sections (About the data has them), not a chart's Chart / Show as table nor
    the action plan's List / Read in full / Sort and search."""
    return [
        tab
        for tab in page.get_by_role("tab").filter(visible=True).all()
        if tab.inner_text().strip() not in ("Chart", "Show as table", "List", "Read in full", "Sort and search")
    ]


@pytest.mark.parametrize("path", PAGE_PATHS, ids=[p or "Overview" for p in PAGE_PATHS])
def test_every_page_passes_axe_wcag_22_aa(server, page, path):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    charts_drawn(page)
    problems = ours(run_axe(page))
    open_hidden_halves(page)
    problems += [f"[tables and expanders open] {p}" for p in ours(run_axe(page))]
    in_full = page.get_by_role("tab", name="Read in full").filter(visible=True).all()  # the action plan's lists
    for tab in in_full:
        tab.click()
        wait_for_app(page)
    if in_full:
        expect(page.locator("[data-action]").first).to_be_visible()
        problems += [f"[actions in full] {p}" for p in ours(run_axe(page))]
    for tab in section_tabs(page)[1:]:
        name = tab.inner_text().strip()
        tab.click()  # a section is drawn when its tab is chosen: wait for its rerun and its link
        expect(page).to_have_url(re.compile("section=" + re.escape(name.replace(" ", "+"))))
        panel = page.get_by_role("tabpanel").filter(visible=True)
        expect(panel.get_by_test_id("stElementContainer").first).to_be_visible()
        wait_for_app(page)
        open_hidden_halves(page)
        problems += [f"[section '{name}', expanders open] {p}" for p in ours(run_axe(page))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PAGE_PATHS, ids=[p or "Overview" for p in PAGE_PATHS])
def test_every_chart_has_a_text_alternative(server, page, path):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    charts = page.locator(CHARTS)
    for i in range(charts.count()):
        # one image shown per chart (the others are display: none, hidden from screen readers too)
        image = charts.nth(i).locator(SHOWN)
        expect(image).to_have_count(1)
        label = image.get_attribute("alt") or ""
        # chart_with_table passes "<title>. <sentence describing the trend>" as the chart's alt text
        assert len(label) > 40 and ". " in label, label


def _tab_to(page, locator, limit: int = 40) -> int:
    """Press Tab from the top of the page until `locator` has focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"Tab never reached {locator} in {limit} presses")


def _focus_ring(page) -> str:
    """The focused element's visible focus indicator: its outline, or a ring drawn round its control."""
    return page.evaluate(
        """() => {
            let el = document.activeElement;
            for (let i = 0; i < 3 && el; i++, el = el.parentElement) {
                const s = getComputedStyle(el);
                if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return 'outline ' + s.outlineColor;
                if (s.boxShadow && s.boxShadow !== 'none') return 'ring ' + s.boxShadow;
            }
            return '';
        }"""
    )


def test_the_keyboard_reaches_the_page_links_and_the_quarter_with_a_visible_focus(server, page):
    page.goto(f"{server.url}/Placement_stability")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")

    link = sidebar.get_by_role("link", name="Care population")
    _tab_to(page, link)
    expect(link).to_be_focused()
    expect(link).to_be_in_viewport()
    assert _focus_ring(page).startswith("outline"), "a focused page link shows no focus outline"

    change = sidebar.get_by_role("button", name="Change quarter or comparison")
    _tab_to(page, change)
    expect(change).to_be_focused()
    assert _focus_ring(page), "the focused 'Change quarter or comparison' button shows no focus ring"
    page.keyboard.press("Enter")  # opens the popover that holds the drop-downs
    quarter = page.get_by_role("combobox", name="Quarter")
    _tab_to(page, quarter)
    expect(quarter).to_be_focused()
    expect(quarter).to_be_in_viewport()
    assert _focus_ring(page), "the focused Quarter selector shows no focus ring"

    # and the keyboard can use it: open the list, move to an earlier quarter, choose it, and the page follows
    latest = quarter.input_value()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(quarter).not_to_have_value(latest)
    expect(page).to_have_url(re.compile(r"period=20\d\d-\d\d-\d\d"))


# Every control a mouse can use, as the keyboard should find it: links, buttons, inputs, expander summaries. Where
# a widget is one Tab stop by design, only that stop is counted: a tab list's selected tab and a radio group's
# checked radio (the arrow keys move within them), and a select box's text input (its "Open" arrow is for the mouse;
# the arrow keys open the list). A folded note's contents are reached once it is opened, through its summary.
CONTROLS_JS = """() => {
  const seen = [...document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [role=tab][aria-selected=true]')];
  return seen.filter(el => {
    const box = el.getBoundingClientRect();
    const hidden = box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden';
    // what a closed <details> holds is out of reach until it is opened (its summary is the stop)
    const folded = (el.tagName === 'SUMMARY' ? el.parentElement.parentElement : el).closest('details:not([open])');
    const inert = el.disabled || el.closest('[aria-hidden=true], [inert]') || folded;
    if (hidden || inert) return false;
    if (el.type === 'radio' && !el.checked) return false;
    const comboArrow = el.tagName === 'BUTTON' && el.getAttribute('aria-haspopup') === 'listbox'
      && el.closest('[role=group]') && el.closest('[role=group]').querySelector('input[aria-autocomplete]');
    return !comboArrow;
  }).map((el, i) => { el.dataset.kbd = String(i); return (el.innerText || el.getAttribute('aria-label') ||
                                                          el.tagName).trim().slice(0, 60); });
}"""


@pytest.mark.parametrize("path", PAGE_PATHS, ids=[p or "Overview" for p in PAGE_PATHS])
def test_the_keyboard_reaches_every_control_on_the_page(server, page, path):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    charts_drawn(page)
    controls = page.evaluate(CONTROLS_JS)
    assert len(controls) > 3, controls
    reached: set[str] = set()
    for _ in range(len(controls) * 3 + 20):  # generous: charts' own buttons and skip targets take stops too
        page.keyboard.press("Tab")
        mark = page.evaluate(
            "() => { let el = document.activeElement;"
            " while (el && !el.dataset.kbd) el = el.parentElement; return el && el.dataset.kbd; }"
        )
        if mark is not None:
            reached.add(mark)
        if len(reached) == len(controls):
            break
    missed = [name for i, name in enumerate(controls) if str(i) not in reached]
    assert not missed, f"Tab never reached: {missed}"

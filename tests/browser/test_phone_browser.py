"""On a phone (390 px) the sidebar starts closed, so a shared link opens on the page, not the menu; on a laptop it
starts open. The sidebar's filters are still there when it is opened."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import choose_quarter, sidebar_choices, wait_for_app


def _visit(browser, url: str, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 844}, is_mobile=width < 500, has_touch=width < 500
    )
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    return context, page


def test_the_sidebar_starts_closed_on_a_phone_and_opens_on_request(server, browser):
    context, page = _visit(browser, f"{server.url}/Workforce?period=2025-09-30", 390)
    try:
        expect(page.get_by_role("heading", name="Workforce stability").first).to_be_in_viewport()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        expect(sidebar_choices(page)).not_to_be_in_viewport()
        # the card's verdict is readable without opening anything
        expect(page.get_by_text("Red: off target (15.0% or less)").first).to_be_visible()
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        expect(sidebar_choices(page)).to_contain_text("Quarter: 2025-26 Q2 (Jul-Sep 2025)")
        # a quarter can be chosen with a finger at 390 px: the popover's drop-down and its list fit the screen
        choose_quarter(page, "2025-26 Q1 (Apr-Jun 2025)")
        expect(page).to_have_url(re.compile(r"period=2025-06-30"))
        expect(sidebar_choices(page)).to_contain_text("Quarter: 2025-26 Q1 (Apr-Jun 2025)")
        expect(page.get_by_role("combobox", name="Quarter")).to_be_in_viewport()
    finally:
        context.close()


def test_the_sidebar_starts_open_on_a_laptop(server, browser):
    context, page = _visit(browser, server.url, 1280)
    try:
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        expect(sidebar_choices(page)).to_be_visible()
        expect(page.get_by_role("button", name="Change quarter or comparison")).to_be_visible()
    finally:
        context.close()


def test_the_overview_on_a_phone_is_a_list_to_scan_and_each_line_opens_its_page(server, browser):
    context, page = _visit(browser, f"{server.url}/?period=2025-09-30", 390)
    try:
        lines = page.locator(".st-key-at-a-glance").get_by_test_id("stPageLink-NavLink")
        expect(lines.first).to_be_in_viewport()  # the first thing under the title
        # every line whole: wrapped, never cut off with an ellipsis
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.st-key-at-a-glance [data-testid=stPageLink-NavLink] span')]
                .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.textContent)"""
        )
        assert cut == []
        # short enough to scan: it was about 11,200 px tall at 390 px with a card per headline
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        assert height < 6500, height
        page.get_by_role("link", name=re.compile(r"^Agency workers 21\.5%")).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Workforce stability").first).to_be_visible()
        expect(page).to_have_url(re.compile(r"/Workforce"))
    finally:
        context.close()


def test_the_comparator_table_is_on_show_on_a_phone(server, browser):
    context, page = _visit(browser, f"{server.url}/Workforce?period=2025-09-30", 390)
    try:
        table = page.locator("[data-comparators='workforce']").get_by_role(
            "region", name="How Hackney compares with every comparator"
        )
        table.scroll_into_view_if_needed()
        expect(table).to_be_visible()  # no click needed
        box = table.bounding_box()
        assert box is not None and box["width"] <= 390 and box["height"] < 320  # compact: five rows and a header
        # the figures scroll sideways inside the table, the page itself does not
        assert table.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        # the measure stays in view as the figures scroll
        table.evaluate("el => { el.scrollLeft = 400; }")
        first = table.get_by_role("rowheader", name="Agency workers")
        cell = first.bounding_box()
        assert cell is not None and cell["x"] >= box["x"] - 1 and cell["x"] < box["x"] + 20
    finally:
        context.close()

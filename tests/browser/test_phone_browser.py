"""On a phone (390 px) the sidebar starts closed, so a shared link opens on the page, not the menu; on a laptop it
starts open. The sidebar's filters are still there when it is opened."""

from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app


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
        expect(page.get_by_role("combobox", name="Quarter")).not_to_be_in_viewport()
        # the card's verdict is readable without opening anything
        expect(page.get_by_text("Red: off target (15.0% or less)").first).to_be_visible()
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        expect(page.get_by_role("combobox", name="Quarter")).to_be_visible()
    finally:
        context.close()


def test_the_sidebar_starts_open_on_a_laptop(server, browser):
    context, page = _visit(browser, server.url, 1280)
    try:
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        expect(page.get_by_role("combobox", name="Quarter")).to_be_visible()
    finally:
        context.close()

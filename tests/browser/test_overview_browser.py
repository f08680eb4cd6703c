"""The overview in a real browser, and a deep link as the very first request to a new server."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app


def test_overview_draws_headlines_in_chromium(server, page):
    page.goto(server.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Children in Hackney's care: overview")).to_be_visible()
    # the verdict list first: one link per headline, worst first
    glance = page.locator(".st-key-at-a-glance").get_by_test_id("stPageLink-NavLink")
    expect(glance.first).to_be_visible()
    assert glance.count() >= 15
    expect(page.get_by_role("link", name=re.compile(r"^Agency workers 21\.5%: off target"))).to_be_visible()
    # then each area in a few lines
    expect(page.get_by_text("Children in care 346", exact=False).first).to_be_visible()


def test_deep_link_to_a_page_works_for_a_first_visitor(fresh_server, page):
    # The very first page request this server sees is the deep link (see code-style.md: the pages/ trap).
    page.goto(f"{fresh_server.url}/Placement_stability?period=2025-03-31")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Placement stability").first).to_be_visible()
    # the shared sidebar came with it, and kept the period from the URL
    expect(page.get_by_role("combobox", name="Quarter")).to_have_value("2024-25 Q4 (Jan-Mar 2025)")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()


def test_the_chosen_quarter_follows_the_councillor_to_another_page_and_into_the_url(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("combobox", name="Quarter").click()
    page.get_by_role("option", name="2024-25 Q4 (Jan-Mar 2025)").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"period=2025-03-31"))
    page.get_by_test_id("stSidebar").get_by_role("link", name="Placement stability").click()
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Quarter")).to_have_value("2024-25 Q4 (Jan-Mar 2025)")
    expect(page).to_have_url(re.compile(r"/Placement_stability\?.*period=2025-03-31"))

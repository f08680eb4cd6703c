"""The overview in a real browser, and a deep link as the very first request to a new server."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import choose_quarter, sidebar_choices, wait_for_app


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
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()


def test_the_chosen_quarter_follows_the_councillor_to_another_page_and_into_the_url(server, page):
    page.goto(server.url)
    wait_for_app(page)
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2025-26 Q2 (Jul-Sep 2025)")
    choose_quarter(page, "2024-25 Q4 (Jan-Mar 2025)")
    expect(page).to_have_url(re.compile(r"period=2025-03-31"))
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Placement stability").click()
    wait_for_app(page)
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    expect(page).to_have_url(re.compile(r"/Placement_stability\?.*period=2025-03-31"))


def test_the_sidebar_s_drop_downs_are_drawn_only_when_asked_for(server, page):
    # Their code (Streamlit's drop-down and menus, about 60 kB) is fetched when the popover is opened, not on every
    # first visit (docs/performance.md: 0.35 to 0.55 s of a tablet's first visit).
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if "/static/js/" in request.url else None)
    page.goto(f"{server.url}/Care_population?compare=London")
    wait_for_app(page)
    expect(sidebar_choices(page)).to_contain_text("Compared with: London")
    expect(page.get_by_role("combobox")).to_have_count(0)
    assert not [url for url in scripts if "/Selectbox." in url]
    choose_quarter(page, "2024-25 Q4 (Jan-Mar 2025)")
    assert [url for url in scripts if "/Selectbox." in url]
    expect(page.get_by_role("combobox", name="Compare with")).to_have_value("London")
    expect(page.locator("p").filter(has_text="2024-25 Q4 (Jan-Mar 2025). How many children").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"period=2025-03-31.*compare=London|compare=London.*period=2025-03-31"))

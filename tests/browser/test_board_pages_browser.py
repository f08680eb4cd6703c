"""Workforce, Action plan and About the data in Chromium: deep links draw their charts, "Show as table" and the
CSV download work, and markup typed into an action's update is shown as text, never run."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.app.page_helpers import rewrite_snapshot
from tests.browser.charts import CHARTS, charts_drawn, image_loaded
from tests.browser.conftest import copy_fixtures, sidebar_choices, start_server, stop_server, wait_for_app

XSS = "<img src=x onerror=alert(1)> Update with markup"


def test_workforce_deep_link_as_first_visit_draws_its_charts(fresh_server, page):
    page.goto(f"{fresh_server.url}/Workforce?period=2025-03-31&compare=London&area_measure=Turnover")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Workforce stability").first).to_be_visible()
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    charts_drawn(page, at_least=9)  # six trends, the chosen measure by service area, two ethnicity charts
    expect(page.get_by_text("London:", exact=False).first).to_be_visible()
    expect(page.get_by_role("radio", name="Turnover")).to_be_checked()
    image_loaded(page, page.locator("[data-chart='turnover_pct-by-service-area']").locator(CHARTS))


def test_workforce_show_as_table_and_csv_download(server, page):
    page.goto(f"{server.url}/Workforce")
    wait_for_app(page)
    charts_drawn(page, at_least=9)
    block = page.locator("[data-chart='workforce-ethnicity-by-role']")
    table = block.get_by_role("region", name=re.compile("^Social workers. ethnicity at each grade"))
    expect(table).to_be_hidden()  # folded under its summary until asked for
    block.get_by_text("Show as table", exact=True).click()  # opened in the browser: no rerun
    expect(table).to_be_visible()
    expect(table.get_by_role("cell", name="Practitioner").first).to_be_visible()
    image_loaded(page, block.locator(CHARTS))  # the chart stays above its table
    with page.expect_download() as info:
        block.get_by_role("link", name=re.compile("^Download CSV")).click()
    download = info.value
    assert download.suggested_filename == "workforce-ethnicity-by-role.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert {"Ethnic group", "Social workers", "Ratio to all social workers"} <= set(rows[0])
    assert {r["Social workers"] for r in rows} == {
        "Practitioner",
        "Senior practitioner",
        "Manager",
        "All social workers",
    }


def test_action_plan_link_with_filters_draws_chart_and_downloads_the_filtered_list(server, page):
    page.goto(f"{server.url}/Action_plan?priority=1&priority=5&anti_racist=1")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Children's Action Plan")).to_be_visible()
    charts_drawn(page, at_least=1)
    chart = page.locator("[data-chart]").first
    chart.get_by_text("Show as table", exact=True).click()
    expect(chart.get_by_role("region")).to_be_visible()
    # the list of actions is a plain table on arrival; sorting is one tab away
    listed = page.get_by_role("region", name="All actions shown")
    expect(listed.get_by_role("rowheader").first).to_be_visible()
    actions = page.locator(".st-key-actions-action-plan-actions")
    actions.get_by_role("tab", name="Read in full").click()
    expect(actions.locator("[data-action]").first).to_be_visible()  # each action shown, as a card
    expect(listed).to_have_count(0)
    # the open tab goes in the address with the filters: the link opens the list as it was seen
    expect(page).to_have_url(re.compile(r"[?&]list=Read\+in\+full"))
    assert "priority=5" in page.url and "anti_racist=1" in page.url
    page.goto(page.url)
    wait_for_app(page)
    expect(actions.locator("[data-action]").first).to_be_visible()
    expect(listed).to_have_count(0)
    actions.get_by_role("tab", name="Sort and search").click()
    expect(actions.get_by_test_id("stDataFrame")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download CSV\W+All actions shown")).click()
    download = info.value
    assert download.suggested_filename == "action-plan-actions.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows and {r["Priority"] for r in rows} <= {"1", "5"}
    assert {r["Anti-racist"] for r in rows} == {"Yes"}


def test_action_plan_filters_open_on_request_and_say_what_is_in_use(server, page):
    # The controls are in a popover: a first visit fetches none of their code (the multiselect's and the switch's),
    # nor any drop-down's (the sidebar's are in a popover too; each action in full is a tab of the list)
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url) if "/static/js/" in request.url else None)
    page.goto(f"{server.url}/Action_plan")
    wait_for_app(page)
    shown = page.locator("[data-figure='Actions shown'] .cpb-figure")
    expect(shown).to_have_text("35 of 35")
    expect(page.get_by_text("Filters in use:")).to_have_count(0)
    assert not [url for url in scripts if re.search(r"/(Multiselect|Checkbox|Selectbox)\.", url)]
    page.get_by_role("button", name="Filter the actions: priority, status, lead").click()
    page.get_by_text("Overdue only", exact=True).click()  # the switch's label, as a finger would
    wait_for_app(page)
    expect(page.get_by_text("Filters in use: Overdue only.")).to_be_visible()
    expect(shown).not_to_have_text("35 of 35")
    expect(page).to_have_url(re.compile(r"overdue=1"))


def test_about_the_data_by_deep_link(server, page):
    page.goto(f"{server.url}/About_the_data")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="About the data")).to_be_visible()
    # its card (the table of every indicator, folded, holds the name too)
    expect(page.locator("[data-definition]").get_by_text("Social worker turnover rate", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Comparators").click()
    expect(page.get_by_text("Southwark")).to_be_visible()
    expect(page).to_have_url(re.compile(r"section=Comparators"))  # the open section goes in the link


def test_a_link_to_a_section_of_about_the_data_opens_it(server, page):
    page.goto(f"{server.url}/About_the_data?section=Words+we+use")
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Words we use")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Corporate parent", exact=False).first).to_be_visible()
    expect(page.get_by_text("Social worker turnover rate", exact=True)).to_have_count(0)  # Indicators not drawn


def test_markup_in_an_update_appears_as_text_and_never_runs(tmp_path, page):
    data = copy_fixtures(tmp_path / "data")
    latest = max(p.name for p in (data / "action_plan").iterdir())

    def edit(frame) -> None:
        target = frame[frame["status"] == "Off track"]["action_id"].iloc[0]  # shown under "Needs attention"
        frame.loc[frame["action_id"] == target, "update"] = XSS

    rewrite_snapshot(data, "action_plan", latest, edit)
    server = start_server(data, tmp_path / "streamlit.log")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{server.url}/Action_plan")
        wait_for_app(page)
        card = page.locator("[data-action]").filter(has_text=XSS).first  # under "Needs attention"
        shown = card.locator(".cpb-pre").filter(has_text=XSS)
        expect(shown).to_be_visible()
        assert shown.inner_text().strip() == XSS  # the characters typed, as text
        assert page.locator("img[src='x']").count() == 0
        assert dialogs == []
    finally:
        stop_server(server)

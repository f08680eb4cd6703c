"""The Care population and Placement stability pages in Chromium: opened by deep link (one as the first request
to a new server), they draw their charts; 'Show as table' shows a table; the CSV download works and is escaped."""

import csv
import io
import re

from playwright.sync_api import expect

from cpb_dash.formatting import format_number
from tests.app.conftest import latest_period
from tests.app.page_helpers import snapshot, total
from tests.browser.charts import all_images_loaded, charts_drawn
from tests.browser.conftest import sidebar_choices, wait_for_app


def assert_charts_drawn(page, at_least: int) -> None:
    charts_drawn(page, at_least)
    all_images_loaded(page)


def download_csv(page, index: int) -> tuple[str, list[list[str]]]:
    button = page.get_by_role("link", name=re.compile("^Download CSV")).nth(index)
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    download = info.value
    text = open(download.path(), encoding="utf-8-sig").read()
    return download.suggested_filename, list(csv.reader(io.StringIO(text)))


def show_first_table(page) -> None:
    """Open the first chart's "Show as table": its table appears under the chart, in the browser alone."""
    chart = page.locator("[data-chart]").first
    chart.get_by_text("Show as table", exact=True).click()
    expect(chart.get_by_role("region")).to_be_visible()
    expect(chart.get_by_role("rowheader").first).to_be_visible()


def test_care_population_by_deep_link_as_a_first_visit(fresh_server, page):
    # The first request this server sees: the page, a quarter, and a breakdown topic, all from the link.
    page.goto(f"{fresh_server.url}/Care_population?period=2025-03-31&topic=Ethnicity")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Care population").first).to_be_visible()
    expect(sidebar_choices(page)).to_contain_text("Quarter: 2024-25 Q4 (Jan-Mar 2025)")
    expect(page.get_by_role("radio", name="Ethnicity")).to_be_checked()
    assert_charts_drawn(page, at_least=10)
    show_first_table(page)

    # The flows table: the third download (after the rate and number trends). 'Started minus left' is often
    # negative, so its cells begin with '-' and must reach the spreadsheet escaped.
    name, rows = download_csv(page, 2)
    assert name == "cla-started-and-left.csv"
    assert rows[0] == ["Quarter", "Started care (children)", "Left care (children)", "Started minus left"]
    counts = snapshot("care_population", "2025-03-31")
    started, left = total(counts, "cla_started"), total(counts, "cla_ceased")
    last = rows[-1]
    assert last[0] == "2024-25 Q4 (Jan-Mar 2025)"
    assert last[1:3] == [format_number(started), format_number(left)]
    # shown as '-6' or '+2' on screen; in the CSV, prefixed with an apostrophe so no spreadsheet runs it
    assert last[3] == f"'{int(started - left):+d}"
    assert all(row[3].startswith("'") for row in rows[1:])


def test_placement_stability_draws_charts_tables_and_downloads(server, page):
    page.goto(f"{server.url}/Placement_stability?compare=London")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Placement stability").first).to_be_visible()
    assert_charts_drawn(page, at_least=7)
    show_first_table(page)

    name, rows = download_csv(page, 0)
    assert name == "stab_3plus_pct-trend.csv"
    assert rows[0] == ["Quarter", "Hackney (%)", "England", "London"]
    counts = snapshot("placement_stability", latest_period("placement_stability"))
    expected = format_number(total(counts, "stab_3plus_placements") / total(counts, "stab_cla_total") * 100)
    assert rows[-1][1] == f"{expected}%"

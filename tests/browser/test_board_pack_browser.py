"""The Overview's board pack in Chromium: prepare, download, and the file holds the overview's headline figures."""

from playwright.sync_api import expect

from cpb_dash import catalogue, views
from cpb_dash.store import Store
from tests.browser.conftest import wait_for_app
from tests.test_pack import visible_text


def test_the_overview_board_pack_downloads_an_html_file_with_the_headline_figures(server, page):
    page.goto(server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Prepare board pack").click()
    download_button = page.get_by_role("button", name="Download board pack")
    expect(download_button).to_be_visible(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".html")
    text = visible_text(open(download.path(), encoding="utf-8").read())

    bundle = views.build_bundle(Store(server.data_dir), catalogue.SUPPRESSION_THRESHOLD)
    shown = page.locator("body").inner_text()  # the Overview's glance and area lines give each figure
    for area in catalogue.COUNT_DATASETS:
        for view in views.area_headlines(bundle, area, bundle.latest_period, catalogue.DEFAULT_COMPARATOR):
            # what the councillor saw on the page (the Overview's lines give a rate without its unit: "64")...
            assert view.figure.split(" ")[0] in shown
            assert view.figure in text and view.sentence in text  # ...is in the pack they printed

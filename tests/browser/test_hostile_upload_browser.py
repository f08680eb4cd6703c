"""A file built to kill the reader, uploaded through the real file input of a real server: the officer gets a
message, nothing is published, and the server (and every other visitor's page) carries on. Before uploads were
read in a child process, this file aborted the whole Streamlit server (pyarrow 26 cannot pass on the error)."""

from __future__ import annotations

import urllib.request

from playwright.sync_api import expect

from cpb_dash.store import content_hash
from tests.browser.conftest import wait_for_app
from tests.browser.test_upload_browser import OFFICER, PASSWORD, officer_server  # noqa: F401 (a fixture)
from tests.test_hostile_files import reader_killer


def test_a_file_that_aborts_the_reader_does_not_take_the_server_down(officer_server, page, browser):  # noqa: F811
    before = {p: content_hash(p.read_bytes()) for p in officer_server.data_dir.rglob("*") if p.is_file()}
    page.goto(f"{officer_server.url}/Upload")
    wait_for_app(page)
    page.get_by_role("textbox", name="E-mail").fill(OFFICER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "q2.parquet", "mimeType": "application/octet-stream", "buffer": reader_killer()}]
    )
    expect(page.get_by_text("The file made the reader fail")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)

    with urllib.request.urlopen(f"{officer_server.url}/_stcore/health", timeout=10) as answer:
        assert answer.status == 200  # the server is still up
    visitor = browser.new_context().new_page()  # another visitor, a new session
    visitor.goto(officer_server.url)
    wait_for_app(visitor)
    expect(visitor.locator("[data-figure] .cpb-figure").first).to_be_visible(timeout=30_000)
    after = {p: content_hash(p.read_bytes()) for p in officer_server.data_dir.rglob("*") if p.is_file()}
    assert after == before

"""Excel through the real file input in a browser: the picker takes an .xlsx (it used to show only a red mark
before our checks ran) and the report follows; a macro-enabled .xlsm reaches our own message on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.browser.test_upload_browser import OFFICER, PASSWORD, officer_server  # noqa: F401
from tests.contract_helpers import care_population
from tests.xlsx_helpers import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.browser


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/Upload")
    wait_for_app(page)
    page.get_by_role("textbox", name="E-mail").fill(OFFICER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)


def test_the_picker_takes_an_xlsx_and_our_checks_speak_for_an_xlsm(officer_server, page):  # noqa: F811
    sign_in(page, officer_server.url)
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    uploader.set_input_files(
        files=[{"name": "care q2.xlsx", "mimeType": XLSX, "buffer": workbook_bytes(care_population())}]
    )
    expect(page.get_by_text("File: care q2.xlsx")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("2. Validation report")).to_be_visible()
    expect(page.get_by_test_id("stFileUploaderFileErrorMessage")).to_have_count(0)

    uploader.set_input_files(
        files=[{"name": "care q2.xlsm", "mimeType": XLSX, "buffer": workbook_bytes(care_population())}]
    )
    expect(page.get_by_text("File: care q2.xlsm")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("can hold macros", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stFileUploaderFileErrorMessage")).to_have_count(0)

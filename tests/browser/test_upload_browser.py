"""Publishing in a real browser: sign in, upload through the real file input, publish, see the overview change,
roll back, see it return. A fresh server with a private copy of the sample data and a test secrets file."""

from __future__ import annotations

import io
import re

import pyarrow.parquet as pq
import pytest
from playwright.sync_api import expect

from cpb_dash.auth import hash_password
from cpb_dash.formatting import format_number
from cpb_dash.store import Store
from tests.browser.conftest import copy_fixtures, start_server, stop_server, wait_for_app

OFFICER = "officer@hackney.gov.uk"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def officer_server(tmp_path):
    secrets = tmp_path / "secrets.toml"  # never the repository's .streamlit/secrets.toml
    secrets.write_text(f'[cpb.officers]\n"{OFFICER}" = "{hash_password(PASSWORD)}"\n')
    srv = start_server(
        copy_fixtures(tmp_path / "data"), tmp_path / "streamlit.log", extra_args=["--secrets.files", str(secrets)]
    )
    yield srv
    stop_server(srv)


def revised_latest_care_population(data_dir, extra: int) -> tuple[float, bytes]:
    folder = max((data_dir / "care_population").iterdir())
    (path,) = folder.glob("*.parquet")
    frame = pq.read_table(path).to_pandas()
    cla = frame["measure"] == "cla"
    before = frame.loc[cla & (frame["breakdown_topic"] == "Total"), "value"].item()
    frame.loc[cla & (frame["breakdown_topic"] == "Total"), "value"] += extra
    for topic in frame.loc[cla & (frame["breakdown_topic"] != "Total"), "breakdown_topic"].unique():
        rows = frame.index[cla & (frame["breakdown_topic"] == topic) & (frame["value"] >= 10)]
        frame.loc[rows[0], "value"] += extra
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return before, buffer.getvalue()


def children_in_care(page):
    """The figure in the Overview's care population line ("Children in care **346**: ...")."""
    line = page.locator("li").filter(has_text=re.compile(r"^Children in care \d")).first
    return line.locator("strong").first


def test_sign_in_upload_publish_see_it_roll_back_see_it_return(officer_server, page):
    before, data = revised_latest_care_population(officer_server.data_dir, 11)
    page.goto(f"{officer_server.url}/Upload")  # a deep link is the first request this server sees
    wait_for_app(page)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)  # nothing before sign-in
    page.get_by_role("textbox", name="E-mail").fill(OFFICER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "care q2 revised.parquet", "mimeType": "application/octet-stream", "buffer": data}]
    )
    expect(page.get_by_text("This is a revision")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    confirm = page.get_by_text(re.compile(r"I have checked the \d+ warning"))
    if confirm.count():
        confirm.click()
        wait_for_app(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile(r"published version [0-9a-f]{12} \("))).to_be_visible(timeout=30_000)
    assert Store(officer_server.data_dir).history("care_population").iloc[0]["published_by"] == OFFICER

    page.get_by_role("link", name="See the overview with the new figures").click()
    wait_for_app(page)
    expect(children_in_care(page)).to_have_text(format_number(before + 11))

    page.get_by_role("link", name="Upload (officers)").click()  # same session: still signed in
    expect(page.get_by_role("heading", name="History: Care population")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    versions = page.get_by_role("combobox", name="A version")
    versions.click()
    versions.press_sequentially("superseded")  # the select filters its options as one types
    page.get_by_role("option").filter(has_text="superseded").first.click()
    wait_for_app(page)
    page.get_by_role("button", name="Roll back to this version").click()
    expect(page.get_by_text("Every Member and visitor sees the change at once")).to_be_visible()
    page.get_by_role("button", name="Yes, roll back").click()
    expect(page.get_by_text("rolled back to version")).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Overview", exact=True).click()
    wait_for_app(page)
    expect(children_in_care(page)).to_have_text(format_number(before))

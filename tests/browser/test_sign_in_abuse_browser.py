"""Sign-in abuse in a real browser against a real server: Streamlit's "clear cache" message, which any visitor's
browser can send over the app's WebSocket, must not reset the count of failed sign-ins, and the answer after the
count runs out must be the same for an officer's address and for an address that is no account."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState

from cpb_dash.auth import hash_password
from tests.browser.conftest import copy_fixtures, start_server, stop_server, wait_for_app

OFFICER = "officer@hackney.gov.uk"
PASSWORD = "correct horse battery staple"

# What an attacker's script sends: "clear cache", then "rerun" so that an answer tells us the server has read it
# (a session handles its messages in order).
SEND_CLEAR_CACHE = """async ([clear, rerun]) => {
  const url = location.origin.replace(/^http/, 'ws') + '/_stcore/stream';
  const ws = new WebSocket(url, ['streamlit']);
  ws.binaryType = 'arraybuffer';
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  const answered = new Promise(ok => { ws.onmessage = ok; });
  ws.send(new Uint8Array(clear));
  ws.send(new Uint8Array(rerun));
  await answered;
  ws.close();
  return true;
}"""
CLEAR = list(BackMsg(clear_cache=True).SerializeToString())
RERUN = list(BackMsg(rerun_script=ClientState()).SerializeToString())


@pytest.fixture
def officer_server(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[cpb.officers]\n"{OFFICER}" = "{hash_password(PASSWORD)}"\n')
    # A ten-minute first wait, so that the test's own pace cannot outlast it.
    srv = start_server(
        copy_fixtures(tmp_path / "data"),
        tmp_path / "streamlit.log",
        extra_env={"CPB_SIGN_IN_BACKOFF_SECONDS": "600"},
        extra_args=["--secrets.files", str(secrets)],
    )
    yield srv
    stop_server(srv)


def try_sign_in(browser, url: str, email: str, password: str, clear_cache_first: bool = False):
    """A new browser (no cookies, a new Streamlit session) tries one password; returns the page to read."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{url}/Upload")
    wait_for_app(page)
    if clear_cache_first:
        assert page.evaluate(SEND_CLEAR_CACHE, [CLEAR, RERUN])
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    return context, page


def test_clearing_the_cache_does_not_reset_failed_sign_ins(officer_server, browser):
    # 25 guesses, a cache clear before every one, each from a fresh browser: only the first five are evaluated
    # (before the fix, all 25 were).
    answers = []
    for attempt in range(25):
        context, page = try_sign_in(
            browser, officer_server.url, OFFICER, f"guess number {attempt}", clear_cache_first=True
        )
        alert = page.get_by_test_id("stAlert")
        expect(alert).to_have_count(1)
        answers.append(alert.inner_text())
        context.close()
    assert all("do not match" in a for a in answers[:5]), answers[:5]
    assert all("Too many failed attempts" in a for a in answers[5:]), answers[5:]
    # Even the right password waits: the count survived every clear.
    context, page = try_sign_in(browser, officer_server.url, OFFICER, PASSWORD, clear_cache_first=True)
    expect(page.get_by_test_id("stAlert").filter(has_text="Too many failed attempts")).to_have_count(1)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    # The board is still drawn for everyone after all those clears.
    page.goto(officer_server.url)
    wait_for_app(page)
    expect(page.locator("[data-figure] .cpb-figure").first).to_be_visible()  # the action plan's figures
    context.close()


def test_the_answer_does_not_tell_which_addresses_are_officers(officer_server, browser):
    def answers_for(email: str) -> list[str]:
        out = []
        for attempt in range(6):
            context, page = try_sign_in(browser, officer_server.url, email, f"wrong guess {attempt}")
            out.append(page.get_by_test_id("stAlert").inner_text())
            context.close()
        return out

    assert answers_for(OFFICER) == answers_for("nobody-at-all@example.org")

"""Browser tests: a real `streamlit run` on a free localhost port, driven by Playwright in Debian's Chromium.

Tests wait on conditions (Playwright's `expect`, the app's script state), never on sleeps.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

CHROMIUM = os.environ.get("CPB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


def url_path(script: str) -> str:
    """'app.py' -> '', 'pages/1_Care_population.py' -> 'Care_population' (Streamlit's URL for a pages/ file)."""
    if script == "app.py":
        return ""
    return re.sub(r"^\d+_", "", Path(script).stem)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path


def start_server(
    data_dir: Path,
    log: Path,
    extra_env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
    script: Path = ROOT / "app.py",
) -> Server:
    port = _free_port()
    env = {**os.environ, "CPB_DATA_DIR": str(data_dir), **(extra_env or {})}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        *(extra_args or []),
    ]
    handle = log.open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # bounded: the server answers its health check or the test fails
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return Server(url, data_dir, process, log)
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def copy_fixtures(dest: Path) -> Path:
    """A private copy of the sample data, so tests that publish never touch the repository's files."""
    shutil.copytree(FIXTURES, dest)
    return dest


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (as root), as .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """One server for read-only page tests (a fresh server per test where a first visit matters)."""
    base = tmp_path_factory.mktemp("server")
    srv = start_server(copy_fixtures(base / "data"), base / "streamlit.log")
    yield srv
    stop_server(srv)


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[Server]:
    srv = start_server(copy_fixtures(tmp_path / "data"), tmp_path / "streamlit.log")
    yield srv
    stop_server(srv)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Connected, script finished, no skeletons left: the page is drawn."""
    from playwright.sync_api import expect

    app = page.locator("[data-testid='stApp']")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=timeout)


def sidebar_choices(page):
    """The sidebar's line saying which quarter and comparator are chosen ("Quarter: ... Compared with: ...")."""
    return page.get_by_test_id("stSidebar").get_by_test_id("stMarkdownContainer").filter(has_text="Compared with:")


def open_choices(page):
    """Open the sidebar's "Change quarter or comparison" popover; the drop-downs are drawn in it."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Change quarter or comparison").click()
    expect(page.get_by_role("combobox", name="Quarter")).to_be_visible()


def choose_quarter(page, label: str) -> None:
    """Choose a quarter (its label as the drop-down shows it) in the sidebar, and wait for the page to follow."""
    open_choices(page)
    page.get_by_role("combobox", name="Quarter").click()
    page.get_by_role("option", name=label).click()
    wait_for_app(page)

"""Time from navigation to every chart drawn, per page, in Debian's Chromium against `streamlit run`:
python -m bench.browser DATA_DIR prints one JSON line.

Each visit is a new browser context (a new session, as a councillor opening a link); the server has served each
page once before timing starts (its caches warm, as on a server that has been up since the last publish). The clock
runs from page.goto() until the script has finished and every Vega chart on the page has its canvas or SVG, and
the page holds as many charts as AppTest counts for it.

The floor, timed the same way in the same run: bench/hello_page.py, a one-line Streamlit app (a title and a
sentence), which is what Streamlit itself costs to load in this browser on this machine (its JavaScript, the
WebSocket, the first script run) before any of our pages draws anything.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import BENCHED, ROOT, open_page
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, url_path

VISITS = 5
ALL_DRAWN = """n => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')];
  return app && app.dataset.testScriptState === 'notRunning' && charts.length >= n
    && charts.every(chart => chart.querySelector('canvas, svg'));
}"""


def expected_charts(page: str) -> int:
    return len(open_page(page).get("vega_lite_chart"))


def visit(browser, url: str, charts: int) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        start = time.perf_counter()
        tab.goto(url)
        tab.wait_for_function(ALL_DRAWN, arg=charts, timeout=60_000, polling="raf")
        return time.perf_counter() - start
    finally:
        context.close()


def _time_visits(browser, url: str, charts: int) -> dict[str, float]:
    visit(browser, url, charts)  # warm the server for this page
    times = [visit(browser, url, charts) for _ in range(VISITS)]
    return {"median_s": statistics.median(times), "max_s": max(times)}


def main(data_dir: str) -> None:
    from playwright.sync_api import sync_playwright

    counts = {page: expected_charts(page) for page in BENCHED}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(data_dir), Path(tmp) / "streamlit.log")
        hello = start_server(Path(data_dir), Path(tmp) / "hello.log", script=ROOT / "bench" / "hello_page.py")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                results.append({"page": "streamlit-hello", "charts": 0, **_time_visits(browser, hello.url, 0)})
                for page in BENCHED:
                    url = f"{server.url}/{url_path(page)}"
                    results.append({"page": page, "charts": counts[page], **_time_visits(browser, url, counts[page])})
                browser.close()
        finally:
            stop_server(server)
            stop_server(hello)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])

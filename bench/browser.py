"""Time from navigation to every chart drawn, per page, in Debian's Chromium against `streamlit run`:
python -m bench.browser DATA_DIR prints one JSON line.

Two ways a councillor reaches a page, each timed 5 times (median and slowest):

- **Moving between pages** (`move_s`): the dashboard is open in a tab; the clock runs from the click on the page's
  link in the sidebar until the page's script has run and every chart on it has drawn (its image). Each
  move starts from the Overview (the Overview's own from Care population). This is most of a visit: the
  sidebar, the period and the comparator stay as they are.
- **First visit** (`median_s`): a link opened in a new browser context (a new session, nothing cached); the clock
  runs from page.goto() until the same condition. The floor, timed the same way in the same run, is
  bench/hello_page.py, a one-line Streamlit app (a title and a sentence): what Streamlit itself costs to load in
  this browser on this machine (its JavaScript, the WebSocket, the first script run) before any of our pages
  draws anything.

The server has served each page once before timing starts (its caches warm, as on a server that has been up
since the last publish), and each page holds as many charts as AppTest counts for it.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import BENCHED, ROOT, chart_count, open_page
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, url_path

VISITS = 5
# A chart is an image drawn on the server (ui/chart_image.py), in a few widths of which CSS shows one. It counts
# as drawn when that image has arrived, or when it is below the screen (a lazy image: the browser fetches it as it
# is scrolled to, so a visitor never waits for it on arrival).
ALL_DRAWN = """n => {
  const app = document.querySelector('[data-testid=stApp]');
  const charts = [...document.querySelectorAll('.cpb-chart')];
  const drawn = chart => {
    const img = [...chart.querySelectorAll('img')].find(i => getComputedStyle(i).display !== 'none');
    return !!img && ((img.complete && img.naturalWidth > 0) || img.getBoundingClientRect().top > innerHeight);
  };
  return app && app.dataset.testScriptState === 'notRunning' && charts.length >= n && charts.every(drawn);
}"""


def expected(page: str) -> tuple[int, str]:
    """What the page draws, as AppTest sees it: its number of charts and its title."""
    at = open_page(page)
    return chart_count(at), at.title[0].value


# The page has arrived: its own title is showing (not the last page's), its script has finished, and it holds
# exactly its charts, each drawn.
MOVED = (
    "([n, title]) => { const h1 = document.querySelector('[data-testid=stMain] h1');"
    " return !!h1 && h1.textContent.trim() === title"
    " && document.querySelectorAll('.cpb-chart').length === n && (" + ALL_DRAWN + ")(n); }"
)


def move(tab, page: str, charts: int, title: str) -> float:
    """Click `page`'s link in the sidebar of the open dashboard; seconds until it has run and drawn its charts."""
    link = tab.locator(f'[data-testid=stSidebar] a[href="{url_path(page)}"]')
    start = time.perf_counter()
    link.click()
    tab.wait_for_function(MOVED, arg=[charts, title], timeout=60_000, polling="raf")
    return time.perf_counter() - start


def _time_moves(browser, base_url: str, pages: dict[str, tuple[int, str]]) -> dict[str, dict[str, float]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        tab = context.new_page()
        tab.goto(base_url)
        tab.wait_for_function(MOVED, arg=list(pages["app.py"]), timeout=60_000, polling="raf")
        results = {}
        for page in pages:
            origin = "app.py" if page != "app.py" else BENCHED[1]
            times = []
            for round_ in range(VISITS + 1):  # the first move warms the browser for this page: not counted
                move(tab, origin, *pages[origin])
                elapsed = move(tab, page, *pages[page])
                if round_:
                    times.append(elapsed)
            results[page] = {"move_s": statistics.median(times), "move_max_s": max(times)}
        return results
    finally:
        context.close()


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

    pages = {page: expected(page) for page in BENCHED}
    counts = {page: charts for page, (charts, _) in pages.items()}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(data_dir), Path(tmp) / "streamlit.log")
        hello = start_server(Path(data_dir), Path(tmp) / "hello.log", script=ROOT / "bench" / "hello_page.py")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                results.append({"page": "streamlit-hello", "charts": 0, **_time_visits(browser, hello.url, 0)})
                moves = _time_moves(browser, server.url, pages)
                for page in BENCHED:
                    url = f"{server.url}/{url_path(page)}"
                    results.append(
                        {
                            "page": page,
                            "charts": counts[page],
                            **moves[page],
                            **_time_visits(browser, url, counts[page]),
                        }
                    )
                browser.close()
        finally:
            stop_server(server)
            stop_server(hello)
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])

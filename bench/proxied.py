"""First visits and page moves through nginx (deploy/nginx, run by tests/browser/proxy.py), on two profiles, each
page beside Streamlit's own floor through the same proxy in the same run: python -m bench.proxied DATA_DIR prints
one JSON line.

Both are reached as a council serves them: through the site file's TLS server, so the browser speaks HTTP/2 to
nginx (one connection for every file of a first visit, where HTTP/1.1 queues them on six). Its certificate is the
proxy's throwaway one, which the browser is told to accept (Chromium still caches what it sends). The protocols
the browser used are reported with each profile.

- **desktop**: 1280x800, no throttling.
- **tablet**: a councillor's tablet on 4G, set through the Chrome DevTools Protocol: 820x1180, the CPU slowed 4x
  (Emulation.setCPUThrottlingRate), 1.6 Mbit/s down, 750 kbit/s up and 150 ms round trip
  (Network.emulateNetworkConditions): Lighthouse's mobile profile.

Per page: a **first visit** (a link opened in a new browser context: new session, nothing cached; from goto()
until every chart has drawn), with the bytes it transferred (HTTP bodies and headers as sent, compressed:
Network.loadingFinished's encodedDataLength) and the WebSocket message bytes it received and sent; on the
tablet, a **return visit** (the same link again in the same browser: Streamlit's files come from the cache); and a
**page move** (a click on the page's link in the open dashboard's sidebar until its title shows and its charts
have drawn), with its WebSocket message bytes. The floor is bench/floor_app (a title, a sentence, a link to a
second page like it): its first visit, return visit and move are timed the same way. On the tablet, the floor's
first visit straight to Streamlit (no nginx) shows what the proxy changes.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.browser import ALL_DRAWN, MOVED, expected
from bench.pages import BENCHED, ROOT
from cpb_dash.ui.layout import PAGES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, url_path
from tests.browser.proxy import start_proxy, stop_proxy

LABELS = {path: label for path, label, _ in PAGES}  # each page's link in the sidebar
FLOOR_APP = ROOT / "bench" / "floor_app" / "hello.py"
FLOOR = "floor"
TIMEOUT_MS = 180_000
PROFILES: dict[str, dict] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}, "cpu": 1, "network": None, "visits": 5},
    "tablet": {
        "viewport": {"width": 820, "height": 1180},
        "cpu": 4,
        "visits": 3,
        "network": {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8},
    },
}


def _payload_bytes(frame: dict) -> int:
    data = frame["response"]["payloadData"]
    # CDP gives a binary frame (Streamlit's protobuf messages) as base64, a text frame as text
    return len(base64.b64decode(data)) if frame["response"]["opcode"] == 2 else len(data.encode())


class Tab:
    """A browser context with one tab under a profile, counting what crosses the network."""

    def __init__(self, browser, profile: dict):
        # the proxies' certificates are self-signed for the run, and trusted by their keys (main: Proxy.spki), so
        # the browser caches what they send as it would from a real one
        self.context = browser.new_context(viewport=profile["viewport"])
        self.page = self.context.new_page()
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        if profile["network"]:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile["network"]})
        if profile["cpu"] > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        self.http_bytes = self.ws_bytes = 0
        self.urls: dict[str, str] = {}
        self.by_url: dict[str, int] = {}
        self.protocols: set[str] = set()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._loaded)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)

    def _sent(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _received(self, event: dict) -> None:
        self.protocols.add(event["response"].get("protocol", "?"))

    def _loaded(self, event: dict) -> None:
        self.http_bytes += int(event["encodedDataLength"])
        path = "/" + self.urls.get(event["requestId"], "?").split("/", 3)[-1]
        self.by_url[path] = self.by_url.get(path, 0) + int(event["encodedDataLength"])

    def _frame(self, event: dict) -> None:
        self.ws_bytes += _payload_bytes(event)

    def counters(self) -> tuple[int, int]:
        return self.http_bytes, self.ws_bytes

    def visit(self, url: str, charts: int) -> dict[str, float]:
        http0, ws0 = self.counters()
        self.by_url.clear()
        start = time.perf_counter()
        self.page.goto(url, timeout=TIMEOUT_MS)
        self.page.wait_for_function(ALL_DRAWN, arg=charts, timeout=TIMEOUT_MS, polling="raf")
        seconds = time.perf_counter() - start
        http, ws = self.counters()
        largest = sorted(self.by_url.items(), key=lambda item: -item[1])[:8]
        return {
            "s": seconds,
            "http_bytes": http - http0,
            "ws_bytes": ws - ws0,
            "largest": largest,
            "protocols": sorted(self.protocols),
        }

    def move(self, link: str, charts: int, title: str) -> dict[str, float]:
        """Click the sidebar link whose label is `link`; until the page has run and drawn its charts."""
        http0, ws0 = self.counters()
        start = time.perf_counter()
        self.page.locator("[data-testid=stSidebar]").get_by_role("link", name=link, exact=True).click()
        self.page.wait_for_function(MOVED, arg=[charts, title], timeout=TIMEOUT_MS, polling="raf")
        seconds = time.perf_counter() - start
        http, ws = self.counters()
        return {"s": seconds, "http_bytes": http - http0, "ws_bytes": ws - ws0}

    def close(self) -> None:
        self.context.close()


def _summary(runs: list[dict], prefix: str) -> dict[str, object]:
    times = [run["s"] for run in runs]
    out = {
        f"{prefix}_s": statistics.median(times),
        f"{prefix}_max_s": max(times),
        f"{prefix}_http_bytes": statistics.median(run["http_bytes"] for run in runs),
        f"{prefix}_ws_bytes": statistics.median(run["ws_bytes"] for run in runs),
    }
    if "largest" in runs[-1]:
        out[f"{prefix}_largest"] = runs[-1]["largest"]  # what the bytes were, on the last run
        out[f"{prefix}_protocols"] = sorted({p for run in runs for p in run["protocols"]})
    return out


def first_visits(browser, profile: dict, urls: list[tuple[str, int]], with_return: bool) -> list[dict[str, object]]:
    """For each (url, charts): `visits` first visits, each in a new context, after a warm-up round on the desktop
    profile (the server's caches for each page; the tablet profile runs after it); with_return: each followed by
    a return visit in the same context. The urls take turns, one visit each per round, so a machine whose speed
    drifts during the run slows the floor (the first url) and the pages alike, and their ratios hold."""
    firsts: list[list[dict]] = [[] for _ in urls]
    returns: list[list[dict]] = [[] for _ in urls]
    warm_up = profile["cpu"] == 1
    for round_ in range(profile["visits"] + int(warm_up)):
        for i, (url, charts) in enumerate(urls):
            tab = Tab(browser, profile)
            try:
                first = tab.visit(url, charts)
                if round_ or not warm_up:
                    firsts[i].append(first)
                    if with_return:
                        returns[i].append(tab.visit(url, charts))
            finally:
                tab.close()
    return [
        {**_summary(runs, "first"), **(_summary(back, "return") if back else {})}
        for runs, back in zip(firsts, returns, strict=True)
    ]


@dataclass
class Target:
    """Where a page is and how it is reached from the sidebar."""

    url: str
    link: str
    charts: int
    title: str


def moves(browser, profile: dict, start: Target, targets: list[Target]) -> dict[str, dict[str, float]]:
    """In one open tab: for each target, move from `start` (or to it from the first other target) and back,
    `visits` times after one warm-up round, timing the move to the target. A page's warm-up move is also kept
    apart as its first move in the tab (one sample), when the tab has not shown it before: later moves find the
    page's blocks in Streamlit's message cache (.streamlit/config.toml, [global]) and receive references to them.
    `start` is timed last, so every other page's warm-up is its first showing; `start` itself has none."""
    tab = Tab(browser, profile)
    try:
        tab.page.goto(start.url, timeout=TIMEOUT_MS)
        tab.page.wait_for_function(MOVED, arg=[start.charts, start.title], timeout=TIMEOUT_MS, polling="raf")
        results = {}
        shown = {start.link}
        for target in [t for t in targets if t is not start] + [t for t in targets if t is start]:
            origin = start if target is not start else next(t for t in targets if t is not start)
            runs, first = [], None
            for round_ in range(profile["visits"] + 1):
                tab.move(origin.link, origin.charts, origin.title)
                run = tab.move(target.link, target.charts, target.title)
                if round_:
                    runs.append(run)
                elif target.link not in shown:
                    first = run
                shown.add(target.link)
            results[target.link] = {
                **_summary(runs, "move"),
                "move_first_s": first["s"] if first else None,
                "move_first_ws_bytes": first["ws_bytes"] if first else None,
            }
        return results
    finally:
        tab.close()


def bench_profile(
    browser, name: str, app_url: str, floor_url: str, direct_floor_url: str, pages: dict[str, tuple[int, str]]
) -> dict:
    profile = PROFILES[name]
    tablet = name == "tablet"
    floor_targets = [Target(floor_url, "Hello", 0, "Hello"), Target(floor_url, "Again", 0, "Again")]
    targets = [
        Target(f"{app_url}/{url_path(page)}", LABELS[page], charts, title) for page, (charts, title) in pages.items()
    ]
    # First visits before moves: the desktop's warm-up visits draw every page's charts on the server, so a page's
    # first move in the tab measures the browser and its message cache, not the server drawing charts cold. The
    # floor's first visits take turns with the pages' (first_visits).
    floor_visit, *visited = first_visits(
        browser, profile, [(floor_url, 0), *((t.url, t.charts) for t in targets)], with_return=tablet
    )
    floor = {**floor_visit, **moves(browser, profile, floor_targets[0], floor_targets[1:])["Again"]}
    if tablet:
        (floor["direct"],) = first_visits(browser, profile, [(direct_floor_url, 0)], with_return=False)
    moved = moves(browser, profile, targets[0], targets)
    rows = [
        {"page": page, "charts": target.charts, **visit, **moved[target.link]}
        for page, target, visit in zip(pages, targets, visited, strict=True)
    ]
    return {"visits": profile["visits"], "floor": floor, "pages": rows}


def main(data_dir: str) -> None:
    from playwright.sync_api import sync_playwright

    os.environ["CPB_DATA_DIR"] = data_dir
    # CPB_BENCH_PAGES="pages/1_Care_population.py,pages/3_Workforce.py": only those pages (and the floor), for a
    # before-and-after comparison of one change in minutes rather than the whole run.
    only = [p for p in os.environ.get("CPB_BENCH_PAGES", "").split(",") if p]
    pages = {page: expected(page) for page in BENCHED if not only or page in only}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        app = start_server(Path(data_dir), tmp_path / "app.log")
        floor = start_server(Path(data_dir), tmp_path / "floor.log", script=FLOOR_APP)
        proxies = []
        try:
            proxies.append(start_proxy(app.url, tmp_path / "nginx-app"))
            # The floor gets the cut-down fonts (Streamlit's own files, as any page through this proxy) but not the
            # app's script preloads: those name the dashboard's elements, which the one-line page never draws.
            proxies.append(start_proxy(floor.url, tmp_path / "nginx-floor", preloads=False))
            with sync_playwright() as pw:
                # Trusting the throwaway certificates by their keys, not ignoring certificate errors: Chromium
                # caches nothing from a site whose certificate errors it ignores, so page moves and return visits
                # would fetch again what a real deployment's visitor has cached (until 2026-11-29, 12:00, they did)
                trusted = ",".join(proxy.spki for proxy in proxies)
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={trusted}"],
                    headless=True,
                )
                for name in PROFILES:
                    out[name] = bench_profile(browser, name, proxies[0].tls_url, proxies[1].tls_url, floor.url, pages)
                browser.close()
        finally:
            for proxy in proxies:
                stop_proxy(proxy)
            stop_server(app)
            stop_server(floor)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])

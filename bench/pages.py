"""Page render times under AppTest against one data directory, each page beside its floor:
python -m bench.pages DATA_DIR prints one JSON line. Run in a process of its own per store, so caches and
memory from one store never help or hurt another.

A page's time is the median of RUNS reruns of the page script with the app's caches warm (what a councillor waits
for after any click: every widget reruns the page); the first open in a new session, and the very first open on a
newly published store (nothing memoised), are reported as well. The floor is
bench/floor_page.py replaying what the page drew (same charts from the same builders, metrics, tables, downloads)
from memory, timed the same way.
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.record import recording, summary
from cpb_dash.ui.layout import PAGES

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
TIMEOUT = 120
BENCHED = [path for path, _, _ in PAGES if not path.endswith("Upload.py")]  # the upload page draws no figures


def chart_count(at) -> int:
    """The charts a page drew under AppTest: its chart images (st.html blocks of ui/chart_image.py)."""
    from cpb_dash.ui.chart_image import CHART_CLASS

    return sum(1 for block in at.get("html") if f'class="{CHART_CLASS}"' in block.proto.body)


def open_page(page: str) -> AppTest:
    """A new session opening `page` as a visitor's browser does: app.py first (so page links resolve), then the page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return at


def _rerun(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def bench_page(page: str, workdir: Path) -> dict[str, object]:
    # The first open on this store: nothing of this page's is memoised yet, so every chart goes through its
    # builder; that run is recorded for the floor.
    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    with recording() as calls:
        (at if page == "app.py" else at.switch_page(page)).run()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    at = open_page(page)  # a new session: what the next visitor waits for
    first_open = time.perf_counter() - start
    charts = chart_count(at)

    path = workdir / (Path(page).stem + ".pickle")
    path.write_bytes(pickle.dumps(calls))
    floor = AppTest.from_file(str(ROOT / "bench" / "floor_page.py"), default_timeout=TIMEOUT)
    floor.session_state["bench_floor"] = str(path)
    floor.run()
    if floor.exception:
        raise RuntimeError(f"floor of {page}: {floor.exception[0].message}")
    floor_charts = chart_count(floor)
    if floor_charts != charts:
        raise RuntimeError(f"floor of {page} drew {floor_charts} charts, the page {charts}")
    # page and floor reruns interleaved, so a slower moment of the machine falls on both
    page_times, floor_times = [], []
    for _ in range(RUNS):
        page_times.append(_rerun(at))
        floor_times.append(_rerun(floor))
    page_s, floor_s = statistics.median(page_times), statistics.median(floor_times)
    return {
        "page": page,
        "charts": charts,
        "drawn": summary(calls),
        "cold_s": cold,
        "first_open_s": first_open,
        "page_s": page_s,
        "floor_s": floor_s,
        "ratio": page_s / floor_s,
    }


def bundle_seconds(data_dir: str) -> float:
    """Reading the store and deriving everything from it: once per publish (the bundle is cached per version)."""
    from cpb_dash import catalogue, views
    from cpb_dash.store import Store

    times = []
    for _ in range(3):
        start = time.perf_counter()
        views.build_bundle(Store(data_dir), catalogue.SUPPRESSION_THRESHOLD)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(data_dir: str) -> None:
    os.environ["CPB_DATA_DIR"] = data_dir
    with tempfile.TemporaryDirectory() as tmp:
        results = [bench_page(page, Path(tmp)) for page in BENCHED]
    print(json.dumps({"bundle_s": bundle_seconds(data_dir), "pages": results}))


if __name__ == "__main__":
    main(sys.argv[1])

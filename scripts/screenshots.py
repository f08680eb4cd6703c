"""Screenshot every page in headless Chromium (full page, 1280 px wide unless --width), to look at after UI work;
prints each page's height.

.venv/bin/python -m scripts.screenshots [OUT_DIR] [--query "period=2025-03-31"] [--width 390] [--only Overview]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from cpb_dash.ui.layout import PAGES
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_fixtures,
    start_server,
    stop_server,
    url_path,
    wait_for_app,
)

PATHS = [url_path(script) for script, _, _ in PAGES]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--query", default="")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--only", nargs="*", default=None, help="page paths to take, e.g. Overview Workforce")
    args = parser.parse_args()
    paths = [p for p in PATHS if args.only is None or (p or "Overview") in args.only]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(copy_fixtures(Path(tmp) / "data"), Path(tmp) / "log.txt")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": args.width, "height": 800})
                for path in paths:
                    page.goto(f"{server.url}/{path}" + (f"?{args.query}" if args.query else ""))
                    wait_for_app(page)
                    page.wait_for_timeout(800)  # let the page settle; a screenshot, not a test
                    # Streamlit scrolls inside its own container, so grow the viewport to the content's height.
                    height = page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 800")
                    page.set_viewport_size({"width": args.width, "height": max(800, min(int(height), 12000))})
                    # charts are lazy images: the tall viewport brings them all on screen, so wait for them
                    page.wait_for_function(
                        """() => [...document.querySelectorAll('.cpb-chart img')]
                            .filter(i => getComputedStyle(i).display !== 'none')
                            .every(i => i.complete && i.naturalWidth > 0)""",
                        timeout=30_000,
                    )
                    page.wait_for_timeout(300)
                    name = out / f"{path or 'Overview'}.png"
                    page.screenshot(path=str(name), full_page=True)
                    page.set_viewport_size({"width": args.width, "height": 800})
                    print(name, f"height={int(height)}px")
                browser.close()
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()

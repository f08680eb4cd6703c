"""make bench: every figure in docs/performance.md, in one run, as Markdown tables.

1. Per page, the median AppTest rerun on the sample data against its floor (the same charts from memory).
2. The same on a generated store of 40 quarters with 10x the breakdown rows, and the growth over the sample.
3. In Chromium against `streamlit run`, navigation to all charts drawn, per page, median of 5: moving between
   pages of the open dashboard, and a first visit in a new browser context beside Streamlit's own floor.
4. The same through nginx as deploy/ configures it (over TLS, so HTTP/2), on a desktop and a tablet profile (CPU
   4x slower, 1.6 Mbit/s, 150 ms round trip), beside the floor app through the same proxy: first and return visits
   with the bytes they transfer, page moves with their WebSocket bytes.
5. Validate and publish of the largest valid snapshot and of a 50 MB parquet file, with peak memory.
6. The worst hostile files we could build against the reader's caps (bench/bombs.py): seconds and peak RSS.
7. The SSDA903 intake: a 10-year synthetic extract at 1x, 3x and 10x Hackney derived into 40 quarter ends, against
   reading the same CSV files with pandas alone.
8. No page slower than before issue 10 (bench/versus.py): AppTest reruns in milliseconds, this tree against a
   worktree of the commit before it, alternating (skipped when the clone has no such commit).

Each part runs in a process of its own (python -m bench.pages / bench.browser / bench.proxied / bench.publish) so
one part's caches and memory do not colour another's. Ratios compare figures measured in this same run; nothing here is
compared with a time written down on another day.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import bombs
from bench.big_store import write_big_store
from cpb_dash.config import DEFAULT_DATA_DIR

PAGE_TARGET = 1.5  # page within 1.5x of its floor
GROWTH_TARGET = 2.0  # 40 quarters and 10x rows within 2x of the sample store
BROWSER_TARGET_S = 1.0  # navigation to every chart drawn
FIRST_VISIT_RATIO = 1.2  # first visit within 1.2x of the floor's, on both profiles
FIRST_VISIT_BYTES = 1_000_000  # a first visit transfers under 1 MB
DESKTOP_MOVE_S = 0.5  # moving between pages on the desktop profile
TABLET_MOVE_RATIO = 1.5  # moving between pages on the tablet profile, against the floor's move


def _json(module: str, *args: str) -> object:
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"python -m {module} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _versus() -> list[str]:
    """bench.versus's table (its last line, the JSON of every round, is left out)."""
    done = subprocess.run([sys.executable, "-m", "bench.versus"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"python -m bench.versus failed:\n{done.stderr[-4000:]}")
    return done.stdout.strip().splitlines()[:-1]


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _name(page: str) -> str:
    return "Overview" if page == "app.py" else Path(page).stem.split("_", 1)[1].replace("_", " ")


def pages_table(sample: list[dict], big: list[dict]) -> list[str]:
    lines = [
        "| Page | Charts | Page (ms) | Floor (ms) | Ratio | Within 1.5x | 40 quarters (ms) | Its floor (ms) | Ratio"
        " | Growth | Within 2x | First open (ms) |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|",
    ]
    for small, large in zip(sample, big, strict=True):
        growth = large["page_s"] / small["page_s"]
        cells = [
            _name(small["page"]),
            small["charts"],
            f"{small['page_s'] * 1000:.0f}",
            f"{small['floor_s'] * 1000:.0f}",
            f"{small['ratio']:.2f}",
            _mark(small["ratio"] <= PAGE_TARGET),
            f"{large['page_s'] * 1000:.0f}",
            f"{large['floor_s'] * 1000:.0f}",
            f"{large['ratio']:.2f}",
            f"{growth:.2f}",
            _mark(growth <= GROWTH_TARGET),
            f"{small['first_open_s'] * 1000:.0f}",
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return lines


def browser_table(results: list[dict]) -> list[str]:
    floor = next(row for row in results if row["page"] == "streamlit-hello")
    pages = [row for row in results if row is not floor]
    lines = [
        "Moving between pages (the dashboard open; a click on the page's link in the sidebar), median of 5:",
        "",
        "| Page | Charts | Median (ms) | Slowest (ms) | Under 1 s |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [
        f"| {_name(row['page'])} | {row['charts']} | {row['move_s'] * 1000:.0f}"
        f" | {row['move_max_s'] * 1000:.0f} | {_mark(row['move_s'] < BROWSER_TARGET_S)} |"
        for row in pages
    ]
    lines += [
        "",
        "First visit (a link opened in a new browser context: new session, nothing cached), median of 5."
        f" Streamlit's own floor (bench/hello_page.py, a title and a sentence): median {floor['median_s'] * 1000:.0f}"
        f" ms, slowest {floor['max_s'] * 1000:.0f} ms.",
        "",
        "| Page | Charts | Median (ms) | Slowest (ms) | Above the floor (ms) | Ratio to floor | Under 1 s |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {_name(row['page'])} | {row['charts']} | {row['median_s'] * 1000:.0f}"
        f" | {row['max_s'] * 1000:.0f} | {(row['median_s'] - floor['median_s']) * 1000:.0f}"
        f" | {row['median_s'] / floor['median_s']:.2f} | {_mark(row['median_s'] < BROWSER_TARGET_S)} |"
        for row in pages
    ]
    return lines


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f}"


def _first_move(row: dict, floor: dict) -> str:
    """A page's first move in the tab: milliseconds, ratio to the floor's move, WebSocket kB (or none)."""
    if row.get("move_first_s") is None:
        return "- | - | -"
    first = row["move_first_s"]
    return f"{first * 1000:.0f} | {first / floor['move_s']:.2f} | {_kb(row['move_first_ws_bytes'])}"


def proxied_tables(result: dict) -> list[str]:
    lines = []
    for name, profile in result.items():
        floor, rows = profile["floor"], profile["pages"]
        tablet = "return_s" in floor
        lines += [f"### {name.capitalize()} profile, through nginx", ""]
        spoken = sorted({p for r in [floor, *rows] for p in r.get("first_protocols", [])})
        lines += [
            "Through the site file's TLS server, as deployed; the browser's HTTP requests used: "
            + ", ".join(f"`{p}`" for p in spoken)
            + " (h2: HTTP/2, one connection for every file; the WebSocket has its own).",
            "",
        ]
        if tablet:
            direct = floor["direct"]
            lines += [
                "Streamlit's floor, first visit straight to Streamlit (no nginx): median"
                f" {direct['first_s'] * 1000:.0f} ms, {_kb(direct['first_http_bytes'])} kB transferred;"
                f" through nginx: {floor['first_s'] * 1000:.0f} ms, {_kb(floor['first_http_bytes'])} kB"
                f" ({direct['first_s'] / floor['first_s']:.2f}x faster).",
                "",
            ]
        lines += [
            f"First visit (a link opened in a new browser: new session, nothing cached), median of {profile['visits']}."
            " Floor (bench/floor_app):"
            f" median {floor['first_s'] * 1000:.0f} ms, slowest {floor['first_max_s'] * 1000:.0f} ms,"
            f" {_kb(floor['first_http_bytes'])} kB over HTTP, {_kb(floor['first_ws_bytes'])} kB of WebSocket messages."
            + (
                f" Return visit (the same link again, Streamlit's files cached): {floor['return_s'] * 1000:.0f} ms,"
                f" {_kb(floor['return_http_bytes'])} kB."
                if tablet
                else ""
            ),
            "",
            "| Page | Charts | Median (ms) | Slowest (ms) | Ratio to floor | Within 1.2x | HTTP (kB) | Under 1 MB"
            " | WebSocket (kB)" + (" | Return visit (ms) | Return ratio |" if tablet else " |"),
            "|---|---:|---:|---:|---:|---|---:|---|---:|" + ("---:|---:|" if tablet else ""),
        ]
        for row in rows:
            ratio = row["first_s"] / floor["first_s"]
            cells = [
                _name(row["page"]),
                row["charts"],
                f"{row['first_s'] * 1000:.0f}",
                f"{row['first_max_s'] * 1000:.0f}",
                f"{ratio:.2f}",
                _mark(ratio <= FIRST_VISIT_RATIO),
                _kb(row["first_http_bytes"]),
                _mark(row["first_http_bytes"] < FIRST_VISIT_BYTES),
                _kb(row["first_ws_bytes"]),
            ]
            if tablet:
                cells += [f"{row['return_s'] * 1000:.0f}", f"{row['return_s'] / floor['return_s']:.2f}"]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        target = f"within {TABLET_MOVE_RATIO}x of the floor's" if tablet else f"under {DESKTOP_MOVE_S * 1000:.0f} ms"
        lines += [
            "",
            f"Moving between pages (a click on the page's link in the sidebar of the open dashboard), median of"
            f" {profile['visits']}. Floor (one one-line page to another): median {floor['move_s'] * 1000:.0f} ms,"
            f" {_kb(floor['move_ws_bytes'])} kB of WebSocket messages. The page's first move in the tab (one"
            " sample, the warm-up; the Overview, where the tab opened, has none) is apart: the later moves find its"
            " blocks in Streamlit's message cache.",
            "",
            f"| Page | Median (ms) | Slowest (ms) | Ratio to floor | Target ({target}) | WebSocket (kB)"
            " | First move (ms) | Its ratio | Its WebSocket (kB) |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|",
        ]
        for row in rows:
            ratio = row["move_s"] / floor["move_s"]
            met = ratio <= TABLET_MOVE_RATIO if tablet else row["move_s"] < DESKTOP_MOVE_S
            lines.append(
                f"| {_name(row['page'])} | {row['move_s'] * 1000:.0f} | {row['move_max_s'] * 1000:.0f}"
                f" | {ratio:.2f} | {_mark(met)} | {_kb(row['move_ws_bytes'])} | {_first_move(row, floor)} |"
            )
        lines.append("")
    heaviest = max(result["tablet"]["pages"], key=lambda row: row["first_http_bytes"])
    for label, largest in (
        ("the floor", result["tablet"]["floor"]["first_largest"]),
        (_name(heaviest["page"]), heaviest["first_largest"]),
    ):
        lines += [
            f"Largest transfers on a first visit to {label} (tablet, kB as sent): "
            + ", ".join(f"`{path.split('?')[0]}` {_kb(size)}" for path, size in largest)
            + ".",
            "",
        ]
    return lines


def publish_table(result: dict) -> list[str]:
    valid, big = result["valid"], result["big"]
    return [
        "| File | Size | Validate (ms) | Publish (ms) | Python peak (MB) | Outcome |",
        "|---|---:|---:|---:|---:|---|",
        f"| Largest valid snapshot ({valid['rows']} rows) | {valid['bytes'] / 1024:.0f} KB"
        f" | {valid['validate_s'] * 1000:.0f} | {valid['publish_s'] * 1000:.0f}"
        f" | {max(valid['validate_peak_mb'], valid['publish_peak_mb']):.1f}"
        f" | {'published' if valid['published'] else 'refused'} |",
        f"| 50 MB parquet, 200,000 rows | {big['bytes'] / 1e6:.1f} MB | {big['validate_s'] * 1000:.0f}"
        f" | {big['publish_s'] * 1000:.0f} | {max(big['validate_peak_mb'], big['publish_peak_mb']):.1f}"
        f" | {'published' if big['published'] else 'refused'}: {big['errors']} errors |",
        "",
        f"Process peak resident memory: {result['maxrss_before_big_mb']:.0f} MB before the 50 MB file,"
        f" {result['maxrss_mb']:.0f} MB after.",
        f"First error for the 50 MB file: {big['first_error']}",
    ]


def ssda903_table(results: list[dict]) -> list[str]:
    """The SSDA903 intake at 1x, 3x and 10x Hackney: 10 years, 40 quarter ends (bench/ssda903.py)."""
    base = results[0]
    lines = [
        "| Volume | Children | Episodes | CSV | Read, check, derive 40 quarters (ms) | pandas read_csv alone (ms)"
        " | Ratio | Time per episode vs 1x | Python peak (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        per_episode = (r["pipeline_s"] / r["episodes"]) / (base["pipeline_s"] / base["episodes"])
        lines.append(
            f"| {r['scale']:g}x | {r['children']:,} | {r['episodes']:,} | {r['bytes'] / 1e6:.1f} MB"
            f" | {r['pipeline_s'] * 1000:.0f} | {r['pandas_s'] * 1000:.0f} | {r['ratio']:.0f}"
            f" | {per_episode:.2f} | {r['peak_mb']:.1f} |"
        )
    loads = ", ".join(f"{r['directory_s']:.1f} s" for r in results)
    resident = ", ".join(f"{r['maxrss_mb']:.0f} MB" for r in results)
    lines += [
        "",
        "The postcode directory (ONS, for placement distances) is loaded once per process before the"
        f" clock starts: {loads}; process peak resident memory with it: {resident}.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = [
        f"Machine: {platform.machine()}, Python {platform.python_version()}, {_cpus()} CPUs."
        f" Run: `make bench` ({time.strftime('%Y-%m-%d')}).",
        "",
    ]
    sample = _json("bench.pages", str(DEFAULT_DATA_DIR))
    with tempfile.TemporaryDirectory() as tmp:
        rows = write_big_store(DEFAULT_DATA_DIR, Path(tmp) / "big")
        big = _json("bench.pages", str(Path(tmp) / "big"))
    out += [
        "## Page render (AppTest, median of reruns, caches warm)",
        "",
        "Large store: 40 quarters, " + ", ".join(f"{dataset} {n:,} rows" for dataset, n in rows.items()) + ".",
        f"Building the bundle (read the store, suppress, derive; once per publish): sample"
        f" {sample['bundle_s'] * 1000:.0f} ms, large {big['bundle_s'] * 1000:.0f} ms"
        f" ({big['bundle_s'] / sample['bundle_s']:.2f}x).",
        "",
        *pages_table(sample["pages"], big["pages"]),
        "",
    ]
    if not args.no_browser:
        out += [
            "## In Chromium: navigation to every chart drawn (sample data)",
            "",
            *browser_table(_json("bench.browser", str(DEFAULT_DATA_DIR))),
            "",
        ]
        out += [
            "## Through nginx (deploy/): desktop and tablet profiles (sample data)",
            "",
            *proxied_tables(_json("bench.proxied", str(DEFAULT_DATA_DIR))),
        ]
    out += [
        "## SSDA903 intake: 10 years, 40 quarter ends",
        "",
        *ssda903_table([_json("bench.ssda903", "--scale", str(s)) for s in (1, 3, 10)]),
        "",
    ]
    out += ["## Validate and publish", "", *publish_table(_json("bench.publish")), ""]
    out += [
        "## Hostile files against the caps (validate_file, one process each)",
        "",
        *bombs.table(_json("bench.bombs")),
        "",
        "## No page slower than before (issue 10)",
        "",
        *_versus(),
        "",
        f"Whole run: {time.perf_counter() - started:.0f} s.",
    ]
    print("\n".join(out))
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

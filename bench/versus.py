"""No page slower than before (issue 10): AppTest reruns of this tree and of an earlier commit, in milliseconds.

    python -m bench.versus [COMMIT] [--rounds N]

COMMIT (default: the parent of e0a6ab0, the commit before issue 10's work) is checked out in a temporary git
worktree; `python -m bench.pages` runs in it (its own code and its own sample data) and in this tree, alternating,
so a slower moment of the machine falls on both. Ratios to each tree's floor are not compared: the floor is a
replay of what the page draws, and what the pages draw has changed. Milliseconds on the same machine in the same
run are. Prints a Markdown table (range of the rounds' medians) and the JSON of every round on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE_ISSUE_10 = "e0a6ab0^"


def _pages(tree: Path) -> dict[str, float]:
    """page -> median rerun in ms, from `python -m bench.pages` run inside `tree` with its own code."""
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{tree}"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.pages", "data/fixtures"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench.pages in {tree} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {page["page"]: page["page_s"] * 1000 for page in result["pages"]}


def _name(page: str) -> str:
    return "Overview" if page == "app.py" else Path(page).stem.split("_", 1)[1].replace("_", " ")


def table(before: list[dict[str, float]], now: list[dict[str, float]]) -> list[str]:
    lines = ["| Page (AppTest rerun, ms) | Before | Now | Slower? |", "|---|---:|---:|---|"]
    for page in now[0]:
        old = [r[page] for r in before if page in r]
        new = [r[page] for r in now]
        if not old:
            lines.append(f"| {_name(page)} | (no such page) | {min(new):.1f}-{max(new):.1f} | |")
            continue
        # Slower only if every round of now is above every round of before: beyond the spread of the runs.
        slower = "**yes**" if min(new) > max(old) else "no"
        lines.append(f"| {_name(page)} | {min(old):.1f}-{max(old):.1f} | {min(new):.1f}-{max(new):.1f} | {slower} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__.splitlines()[0])
    parser.add_argument("commit", nargs="?", default=BEFORE_ISSUE_10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "before"
        added = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.commit],
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            print(f"Skipped: no worktree of {args.commit} ({added.stderr.strip()[:300]}).")
            print(json.dumps({"commit": args.commit, "skipped": True}))
            return 0
        try:
            before, now = [], []
            for _ in range(args.rounds):
                before.append(_pages(tree))
                now.append(_pages(ROOT))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    print(f"Against {args.commit}, {args.rounds} rounds alternating, median of each page's reruns per round:")
    print()
    print("\n".join(table(before, now)))
    print(json.dumps({"commit": args.commit, "before": before, "now": now}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Streamlit's own front-end files sent by nginx from the disk, not asked of the app's one Python process.

A first visit fetches 70 to 100 of Streamlit's script files at once. Proxied, each is read by Streamlit's web
server (Tornado, in the Python process that also runs the pages) and compressed by nginx as it passes. Measured
through deploy/nginx on this machine (desktop profile, docs/performance.md), the last of them arrived 466 ms after
the first visit began; sent by nginx from the installed Streamlit's files, 322 ms.

The files are the installed Streamlit's (their names carry its build hash, so the path is that of this Python's
Streamlit): `python -m cpb_dash web-assets` writes `static-root.conf` naming the folder, which
deploy/nginx/snippets/cpb-dash-proxy.conf includes. Without it (or for a name the folder lacks), nginx asks the app
as before.
"""

from __future__ import annotations

from pathlib import Path

SNIPPET_NAME = "static-root.conf"


def nginx_snippet(static: Path) -> str:
    """nginx's `root` for /static/... addresses: the folder holding Streamlit's `static/` (js, css, media)."""
    root = static.parent.resolve()
    if any(c in str(root) for c in "\"'\\;{}$\n") or not (root / "static" / "js").is_dir():
        raise ValueError(f"not a folder nginx can be given: {root}")
    return f'# Written by `python -m cpb_dash web-assets` for the installed Streamlit: do not edit.\nroot "{root}";\n'


def write(out_dir: Path, static: Path) -> Path:
    """Write the snippet as <out_dir>/static-root.conf (replacing it whole, so nginx never reads half of one)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / SNIPPET_NAME
    partial = target.with_suffix(".part")
    partial.write_text(nginx_snippet(static), encoding="utf-8")
    partial.replace(target)
    return target

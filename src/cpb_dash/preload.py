"""The code for the elements every page draws on arrival, asked for with the page itself rather than after it.

Streamlit's front end fetches each element's code (a sidebar link, the quarter's drop-down, a metric, an HTML
block...) only when the first message drawing one arrives over the WebSocket, then that code's own imports: on a
tablet over 4G each wave is a round trip or two (150 ms each), after the page has already loaded and connected.
Measured on the tablet profile (docs/performance.md), a first visit to Care population spent about 1.2 s in those
waves. Listed in the HTML shell as `<link rel="modulepreload">` (as Streamlit lists its main bundle's own imports),
the browser fetches them in parallel with the main bundle instead.

nginx adds the links to the HTML shell (a `sub_filter` in the file this module writes, included by
deploy/nginx/snippets/cpb-dash-proxy.conf). The file names carry Streamlit's build hash, so they are read from the
installed Streamlit, by following each element's static imports; `python -m cpb_dash web-assets` writes the file.
"""

from __future__ import annotations

import re
from pathlib import Path

# The elements the dashboard's pages draw on arrival (Chromium's network log of a first visit to every page): the
# sidebar's page links, HTML blocks (cards, charts, tables and their CSV links) and radios. The quarter's drop-down
# is folded in a popover (ui/layout.py), so its code is fetched when a visitor opens it, not on every visit.
# No board page draws a metric or a download button any more (their figures and CSVs are in the blocks), so their
# code is not fetched before it is needed.
ELEMENTS = ("PageLink", "Html", "Radio", "CustomTheme")
IMPORT = re.compile(r"""(?:from|import)\s*["']\./([A-Za-z0-9_.-]+\.js)["']""")
PRELOADED = re.compile(r"""<link rel="modulepreload"[^>]*href="\./static/js/([^"]+)\"""")
SNIPPET_NAME = "preload.conf"


def element_chunks(static: Path, elements: tuple[str, ...] = ELEMENTS) -> list[str]:
    """The JavaScript files (names under static/js) the elements need that Streamlit's HTML shell does not
    already preload: each element's file and everything it imports, statically, in turn."""
    js = static / "js"
    shell = (static.parent / "index.html").read_text(encoding="utf-8")
    already = set(PRELOADED.findall(shell)) | set(re.findall(r'src="\./static/js/([^"]+)"', shell))
    todo = [p.name for element in elements for p in sorted(js.glob(f"{element}.*.js"))]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name in already or not (js / name).is_file():
            continue
        seen.add(name)
        todo.extend(IMPORT.findall((js / name).read_text(encoding="utf-8", errors="ignore")))
    return sorted(seen)


def nginx_snippet(chunks: list[str]) -> str:
    """nginx directives adding a modulepreload link for each chunk to the HTML shell's <head>."""
    links = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in chunks)
    return (
        "# Written by `python -m cpb_dash web-assets` for the installed Streamlit: do not edit.\n"
        f"sub_filter '</head>' '{links}</head>';\n"
        "sub_filter_once on;\n"
    )


def write(out_dir: Path, static: Path) -> tuple[Path, list[str]]:
    """Write the snippet as <out_dir>/preload.conf (replacing it whole, so nginx never reads half of one); return
    it and the scripts it lists."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / SNIPPET_NAME
    chunks = element_chunks(static)
    partial = target.with_suffix(".part")
    partial.write_text(nginx_snippet(chunks), encoding="utf-8")
    partial.replace(target)
    return target, chunks

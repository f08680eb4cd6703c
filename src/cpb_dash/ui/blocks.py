"""Page pieces drawn as one block of HTML each: headline cards, an indicator's card beside its chart, a chart with
its caption, table and CSV, and notes folded under a <details> summary.

Why HTML and not Streamlit elements: the browser's time on a page move goes on drawing Streamlit's elements
(a DevTools trace of a tablet move to Care population: 656 of 974 ms in script, most of it React and Streamlit's
markdown renderer drawing about 180 elements). A headline card was eight elements, a chart with its tabs, caption
and download six; here each is part of one block. What a visitor gets is the same or plainer: a card's words,
a chart's text alternative and caption, its table under "Show as table" (a native disclosure: opened without a
rerun, read by a screen reader as a table; Streamlit's lazy expander, drawing it only when opened, was measured
no faster: docs/performance.md, "Tables drawn only when opened") and a CSV link. Every text is escaped; nothing
here is markdown.
"""

from __future__ import annotations

import base64
import re
from html import escape

import streamlit as st

# One stylesheet for the blocks, sent once per page run (layout.page_setup). Colours are the theme's
# (.streamlit/config.toml) and GOV.UK's secondary text (#505A5F, 7:1 on white); the verdict colours keep their
# words, and each pair meets 4.5:1.
PAGE_CSS = """<style>
.cpb-grid { display: grid; gap: 1rem; margin-bottom: 0.5rem;
  grid-template-columns: repeat(auto-fill,
    minmax(max(15rem, calc((100% - (var(--cols) - 1) * 1rem) / var(--cols))), 1fr)); }
.cpb-grid.cpb-small { grid-template-columns: repeat(auto-fill,
    minmax(max(9.5rem, calc((100% - (var(--cols) - 1) * 1rem) / var(--cols))), 1fr)); }
.cpb-small .cpb-figure { font-size: 1.75rem; }
.cpb-panel { display: grid; gap: 1rem; grid-template-columns: minmax(15rem, 1fr) minmax(0, 2.4fr); align-items: start;
  margin-bottom: 0.5rem; }
@media (max-width: 900px) { .cpb-panel { grid-template-columns: minmax(0, 1fr); } }
.cpb-card { border: 1px solid #D8DCE3; border-radius: 0.5rem; padding: 0.75rem 1rem; line-height: 1.45; }
.cpb-card p { margin: 0 0 0.4rem 0; }
.cpb-card p:last-child { margin-bottom: 0; }
.cpb-card .cpb-figure { font-size: 2.25rem; line-height: 1.15; margin: 0.15rem 0 0.25rem 0; }
.cpb-pre { white-space: pre-wrap; }
.cpb-section { font-size: 2.25rem; font-weight: 700; line-height: 1.2; margin: 1.25rem 0 0 0;
  padding: 0 0 0.6rem 0; border-bottom: 2px solid #A3A8B4; scroll-margin-top: 4rem; }
@media (max-width: 640px) { .cpb-section { font-size: 1.75rem; } }
.cpb-area { font-size: 1.5rem; font-weight: 600; line-height: 1.3; margin: 0 0 0.5rem 0; padding: 0; }
.cpb-lines { margin: 0 0 0.5rem 0; padding-left: 1.25rem; }
.cpb-lines li { margin: 0.15rem 0; }
.cpb-grey { color: #505A5F; font-size: 0.875rem; }
.cpb-rating { padding: 0.05rem 0.4rem; border-radius: 0.25rem; font-weight: 600; }
.cpb-rating-green { background: #E3F3E8; color: #0B5C28; }
.cpb-rating-amber { background: #FFF1DB; color: #7A4A00; }
.cpb-rating-red { background: #FDE7E7; color: #A3171B; }
.cpb-rating-gray { background: #ECEEF1; color: #3B4246; }
.cpb-rating-blue { background: #E6F0FA; color: #0B4F8A; }
.cpb-rating-violet { background: #F1EAFB; color: #5B2A86; }
.cpb-stack { display: grid; gap: 0.75rem; margin-bottom: 0.5rem; }
.cpb-details { border: 1px solid #D8DCE3; border-radius: 0.5rem; margin: 0.5rem 0; }
.cpb-details > summary { cursor: pointer; padding: 0.6rem 1rem; }
.cpb-details > summary:hover { color: #005A9C; }
.cpb-details[open] > summary { border-bottom: 1px solid #D8DCE3; }
.cpb-details > .cpb-inner { padding: 0.6rem 1rem; }
.cpb-details > .cpb-inner p { margin: 0 0 0.5rem 0; }
.cpb-card .cpb-details { border: none; margin: 0.25rem 0 0 0; }
.cpb-card .cpb-details > summary { padding: 0; font-size: 0.875rem; color: #505A5F; }
.cpb-card .cpb-details[open] > summary { border: none; }
.cpb-card .cpb-details > .cpb-inner { padding: 0.25rem 0 0 0; font-size: 0.875rem; }
.cpb-download { display: inline-block; margin: 0.25rem 0 0.5rem 0; padding: 0.3rem 0.8rem; border: 1px solid #D8DCE3;
  border-radius: 0.5rem; color: #0B0C0C !important; text-decoration: none !important; font-size: 0.95rem; }
.cpb-download:hover { border-color: #005A9C; color: #005A9C !important; }
.cpb-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
summary:focus-visible { outline: 3px solid #005A9C; outline-offset: 2px; }
</style>"""


class Html:
    """HTML built here, handed to st.html as an object with _repr_html_ (st.html's documented way for objects):
    st.html would otherwise dedent a string line by line, over 100 kB for the action plan's list on every run,
    although nothing built here is indented."""

    def __init__(self, body: str) -> None:
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


def show(body: str) -> None:
    st.html(Html(body))


def text(value: object) -> str:
    """Any text, escaped for HTML (quotes too: it may stand in an attribute)."""
    return escape("" if value is None else str(value))


def details(summary: str, inner_html: str) -> str:
    """A note folded under `summary` (plain text), opened in the browser without a rerun."""
    return (
        f'<details class="cpb-details"><summary>{text(summary)}</summary>'
        f'<div class="cpb-inner">{inner_html}</div></details>'
    )


def link(url: str, words: str) -> str:
    """A link to a page outside the dashboard (a DfE or ONS source), opened in a new tab so the dashboard stays
    open; its words say where it goes."""
    return f'<a href="{text(url)}" target="_blank" rel="noopener noreferrer">{text(words)}</a>'


def paragraphs(*texts: str, grey: bool = False) -> str:
    cls = ' class="cpb-grey"' if grey else ""
    return "".join(f"<p{cls}>{text(t)}</p>" for t in texts if t)


def slug(title: str) -> str:
    """'Care leavers aged 19 to 21' -> 'care-leavers-aged-19-to-21': a file stem or a link target."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def section(title: str) -> str:
    """A page section's heading (h2) with a rule under it, as a block; its id (the title as a slug) is a link
    target: /Care_population#headline-figures."""
    return f'<h2 class="cpb-section" id="{slug(title)}">{text(title)}</h2>'


def media_url(data: bytes, mimetype: str, coordinates: str, file_name: str | None = None) -> str:
    """Where the browser fetches `data`: Streamlit's media endpoint (kept while a session shows it; `coordinates`
    name its place, so a file redrawn for another quarter replaces its old one; with `file_name`, served as a
    download), or inline where no server serves it (bare scripts, and AppTest, whose tests read what they were
    sent)."""
    from streamlit import config, runtime

    if not runtime.exists() or config.get_option("global.appTest"):
        return f"data:{mimetype};base64," + base64.b64encode(data).decode("ascii")
    url = runtime.get_instance().media_file_mgr.add(
        data, mimetype, coordinates, file_name=file_name, is_for_static_download=file_name is not None
    )
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{url}" if base else url


def download_link(data: bytes, file_name: str, what: str, label: str = "Download CSV") -> str:
    """A link that downloads `data` as `file_name`; `what` (the table's title) completes its name for a screen
    reader, which lists a page's links out of context."""
    url = media_url(data, "text/csv", f"cpb-download-{file_name}", file_name=file_name)
    return (
        f'<a class="cpb-download" href="{text(url)}" download="{text(file_name)}">'
        f'<span aria-hidden="true">⤓ </span>{text(label)}<span class="cpb-hidden">: {text(what)}</span></a>'
    )

"""A read-only table shown open on a page (the comparators, every measure by service area), drawn as plain HTML.

Streamlit's interactive grid (st.dataframe) is a canvas that brings about 280 kB of JavaScript (the grid and the
Arrow readers) to a first visit, a quarter of what a councillor's tablet downloads, for a handful of rows nobody
needs to sort. These tables are a few short, already formatted strings, so an HTML <table> says the same: a screen
reader reads it as a table (row and column headings marked), it scrolls sideways on a phone with its first column
pinned, and its text can be selected and copied. Every cell is escaped text. A chart's table (under its "Show as
table", ui/blocks.py) is one too; tables an officer or a visitor opens to explore (the action plan's "Sort and
search", the upload previews) stay interactive grids.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from cpb_dash.ui import blocks

TABLE_CLASS = "cpb-table"  # tests find these tables by this class
# A figure as the pages write it (12.5%, 1,234, 55 of 148, 65 per 10,000, -3.0) or a GSS symbol: lined up on the
# right.
FIGURE = re.compile(r"[-+]?[\d,.]+(%| of [\d,]+| per [\d,]+)?|[xcuz]|low|")

# The first column (what each row is about) stays in view while the figures scroll sideways; the figures keep to
# one line and line up on the right, headings wrap. A shadow on the right edge, gone once scrolled to the end,
# says there is more to the right. Colours are the theme's (.streamlit/config.toml).
TABLE_CSS = f"""<style>
.{TABLE_CLASS} {{ overflow-x: auto; max-width: 100%; margin-bottom: 0.5rem;
  background: linear-gradient(to left, #FFFFFF 30%, rgba(255,255,255,0)) right / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 100% 50%, rgba(11,12,12,0.22), rgba(11,12,12,0)) right / 0.8rem 100%
    no-repeat scroll; }}
.{TABLE_CLASS}:focus-visible {{ outline: 3px solid #005A9C; outline-offset: 2px; }}
.{TABLE_CLASS} table {{ border-collapse: separate; border-spacing: 0; font-size: 0.875rem; line-height: 1.35;
  width: 100%; }}
.{TABLE_CLASS} th, .{TABLE_CLASS} td {{ padding: 0.3rem 0.6rem; border-bottom: 1px solid #D8DCE3;
  text-align: right; white-space: nowrap; }}
.{TABLE_CLASS} thead th {{ white-space: normal; vertical-align: bottom; min-width: 5.5rem; font-weight: 600;
  background: #F2F4F7; }}
.{TABLE_CLASS} th:first-child {{ position: sticky; left: 0; text-align: left; white-space: normal;
  min-width: 8rem; max-width: 12rem; background: #FFFFFF; font-weight: 600; }}
.{TABLE_CLASS} thead th:first-child {{ background: #F2F4F7; }}
.{TABLE_CLASS} .words {{ text-align: left; }}
.{TABLE_CLASS} .long {{ text-align: left; white-space: normal; min-width: 16rem; max-width: 28rem;
  overflow-wrap: anywhere; }}
</style>"""


def table_html(frame: pd.DataFrame, label: str, wrap: tuple[str, ...] = ()) -> str:
    """`frame` as an HTML table: column headings, and the first column as each row's heading. `label` names the
    table for a screen reader (the scrolling region's name); the columns in `wrap` (sentences) wrap onto lines
    instead of running on; every heading and cell is escaped."""

    def text(value: object) -> str:
        return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))

    # A column of words (a quartile band, a date) reads from the left; figures line up on the right.
    words = [not all(FIGURE.fullmatch(str(v).strip()) for v in frame[c]) for c in frame.columns]
    classes = [
        ' class="long"' if c in wrap else "" if i == 0 or not w else ' class="words"'
        for i, (c, w) in enumerate(zip(frame.columns, words, strict=True))
    ]
    head = "".join(f'<th scope="col"{k}>{text(c)}</th>' for c, k in zip(frame.columns, classes, strict=True))
    rows = []
    for values in frame.itertuples(index=False, name=None):
        first, *rest = values
        cells = "".join(f"<td{k}>{text(v)}</td>" for v, k in zip(rest, classes[1:], strict=True))
        rows.append(f'<tr><th scope="row">{text(first)}</th>{cells}</tr>')
    # A region that scrolls must be reachable by keyboard (WCAG 2.1.1), hence tabindex and a name.
    return (
        f'<div class="{TABLE_CLASS}" role="region" aria-label="{text(label)}" tabindex="0">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def static_table(frame: pd.DataFrame, label: str, wrap: tuple[str, ...] = ()) -> None:
    """Show `frame` (already formatted for reading) as a plain table named `label`; `wrap`: columns of sentences."""
    blocks.show(table_html(frame, label, wrap))  # styled by TABLE_CSS, sent once per page (layout.page_setup)

"""Helpers for AppTests of the pages in pages/: run a page the way a visitor reaches it, read the committed
sample files directly (not through the app's loader), and read back what a chart was given."""

from __future__ import annotations

import base64
import html
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from streamlit.testing.v1 import AppTest

from cpb_dash.ui.chart_image import CHART_CLASS
from cpb_dash.ui.static_table import TABLE_CLASS
from tests.conftest import FIXTURES, ROOT

TIMEOUT = 60


def page_test(page: str, query: dict[str, str] | None = None) -> AppTest:
    """A page of the classic pages/ folder, reached from app.py (AppTest resolves st.page_link against the
    entrypoint, so a page file run as its own entrypoint cannot link back to app.py). Not yet run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(page)


def snapshot(dataset: str, period: str, root: Path = FIXTURES) -> pd.DataFrame:
    """The one parquet file of a (dataset, period) directory, read with pyarrow."""
    files = list((root / dataset / period).glob("*.parquet"))
    assert len(files) == 1, files
    return pq.read_table(files[0]).to_pandas()


def total(frame: pd.DataFrame, measure: str) -> float:
    row = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total")]
    return float(row["value"].iloc[0])


def cell(frame: pd.DataFrame, measure: str, topic: str, breakdown: str) -> float:
    row = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == topic) & (frame["breakdown"] == breakdown)]
    return float(row["value"].iloc[0])


def rewrite_snapshot(root: Path, dataset: str, period: str, edit: Callable[[pd.DataFrame], None]) -> None:
    """In a private copy of the fixtures, change the period's snapshot in place (`edit` mutates the frame) and
    replace the period's only file with it, in the same schema (the store reads the only file in a folder)."""
    directory = root / dataset / period
    (old,) = list(directory.glob("*.parquet"))
    table = pq.read_table(old)
    frame = table.to_pandas()
    edit(frame)
    old.unlink()
    pq.write_table(
        pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False), directory / "edited-by-test.parquet"
    )


def rewrite_breakdown(
    root: Path, dataset: str, period: str, measure: str, topic: str, new_values: dict[str, float]
) -> None:
    """In a private copy of the fixtures, set some breakdown cells and replace the period's only file."""

    def edit(frame: pd.DataFrame) -> None:
        for breakdown, value in new_values.items():
            hit = (
                (frame["measure"] == measure) & (frame["breakdown_topic"] == topic) & (frame["breakdown"] == breakdown)
            )
            assert hit.sum() == 1, (measure, topic, breakdown)
            frame.loc[hit, "value"] = value
        rows = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == topic)]
        assert rows["value"].sum() == total(frame, measure), "the test must keep the breakdown summing to its Total"

    rewrite_snapshot(root, dataset, period, edit)


def private_fixtures(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES, root)
    return root


def charts(at: AppTest) -> list:
    """The page's charts as sent: images drawn on the server (ui/chart_image.py), each an st.html block."""
    return [block for block in at.get("html") if f'class="{CHART_CLASS}"' in block.proto.body]


def chart_alt(chart) -> str:
    """The chart's text alternative (every width of the chart carries the same one)."""
    alts = {html.unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', chart.proto.body)}
    assert len(alts) == 1, alts
    return alts.pop()


def chart_downloads(at: AppTest) -> dict[str, str]:
    """Each chart's CSV link as sent (AppTest is sent the file inline): its file name -> the CSV's text."""
    found = {}
    for block in at.get("html"):
        for uri, name in re.findall(
            r'<a class="cpb-download" href="data:text/csv;base64,([^"]*)" download="([^"]*)"', block.proto.body
        ):
            found[html.unescape(name)] = base64.b64decode(uri).decode("utf-8-sig")
    return found


def chart_table(chart) -> pd.DataFrame:
    """The table under a chart's "Show as table", as sent with it."""
    return html_table(chart.proto.body)


def title_of(chart) -> str:
    return chart_alt(chart)  # the text alternative starts with the chart's title


def chart_titled(at: AppTest, starts_with: str):
    for chart in charts(at):
        if title_of(chart).startswith(starts_with):
            return chart
    raise AssertionError(f"no chart titled {starts_with!r}")


def chart_svgs(chart) -> list[str]:
    """The SVG of each width the chart was drawn at (AppTest is sent them inline, a browser fetches them)."""
    uris = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]*)"', chart.proto.body)
    assert uris, chart.proto.body[:300]
    return [base64.b64decode(uri).decode("utf-8") for uri in uris]


def chart_texts(chart) -> list[str]:
    """Every piece of text drawn in the chart (titles, axis labels, legend, labels on the marks), narrowest
    width first; a label broken onto lines is joined with spaces."""
    texts = []
    for svg in chart_svgs(chart):
        for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"):
            texts.append(" ".join(t.strip() for t in element.itertext() if t.strip()))
    return texts


def chart_marks(chart) -> pd.DataFrame:
    """What each drawn mark (bar, point, label) stands for, from the description Vega writes on it
    ("field: value; field: value"), at the chart's widest drawing: the only data an SVG carries."""
    rows = []
    for element in ET.fromstring(chart_svgs(chart)[-1]).iter():
        label = element.get("aria-label")
        # marks only: axes and legends describe themselves too ("X-axis titled ...", "Symbol legend ...")
        if element.get("role") == "graphics-symbol" and label and "axis" not in label and "legend" not in label:
            rows.append(dict(part.split(": ", 1) for part in label.split("; ") if ": " in part))
    return pd.DataFrame(rows)


def chart_labels(chart, category: str = "breakdown") -> pd.DataFrame:
    """The figure or symbol written beside each bar (its `shown` label), with the value the bar was drawn to
    (`plot_value`, where the chart has one), by category."""
    marks = chart_marks(chart)
    return marks.dropna(subset=["shown"]).set_index(category)


def chart_gives_away(chart, figure: str) -> bool:
    """Whether any mark of the chart as sent (a bar, a point, a label beside a bar) stands for `figure`: the SVG
    holds no data besides its marks and their descriptions (axis ticks are a scale, not figures)."""
    return figure in {str(v) for v in chart_marks(chart).stack()}


def table_with_column(at: AppTest, column: str) -> pd.DataFrame:
    """The table with `column`: a table on the page, or a chart's table (under its "Show as table")."""
    found = _table_with(at, column)
    if found is None:
        raise AssertionError(f"no table with a column {column!r}")
    return found


def _table_with(at: AppTest, column: str) -> pd.DataFrame | None:
    return next((frame for frame in tables(at) if column in frame.columns), None)


class _Cells(HTMLParser):
    """The text of every heading and cell of an HTML table, row by row (the browser's view, entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_table(body: str) -> pd.DataFrame:
    """A plain HTML table as sent (ui/static_table.py) read back as a visitor reads it: headings, then rows."""
    parser = _Cells()
    parser.feed(body)
    head, *rows = parser.rows
    return pd.DataFrame(rows, columns=head)


def static_tables(at: AppTest) -> list[pd.DataFrame]:
    """The tables shown as plain HTML on the page, in page order: shown open, or a chart's under its "Show as
    table" (one table to a block)."""
    return [html_table(block.proto.body) for block in at.get("html") if f'class="{TABLE_CLASS}"' in block.proto.body]


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table on the page: the interactive grids, then the plain HTML tables."""
    return [frame.value for frame in at.dataframe] + static_tables(at)


def block_texts(at: AppTest) -> list[str]:
    """The words of the page's HTML blocks (cards, charts' sentences, folded notes opened), in page order."""
    return [text for block in at.get("html") for text in html_texts(block.proto.body)]


def text_of(at: AppTest) -> str:
    """Every text of the page: markdown, captions and the words of its HTML blocks."""
    return "\n".join([*(str(m.value) for m in [*at.markdown, *at.caption]), *block_texts(at)])


class _Texts(HTMLParser):
    """The texts of an HTML block as a visitor reads them, in order: each paragraph, list item, summary, link
    and heading; a table read down its first column (not its headings); nothing inside a chart (its alt text is
    for a screen reader) or a style. With open_details=False, a folded note's summary but not its contents."""

    BLOCKS = ("p", "li", "summary", "a", "h1", "h2", "h3", "h4")

    def __init__(self, open_details: bool) -> None:
        super().__init__()
        self.open_details = open_details
        self.found: list[str] = []
        self.parts: list[str] | None = None
        self.folded = 0  # depth inside a closed <details>, outside its summary
        self.skip = 0  # inside <style>
        self.first_cell = False
        self.in_body_row = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "style":
            self.skip += 1
        elif tag == "details" and (self.folded or not self.open_details):
            self.folded += 1
        elif tag == "summary" and self.folded == 1:
            self.folded -= 1
            self.parts = []
        elif tag == "tr":
            self.first_cell = True
        elif tag in ("th", "td") and self.first_cell:
            self.first_cell = False
            self.parts = [] if dict(attrs).get("scope") == "row" else None
        elif tag in self.BLOCKS and self.parts is None:
            self.parts = []
        elif tag == "br" and self.parts is not None:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.skip -= 1
        elif tag == "summary" and not self.open_details and self.parts is not None:
            self._flush()
            self.folded += 1
        elif tag == "details" and self.folded:
            self.folded -= 1
        elif tag in (*self.BLOCKS, "th") and self.parts is not None:
            self._flush()

    def _flush(self) -> None:
        text = "".join(self.parts or []).strip()
        if text and not self.folded:
            self.found.append(text)
        self.parts = None

    def handle_data(self, data: str) -> None:
        if self.parts is not None and not self.skip:
            self.parts.append(data)


def html_texts(body: str, open_details: bool = True) -> list[str]:
    parser = _Texts(open_details)
    parser.feed(body)
    return parser.found


def texts_in_page_order(at: AppTest, open_expanders: bool = True) -> list[str]:
    """Every text a visitor reads in the main area, top to bottom: markdown, captions, plain text, headings,
    link, expander and popover labels, info boxes, a table's first column, the words of the HTML blocks (cards, charts'
    captions, folded notes' summaries; not inside charts). With open_expanders=False, what a visitor reads
    without opening anything: an expander's, popover's or folded note's label but not its contents."""
    found: list[str] = []

    def walk(node) -> None:
        name = node.__class__.__name__
        body = getattr(getattr(node, "proto", None), "body", None)
        if name == "Expander":
            found.append(str(node.label))
            if not open_expanders:
                return
        elif name == "Block" and node.proto.WhichOneof("type") == "popover":  # AppTest has no Popover class
            found.append(node.proto.popover.label)
            if not open_expanders:
                return
        elif name == "Metric":
            found.append(str(node.value))
        elif name == "Dataframe" and len(node.value.columns):
            # a table is read down its first column (the measure or group each row is about)
            found.extend(str(cell) for cell in node.value.iloc[:, 0])
        elif isinstance(body, str) and body.lstrip().startswith("<"):
            found.extend(html_texts(body, open_expanders))
        elif name != "Block" and not hasattr(node, "children"):
            for attribute in ("value", "body", "label"):
                value = getattr(node, attribute, None)
                if isinstance(value, str) and value:
                    found.append(value)
                    break
            else:
                label = getattr(getattr(node, "proto", None), "label", None)
                if isinstance(label, str) and label:
                    found.append(label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found

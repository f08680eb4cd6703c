"""AppTest helpers: run a page script against the sample data (or a private copy of it)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, ROOT

TIMEOUT = 60  # AppTest's default 3 s is too short on a loaded CI machine


class PageTest(AppTest):
    """An AppTest whose first run() opens `page` the way a visitor's browser does: app.py is the entrypoint
    (so st.page_link can resolve every page), then the app switches to the page."""

    _first_page: str | None = None

    def run(self, *, timeout: float | None = None) -> AppTest:
        if self._first_page is not None:
            page, self._first_page = self._first_page, None
            super().run(timeout=timeout)
            return self.switch_page(page).run(timeout=timeout)
        return super().run(timeout=timeout)


def app_test(page: str = "app.py") -> AppTest:
    """`page` is 'app.py' or 'pages/1_Care_population.py' (relative to the repository root)."""
    at = PageTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if page != "app.py":
        at._first_page = page
    return at


@pytest.fixture(autouse=True)
def sample_data(monkeypatch) -> Path:
    monkeypatch.setenv("CPB_DATA_DIR", str(FIXTURES))
    return FIXTURES


def fixture_total(dataset: str, period: str, measure: str) -> float:
    """A Total straight from the committed parquet file, read without the app's own loader."""
    files = list((FIXTURES / dataset / period).glob("*.parquet"))
    assert len(files) == 1, files
    frame = pq.read_table(files[0]).to_pandas()
    row = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total")]
    return float(row["value"].iloc[0])


def latest_period(dataset: str = "care_population") -> str:
    return max(p.name for p in (FIXTURES / dataset).iterdir() if p.is_dir())


_CARD = re.compile(r'<div class="cpb-card" data-indicator="([^"]+)">.*?<p class="cpb-figure">([^<]*)</p>', re.S)


def card_figures(at: AppTest) -> dict[str, str]:
    """Each headline card's figure as shown, keyed by its indicator's short label (the card writes the label out
    in full above the figure the first time it uses an abbreviation)."""
    from cpb_dash import catalogue

    return {
        catalogue.INDICATORS[indicator].short_label: html.unescape(figure)
        for block in at.get("html")
        for indicator, figure in _CARD.findall(block.proto.body)
    }


_FIGURE = re.compile(r'<div class="cpb-card" data-figure="([^"]+)">.*?<p class="cpb-figure">([^<]*)</p>', re.S)


def figure_cards(at: AppTest) -> dict[str, str]:
    """The plain counts shown as cards (the action plan's), keyed by their labels."""
    return {
        html.unescape(label): html.unescape(figure)
        for block in at.get("html")
        for label, figure in _FIGURE.findall(block.proto.body)
    }


def metric_values(at: AppTest) -> dict[str, str]:
    """The headline cards' figures and the plain counts' (the action plan's)."""
    return {**figure_cards(at), **card_figures(at)}


_AREA_LINE = re.compile(r"<li>(.+?) <strong>(.+?)</strong>: ")


def overview_figures(at: AppTest) -> dict[str, str]:
    """The Overview's figure for each headline, as its area's lines show it ('Turnover <strong>10.5%</strong>:
    ...'), keyed by the line's label; the action plan's figures too."""
    found = figure_cards(at)
    for block in at.get("html"):
        for label, figure in _AREA_LINE.findall(block.proto.body):
            found[html.unescape(label)] = html.unescape(figure)
    return found


def markdown_text(at: AppTest) -> str:
    """Markdown, captions and the words of the HTML blocks (tests.app.page_helpers.text_of)."""
    from tests.app.page_helpers import text_of

    return text_of(at)


__all__ = [
    "app_test",
    "fixture_total",
    "latest_period",
    "card_figures",
    "figure_cards",
    "metric_values",
    "markdown_text",
    "overview_figures",
    "pd",
]

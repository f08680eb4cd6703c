"""AppTest helpers: run a page script against the sample data (or a private copy of it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, ROOT

TIMEOUT = 60  # AppTest's default 3 s is too short on a loaded CI machine


def app_test(page: str) -> AppTest:
    """`page` is 'app.py' or 'pages/1_Care_population.py' (resolved against the repository root)."""
    return AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)


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


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


__all__ = ["app_test", "fixture_total", "latest_period", "metric_values", "markdown_text", "pd"]

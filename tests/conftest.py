"""Shared test helpers: small count tables built in the test, and paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DFE = ROOT.parent / "shared" / "data" / "dfe"
FIXTURES = ROOT / "data" / "fixtures"


def count_rows(period: dt.date, rows: list[tuple]) -> pd.DataFrame:
    """rows: (measure, value) for Totals, or (measure, topic, breakdown, value[, symbol])."""
    records = []
    for row in rows:
        if len(row) == 2:
            measure, value = row
            topic = breakdown = "Total"
            symbol = None
        else:
            measure, topic, breakdown, value, *rest = row
            symbol = rest[0] if rest else None
        records.append(
            {
                "period_end": pd.Timestamp(period),
                "measure": measure,
                "breakdown_topic": topic,
                "breakdown": breakdown,
                "value": value,
                "symbol": symbol,
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame["value"] = frame["value"].astype("float64")
    frame["symbol"] = frame["symbol"].astype("object")
    return frame


@pytest.fixture
def shared_dfe() -> Path:
    if not SHARED_DFE.is_dir():
        pytest.skip("../shared/data/dfe is not beside the repository")
    return SHARED_DFE

"""Validate and publish timing and peak memory, in a process of its own so its peak is its own:
python -m bench.publish prints one JSON line.

Two files: the largest *valid* snapshot (every measure, topic and breakdown the catalogue allows, for one
quarter), published into a temporary store; and a 50 MB parquet file of 200,000 rows (long unique breakdown
labels, uncompressed), which no valid snapshot can be (one row per measure x breakdown). Since the per-dataset row
caps (safe_read.max_rows) it is refused from its footer; bench/bombs.py measures the worst files at those caps.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash import catalogue
from cpb_dash.config import DEFAULT_DATA_DIR
from cpb_dash.safe_read import validate_file
from cpb_dash.store import PublishRefused, Store, encode_snapshot

TARGET_BYTES = 50 * 1024 * 1024


def largest_valid(sample: Store) -> tuple[bytes, dt.date]:
    frame = sample.read_current("care_population")
    latest = frame["period_end"].max()
    return encode_snapshot(
        frame[frame["period_end"] == latest].reset_index(drop=True), "care_population"
    ), latest.date()


def fifty_megabytes(period: dt.date) -> bytes:
    rows = 200_000
    label_len = max(16, TARGET_BYTES // rows - 60)
    measures = [m.id for m in catalogue.MEASURES.values() if m.dataset == "care_population"]
    breakdown = [f"{i:08d}-" + ("Hackney quarterly snapshot padding " * 20)[:label_len] for i in range(rows)]
    table = pa.table(
        {
            "period_end": pa.array([period] * rows, pa.date32()),
            "measure": pa.array([measures[i % len(measures)] for i in range(rows)]),
            "breakdown_topic": pa.array(["Age group"] * rows),
            "breakdown": pa.array(breakdown),
            "value": pa.array([float(i % 97) for i in range(rows)]),
            "symbol": pa.array([None] * rows, pa.string()),
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="none", use_dictionary=False, row_group_size=rows)
    return buffer.getvalue()


def _call(fn) -> object:
    try:
        return fn()
    except PublishRefused as refused:
        return refused


def timed(fn) -> tuple[float, float, object]:
    """(seconds, tracemalloc peak MB, result): timed without tracemalloc (it slows Python code several times),
    then run again under tracemalloc for the peak of Python and NumPy allocations (Arrow's own pool is not
    traced: the process's maxrss covers it)."""
    start = time.perf_counter()
    result = _call(fn)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    _call(fn)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    sample = Store(DEFAULT_DATA_DIR)
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        shutil.copytree(DEFAULT_DATA_DIR, root)
        store = Store(root)
        valid, period = largest_valid(sample)
        seconds, peak, findings = timed(lambda: validate_file(valid, "care_population", "valid.parquet"))
        out["valid"] = {
            "bytes": len(valid),
            "rows": len(pq.read_table(io.BytesIO(valid))),
            "validate_s": seconds,
            "validate_peak_mb": peak,
            "errors": sum(1 for f in findings if f.level == "error"),
        }
        # A new version for the latest quarter: one more child in care, in the Total and in one row of each of its
        # breakdowns (so they still add up), a revision that really moves the pointer
        frame = pq.read_table(io.BytesIO(valid)).to_pandas()
        cla = frame[frame["measure"] == "cla"]
        for _, rows in cla.groupby("breakdown_topic"):
            frame.loc[rows.index[0], "value"] += 1
        revised = encode_snapshot(frame, "care_population")
        seconds, peak, result = timed(
            lambda: store.publish(revised, "care_population", period, "revised.parquet", by="bench@hackney.gov.uk")
        )
        out["valid"].update(
            {"publish_s": seconds, "publish_peak_mb": peak, "published": not isinstance(result, PublishRefused)}
        )

        big = fifty_megabytes(period)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, peak, findings = timed(lambda: validate_file(big, "care_population", "big.parquet"))
        errors = [f for f in findings if f.level == "error"]
        out["big"] = {
            "bytes": len(big),
            "validate_s": seconds,
            "validate_peak_mb": peak,
            "errors": len(errors),
            "first_error": errors[0].message[:160] if errors else "",
        }
        seconds, peak, result = timed(
            lambda: store.publish(big, "care_population", period, "big.parquet", by="bench@hackney.gov.uk")
        )
        out["big"].update(
            {"publish_s": seconds, "publish_peak_mb": peak, "published": not isinstance(result, PublishRefused)}
        )
        out["maxrss_before_big_mb"] = rss_before
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""The snapshot store: every version of every (dataset, period), which one is current, and reading them.

Layout of a data directory (the bundled sample data in data/fixtures/ is laid out the same way):

    <data_dir>/benchmarks.parquet                          curated DfE benchmarks (built by `cpb_dash benchmarks`)
    <data_dir>/<dataset>/<YYYY-MM-DD>/<sha256>.parquet     one immutable file per published version
    <data_dir>/store.sqlite                                current pointer and audit log (created by the first publish)

Where a period has no entry in store.sqlite, its only file is current (this is how sample data is seeded).
Files here were validated before they were published, so they are read directly; untrusted bytes go through
safe_read first.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from cpb_dash import catalogue

DB_NAME = "store.sqlite"
BENCHMARKS_FILE = "benchmarks.parquet"
VERSION_COLUMNS = ["dataset", "period_end", "version", "path"]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    """Read side of the store. Only this module (and its publish functions) write to a data directory."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    # -- what is current ----------------------------------------------------------------------------------------
    def _pointers(self) -> dict[tuple[str, str], str]:
        if not self.db_path.exists():
            return {}
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT dataset, period_end, version FROM current").fetchall()
        except sqlite3.OperationalError:
            rows = []
        finally:
            con.close()
        return {(d, p): v for d, p, v in rows}

    def current_versions(self) -> pd.DataFrame:
        """One row per (dataset, period) that has a current version: dataset, period_end, version, path."""
        pointers = self._pointers()
        rows = []
        for dataset in catalogue.UPLOADABLE_DATASETS:
            base = self.root / dataset
            if not base.is_dir():
                continue
            for period_dir in sorted(p for p in base.iterdir() if p.is_dir()):
                version = pointers.get((dataset, period_dir.name))
                if version is None:
                    files = sorted(period_dir.glob("*.parquet"))
                    if len(files) != 1:
                        continue  # not seeded and not published: nothing current
                    path = files[0]
                    version = path.stem
                else:
                    path = period_dir / f"{version}.parquet"
                    if not path.exists():
                        continue
                rows.append((dataset, pd.Timestamp(period_dir.name), version, str(path)))
        return pd.DataFrame(rows, columns=VERSION_COLUMNS)

    def state_token(self) -> str:
        """Changes whenever any current version changes: the cache key for everything read from the store."""
        versions = self.current_versions()
        bench = self.root / BENCHMARKS_FILE
        bench_stamp = f"{bench.stat().st_mtime_ns}:{bench.stat().st_size}" if bench.exists() else "-"
        keys = versions[["dataset", "period_end", "version"]].itertuples(index=False, name=None)
        text = "|".join(f"{d}/{p.date()}/{v}" for d, p, v in keys)
        return hashlib.sha256(f"{text}#{bench_stamp}".encode()).hexdigest()[:16]

    # -- reading ------------------------------------------------------------------------------------------------
    def read_current(self, dataset: str) -> pd.DataFrame:
        """Every current period of a dataset, concatenated; period_end as a pandas Timestamp."""
        versions = self.current_versions()
        paths = versions.loc[versions["dataset"] == dataset, "path"].tolist()
        if not paths:
            return empty_frame(dataset)
        frames = [pq.read_table(p).to_pandas() for p in paths]
        frame = pd.concat(frames, ignore_index=True)
        return normalise_frame(frame, dataset)

    def read_benchmarks(self) -> pd.DataFrame:
        path = self.root / BENCHMARKS_FILE
        if not path.exists():
            return pd.DataFrame(columns=["year", "area_code", "area_name", "area_type", "indicator", "value", "symbol"])
        return pq.read_table(path).to_pandas()


COUNT_COLUMNS = ["period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol"]
ACTION_COLUMNS = [
    "period_end", "priority", "objective", "action_id", "action", "lead", "due_date", "status",
    "progress_pct", "anti_racist", "update",
]


def columns_for(dataset: str) -> list[str]:
    return ACTION_COLUMNS if dataset == catalogue.ACTION_PLAN else COUNT_COLUMNS


def empty_frame(dataset: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in columns_for(dataset)})
    return normalise_frame(frame, dataset)


def normalise_frame(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Dates as Timestamps, values as floats, so every reader sees the same dtypes."""
    frame = frame.copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    if dataset == catalogue.ACTION_PLAN:
        frame["due_date"] = pd.to_datetime(frame["due_date"])
    else:
        frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame

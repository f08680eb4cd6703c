"""A store of 10 years of quarters (40 periods) with 10 times the breakdown rows, generated from the sample data
into a temporary directory (never committed): the 14 extra quarters before 2019-20 Q1 repeat the earliest sample
quarters' figures; every breakdown row gets nine copies under invented topics ('Age group (copy 1)', ...), so
every frame the app filters, suppresses and derives from is ten times as long while the pages draw the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.store import Store, content_hash, encode_snapshot

QUARTERS = 40
COPIES = 9


def write_big_store(sample_dir: Path, out_dir: Path) -> dict[str, int]:
    """Write the store; return rows per dataset."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(sample_dir / "benchmarks.parquet", out_dir / "benchmarks.parquet")
    shutil.copytree(sample_dir / catalogue.ACTION_PLAN, out_dir / catalogue.ACTION_PLAN)
    sample = Store(sample_dir)
    rows = {}
    for dataset in catalogue.COUNT_DATASETS:
        frame = sample.read_current(dataset)
        days = sorted(d.date() for d in frame["period_end"].unique())
        extra = [periods.shift_quarters(days[0], -(i + 1)) for i in range(QUARTERS - len(days))]
        extra_frames = [
            frame[frame["period_end"] == pd.Timestamp(days[i % len(days)])].assign(period_end=pd.Timestamp(day))
            for i, day in enumerate(reversed(extra))
        ]
        frame = pd.concat([*extra_frames, frame], ignore_index=True)
        breakdowns = frame[frame["breakdown_topic"] != catalogue.TOTAL]
        copies = [
            breakdowns.assign(breakdown_topic=breakdowns["breakdown_topic"] + f" (copy {n})")
            for n in range(1, COPIES + 1)
        ]
        frame = pd.concat([frame, *copies], ignore_index=True)
        rows[dataset] = len(frame)
        for day, part in frame.groupby("period_end"):
            data = encode_snapshot(part.reset_index(drop=True), dataset)
            target = out_dir / dataset / day.date().isoformat()
            target.mkdir(parents=True, exist_ok=True)
            (target / f"{content_hash(data)}.parquet").write_bytes(data)
    return rows

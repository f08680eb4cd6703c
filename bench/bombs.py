"""The worst files we could build against the reader's caps (issue 15): seconds and peak resident memory for each,
through validate_file (what `validate`, `publish` and the Upload page all run first).

python -m bench.bombs prints one JSON line: a list of {file, bytes, seconds, rss_mb, baseline_mb, outcome}.
Each file is built here, written to a temporary file and validated in a process of its own
(python -m bench.bombs NAME PATH DATASET), so the peak is the reading's alone; baseline_mb is that process's peak
once Python, pandas and pyarrow are imported and the bytes are in memory. The reader and the rules are measured
in that process (in the app they run in a child, see safe_read.read_untrusted); the whole path, child process
included, is timed after. Nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash import catalogue, safe_read
from cpb_dash.contract import validate_read
from cpb_dash.safe_read import validate_file

PERIOD = dt.date(2025, 9, 30)
COUNT_COLUMNS = ("period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol")


def _parquet(table: pa.Table, **kwargs) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", **kwargs)
    return buffer.getvalue()


def _one_string(rows: int, text: str) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([text]))


def _counts(rows: int, **text: pa.Array) -> pa.Table:
    columns = {
        "period_end": pa.array([PERIOD] * rows, pa.date32()),
        "measure": pa.array(["cla"] * rows),
        "breakdown_topic": pa.array(["Total"] * rows),
        "breakdown": pa.array(["Total"] * rows),
        "value": pa.array([1.0] * rows),
        "symbol": pa.array([None] * rows, pa.string()),
    }
    columns.update(text)
    return pa.table({name: columns[name] for name in COUNT_COLUMNS})


def issue_dictionary_bomb() -> tuple[bytes, str]:
    """The issue's file: 200,000 rows of one 10 kB string (about 2 GB unpacked)."""
    return _parquet(_counts(200_000, measure=_one_string(200_000, "x" * 10_000))), "care_population"


def dictionary_bomb_at_the_caps() -> tuple[bytes, str]:
    """At the row cap, every text column one string just under the cell cap: 64 MB unpacked, over the text cap."""
    rows = safe_read.max_rows("care_population")
    long = _one_string(rows, "x" * (safe_read.MAX_CELL_BYTES - 1))
    return _parquet(_counts(rows, measure=long, breakdown_topic=long, breakdown=long, symbol=long)), "care_population"


def dictionary_bomb_just_under_the_caps() -> tuple[bytes, str]:
    """The worst file the reader lets through to the rules: as much unpacked text as the text cap allows."""
    rows = safe_read.max_rows("care_population")
    per_cell = min(safe_read.MAX_CELL_BYTES, safe_read.MAX_TEXT_BYTES // (2 * rows)) - 64  # room for the rest
    long = _one_string(rows, "x" * per_cell)
    return _parquet(_counts(rows, measure=long, breakdown=long)), "care_population"


def identical_rows() -> tuple[bytes, str]:
    """200,000 copies of one row: a 5 kB file."""
    return _parquet(_counts(200_000)), "care_population"


def identical_rows_at_the_cap() -> tuple[bytes, str]:
    """Copies of one row, as many as the cap allows: every rule runs on every row."""
    return _parquet(_counts(safe_read.max_rows("care_population"))), "care_population"


def action_plan_at_the_cap() -> tuple[bytes, str]:
    """The action plan's row cap of distinct actions, each with the longest update the contract allows."""
    rows = safe_read.max_rows("action_plan")
    plan = catalogue.PRIORITIES[1]
    table = pa.table(
        {
            "period_end": pa.array([PERIOD] * rows, pa.date32()),
            "priority": pa.array([1] * rows, pa.int64()),
            "objective": pa.array([plan.objectives[0]] * rows),
            "action_id": pa.array([f"P1.{i % 100:02d}" for i in range(rows)]),
            "action": pa.array(["Ä" * catalogue.ACTION_TEXT_MAX] * rows),
            "lead": pa.array(["Head of Service"] * rows),
            "due_date": pa.array([PERIOD] * rows, pa.date32()),
            "status": pa.array(["On track"] * rows),
            "progress_pct": pa.array([50] * rows, pa.int64()),
            "anti_racist": pa.array([True] * rows),
            "update": pa.array([f"{i} " + "é" * catalogue.UPDATE_TEXT_MAX for i in range(rows)]),
        }
    )
    return _parquet(table, use_dictionary=False), "action_plan"


def _varint(n: int, length: int | None = None) -> bytes:
    """A Thrift varint; with `length`, padded with continuation bytes to exactly that many (decoders accept it)."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        last = not n if length is None else len(out) == length - 1
        out.append(byte | (0 if last else 0x80))
        if last:
            return bytes(out)


def lying_footer_bomb(rows: int = 100, cell: int = 5_000_000) -> tuple[bytes, str]:
    """Plain text (no dictionary) that zstd packs to a few kB, with the footer's unpacked sizes rewritten to claim
    a few kB too: only the pages' own headers tell the truth (here `rows` x `cell` bytes, 500 MB by default)."""
    long = pa.array(["x" * cell] * rows)
    data = _parquet(_counts(rows, measure=long), use_dictionary=False, write_statistics=False)
    meta = pq.ParquetFile(pa.BufferReader(data)).metadata
    length = int.from_bytes(data[-8:-4], "little")
    footer = data[-8 - length : -8]
    for true_size in (meta.row_group(0).column(1).total_uncompressed_size, meta.row_group(0).total_byte_size):
        honest = _varint(true_size << 1)  # zigzag of a positive i64
        footer = footer.replace(honest, _varint(2_000 << 1, len(honest)))
    return data[: -8 - length] + footer + data[-8:], "care_population"


def csv_empty_rows() -> tuple[bytes, str]:
    """The issue's 1.2 MB CSV: a heading, then 200,000 rows of empty cells."""
    return ",".join(COUNT_COLUMNS).encode() + b"\n" + b",,,,,\r\n" * 200_000, "care_population"


def csv_at_the_byte_cap() -> tuple[bytes, str]:
    """CSV text up to the CSV byte cap, each row different and plausible: reading stops at the row cap."""
    line = "2025-09-30,cla,Age group,{:012d} " + "x" * 80 + ",1,\n"
    rows = safe_read.MAX_CSV_BYTES // len(line.format(0)) - 1
    return (",".join(COUNT_COLUMNS) + "\n" + "".join(line.format(i) for i in range(rows))).encode(), "care_population"


def csv_one_record_of_tiny_cells() -> tuple[bytes, str]:
    """One CSV record of a million quoted one-character cells over a million lines."""
    return ",".join(COUNT_COLUMNS).encode() + b"\n" + b",".join([b'"\n"'] * 1_000_000) + b"\n", "care_population"


BOMBS = {
    "issue's dictionary bomb (200,000 rows x one 10 kB string)": issue_dictionary_bomb,
    "dictionary bomb at the row and cell caps": dictionary_bomb_at_the_caps,
    "dictionary bomb just under the text cap (reaches the rules)": dictionary_bomb_just_under_the_caps,
    "plain text whose footer lies about its size (500 MB in pages)": lying_footer_bomb,
    "200,000 identical rows": identical_rows,
    "identical rows at the row cap (reaches the rules)": identical_rows_at_the_cap,
    "action plan at its row cap, longest texts (reaches the rules)": action_plan_at_the_cap,
    "CSV: 200,000 rows of empty cells": csv_empty_rows,
    "CSV at the CSV byte cap": csv_at_the_byte_cap,
    "CSV: one record of a million quoted cells": csv_one_record_of_tiny_cells,
}


def _rss_mb() -> float:
    """This process's peak resident memory. VmHWM where there is /proc: getrusage's maxrss survives exec, so a
    child started from a parent that once held a big file would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(name: str, path: str, dataset: str) -> dict:
    with open(path, "rb") as handle:
        data = handle.read()
    baseline = _rss_mb()
    # The reader and the rules in this process: in the app they run in a child process (safe_read.read_untrusted),
    # whose memory this process could not see.
    start = time.perf_counter()
    frame, read_findings = safe_read.read_snapshot(data, dataset, "bomb")
    findings = validate_read(frame, read_findings, dataset, "bomb")
    seconds = time.perf_counter() - start
    rss = _rss_mb()
    validate_file(data, dataset, "bomb")  # starts the forkserver: once per server process, about a second
    start = time.perf_counter()
    validate_file(data, dataset, "bomb")  # the whole path, child process and all
    isolated = time.perf_counter() - start
    errors = [f for f in findings if f.level == "error"]
    return {
        "file": name,
        "bytes": len(data),
        "seconds": seconds,
        "isolated_s": isolated,
        "rss_mb": rss,
        "baseline_mb": baseline,
        "outcome": f"refused: [{errors[0].rule}] {errors[0].message[:90]}" if errors else "accepted",
    }


def main(argv: list[str]) -> None:
    if argv:
        print(json.dumps(run_one(*argv)))
        return
    results = []
    for name, make in BOMBS.items():
        # Built here and read from a file there: the measured process's peak is the reading's, not the building's.
        data, dataset = make()
        with tempfile.NamedTemporaryFile(suffix=".bomb") as handle:
            handle.write(data)
            handle.flush()
            del data
            done = subprocess.run(
                [sys.executable, "-m", "bench.bombs", name, handle.name, dataset],
                capture_output=True,
                text=True,
                check=False,
            )
        if done.returncode != 0:
            results.append(
                {
                    "file": name,
                    "bytes": 0,
                    "seconds": float("nan"),
                    "rss_mb": float("nan"),
                    "baseline_mb": float("nan"),
                    "outcome": "CRASHED: " + done.stderr[-200:],
                }
            )
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps(results))


def table(results: list[dict]) -> list[str]:
    lines = [
        "| File | Size | Seconds | Peak RSS (MB) | Above imports (MB) | Seconds in a child process | Outcome |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in results:
        size = f"{row['bytes'] / 1024:.1f} KB" if row["bytes"] < 1024 * 1024 else f"{row['bytes'] / 2**20:.1f} MB"
        lines.append(
            f"| {row['file']} | {size} | {row['seconds']:.2f} | {row['rss_mb']:.0f}"
            f" | {row['rss_mb'] - row['baseline_mb']:.0f} | {row.get('isolated_s', float('nan')):.2f}"
            f" | {row['outcome']} |"
        )
    return lines


if __name__ == "__main__":
    main(sys.argv[1:])

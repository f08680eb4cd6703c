"""SSDA903 intake speed, in a process of its own so its peak is its own: python -m bench.ssda903 --scale 3
prints one JSON line.

A 10-year synthetic extract (1 April 2015 to 31 March 2025: 40 quarter ends) at `scale` times Hackney's volume,
as CSV bytes in memory. Timed: reading and checking the tables and deriving every dataset for every quarter end
(intake.ssda903 + intake.derive903 + intake.derive903_measures), against reading the same CSV bytes with pandas
alone (pd.read_csv, every column as text), the floor any reader pays. The postcode directory is loaded before the
clock starts and timed on its own: it is loaded once per server process, for the letters a return uses, and kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import time
import tracemalloc

import pandas as pd

from cpb_dash.intake import postcodes
from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from cpb_dash.intake.synthetic_903 import generate

TODAY = dt.date(2026, 1, 1)
REPEATS = 3


def _best(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=3.0)
    args = parser.parse_args(argv)
    extract = generate(years=10, scale=args.scale, last_day=dt.date(2025, 3, 31))
    files = extract.csv_files()
    episodes = extract.tables["Episodes"]
    start = time.perf_counter()
    postcodes.locate(pd.concat([episodes["HOME_POST"], episodes["PL_POST"]]).str.upper())
    directory_s = time.perf_counter() - start

    def pipeline():
        ret = read_return(files, today=TODAY)
        assert ret.ok, [f.message for f in ret.errors][:3]
        derived = derive(ret.tables, today=TODAY)
        add_measures(ret.tables, derived)
        return derived

    def pandas_alone():
        return [pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False) for _, data in files]

    derived = pipeline()
    quarters = sorted({q for _, q in derived.frames})
    pipeline_s = _best(pipeline)
    floor_s = _best(pandas_alone)
    tracemalloc.start()
    pipeline()
    peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "scale": args.scale,
                "children": len(extract.tables["Header"]),
                "episodes": len(episodes),
                "bytes": sum(len(d) for _, d in files),
                "quarters": len(quarters),
                "first_quarter": quarters[0].isoformat(),
                "last_quarter": quarters[-1].isoformat(),
                "pipeline_s": pipeline_s,
                "pandas_s": floor_s,
                "ratio": pipeline_s / floor_s,
                "directory_s": directory_s,
                "peak_mb": peak_mb,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()

"""A synthetic, deterministic workforce census worker table, Hackney-sized, to try the census intake without data.

Every worker is invented: ids are 'ZZ' and ten digits counting from 1 (no real Social Work England number starts
'ZZ'), and no name, date of birth or other personal detail is written. Its figures for 30 September 2025 sit near
the bundled sample snapshot's (about 200 directly employed in post, 50 agency FTE, turnover near 10%).

    python -m cpb_dash.intake.census_sample data/fixtures/census/workforce_census_sample.csv
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

from cpb_dash.catalogue import SERVICE_AREAS
from cpb_dash.intake.census import COLUMNS

SAMPLE_PERIOD = dt.date(2025, 9, 30)
SEED = 20250930
ETHNICITY_CODES = (  # weights near an inner London children's social care workforce
    ("WBRI", 30),
    ("WOTH", 10),
    ("WIRI", 2),
    ("MWBC", 4),
    ("MOTH", 3),
    ("AIND", 3),
    ("ABAN", 3),
    ("AOTH", 2),
    ("BCRB", 14),
    ("BAFR", 18),
    ("BOTH", 3),
    ("OOTH", 3),
    ("REFU", 3),
    ("NOBT", 2),
)
ORG_ROLES = ((5, 58), (6, 4), (4, 20), (3, 12), (2, 4), (1, 2))
AREA_WEIGHTS = (30, 28, 24, 8, 10)


def sample_rows(period_end: dt.date = SAMPLE_PERIOD, seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def pick(pairs):
        return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def worker(agency: bool, start: dt.date, end: dt.date | None) -> dict[str, str]:
        role = pick(ORG_ROLES)
        fte = 1.0 if agency or rng.random() < 0.86 else rng.choice((0.5, 0.6, 0.8, 0.9))
        cases = 0
        holds_cases = role == 5 or (role == 4 and rng.random() < 0.5)
        if holds_cases and (not agency or rng.random() < 0.4):
            cases = max(1, round(rng.gauss(13, 4) * fte))
        days_lost = 0.0 if agency or rng.random() < 0.45 else round(rng.expovariate(1 / 12) * fte, 1)
        return {
            "SWENo": f"ZZ{len(rows) + 1:010d}",
            "AgencyWorker": "1" if agency else "0",
            "FTE": f"{fte:.6f}",
            "OrgRole": str(role),
            "RoleStartDate": start.isoformat(),
            "RoleEndDate": end.isoformat() if end else "",
            "ReasonLeave": str(rng.choice((1, 1, 1, 1, 5, 7, 8, 9))) if end else "",
            "Ethnicity": pick(ETHNICITY_CODES),
            "Cases30": "" if end else str(cases),
            "WorkingDaysLost": "" if end else f"{days_lost:g}",
            "ServiceArea": rng.choices(SERVICE_AREAS, weights=AREA_WEIGHTS)[0],
        }

    def days_before(days: int) -> dt.date:
        return period_end - dt.timedelta(days=days)

    for _ in range(205):  # directly employed, in post at the period end; about 36 started in the last year
        start = days_before(rng.randint(1, 364)) if rng.random() < 0.17 else days_before(rng.randint(366, 5000))
        rows.append(worker(False, start, None))
    for _ in range(21):  # left in the 12 months to the period end
        end = days_before(rng.randint(0, 364))
        rows.append(worker(False, end - dt.timedelta(days=rng.randint(200, 3000)), end))
    for _ in range(12):  # left earlier: in the extract, counted in no figure for this period
        end = days_before(rng.randint(366, 700))
        rows.append(worker(False, end - dt.timedelta(days=rng.randint(200, 3000)), end))
    for _ in range(53):  # agency workers covering posts on the period end
        rows.append(worker(True, days_before(rng.randint(1, 700)), None))
    return rows


def sample_csv(period_end: dt.date = SAMPLE_PERIOD) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(sample_rows(period_end))
    return buffer.getvalue().encode("utf-8")


if __name__ == "__main__":  # pragma: no cover - a developer's convenience
    out = Path(sys.argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(sample_csv())
    print(f"Wrote {out}")

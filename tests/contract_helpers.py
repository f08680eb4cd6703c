"""Valid snapshots for the contract tests; each test breaks one thing next to its assertion."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from cpb_dash import catalogue
from cpb_dash.findings import Finding

PERIOD = dt.date(2025, 9, 30)
TODAY = dt.date(2025, 11, 15)
COUNT_COLUMNS = ["period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol"]


def care_population(period: dt.date = PERIOD) -> pd.DataFrame:
    """Every care_population measure once as a Total, with cla by Age group adding up to its Total (40)."""
    rows = [
        ("cla", "Total", "Total", 40.0, None),
        ("cla", "Age group", "Under 1 year", 3.0, None),
        ("cla", "Age group", "1 to 4 years", 7.0, None),
        ("cla", "Age group", "5 to 9 years", 9.0, None),
        ("cla", "Age group", "10 to 15 years", 12.0, None),
        ("cla", "Age group", "16 years and over", 9.0, None),
        ("cla_started", "Total", "Total", 8.0, None),
        ("cla_ceased", "Total", "Total", 6.0, None),
        ("uasc", "Total", "Total", None, "c"),
        ("population_0_17", "Total", "Total", 58_000.0, None),
        ("cl_19_21_total", "Total", "Total", 30.0, None),
        ("cl_19_21_eet", "Total", "Total", 20.0, None),
        ("cl_19_21_suitable_accom", "Total", "Total", 26.0, None),
        ("missing_episodes", "Total", "Total", 14.0, None),
        ("rhi_offered", "Total", "Total", 14.0, None),
        ("rhi_accepted", "Total", "Total", 9.0, None),
        ("cl_19_21_accom_total", "Total", "Total", 29.0, None),
    ]
    frame = pd.DataFrame(rows, columns=COUNT_COLUMNS[1:])
    frame.insert(0, "period_end", pd.Timestamp(period))
    return frame


def action_plan(period: dt.date = PERIOD) -> pd.DataFrame:
    p1, p5 = catalogue.PRIORITIES[1], catalogue.PRIORITIES[5]
    frame = pd.DataFrame(
        {
            "priority": [1, 1, 5],
            "objective": [p1.objectives[0], p1.objectives[1], p5.objectives[0]],
            "action_id": ["P1.01", "P1.02", "P5.01"],
            "action": [
                "Anti-racist practice training for all social workers",
                "Review of entry-to-care decisions by ethnicity",
                "Recruitment drive for permanent social workers",
            ],
            "lead": [
                "Head of Service, Looked After Children",
                "Director of Children's Social Care",
                "HR Business Partner",
            ],
            "due_date": pd.to_datetime(["2026-03-31", "2025-12-31", "2026-06-30"]),
            "status": ["On track", "At risk", "Not started"],
            "progress_pct": [40.0, 20.0, None],
            "anti_racist": [True, True, False],
            "update": ["Two cohorts trained.", "Audit under way.", None],
        }
    )
    frame.insert(0, "period_end", pd.Timestamp(period))
    return frame


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


def warnings_(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "warning"]


def one(findings: list[Finding], rule: str, level: str = "error") -> Finding:
    """The single finding of this rule and level (fails the test if there are none or several)."""
    matches = [f for f in findings if f.rule == rule and f.level == level]
    assert len(matches) == 1, f"expected one {level} for {rule}, got {matches}\nall: {findings}"
    return matches[0]


def varint(n: int) -> bytes:
    """A Thrift/protobuf unsigned varint, for patching numbers inside a parquet footer."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)

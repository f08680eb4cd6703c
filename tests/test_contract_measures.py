"""The contract for the annual (31 March) health measures: refused in another quarter's file with a plain message,
not missed when a quarter's file leaves them out; a 31 March file with them passes."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash.safe_read import validate_file
from tests.conftest import count_rows


def _parquet(period: dt.date, rows: list[tuple]) -> bytes:
    frame = count_rows(period, rows)
    frame["period_end"] = frame["period_end"].dt.date
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


MISSING = [("cla_during_12m", 520), ("children_missing_12m", 78), ("children_away_12m", 0)]
HEALTH = [
    ("oc2_cohort", 226),
    ("oc2_health_assessment", 219),
    ("oc2_dental_check", 199),
    ("oc2_immunised", 140),
    ("oc2_sdq_cohort", 163),
    ("oc2_sdq_completed", 128),
    ("oc2_sdq_score_total", 1984),
    ("oc2_sdq_concern", 52),
    ("oc2_substance_misuse", 11),
    ("oc2_aged_10_plus", 140),
    ("oc2_convicted", 6),
]


def test_health_counts_in_a_september_file_are_refused_with_the_reason():
    findings = validate_file(
        _parquet(dt.date(2025, 9, 30), MISSING + HEALTH[:2]), "health_wellbeing", file_name="q2.parquet"
    )
    errors = [f for f in findings if f.level == "error"]
    assert [f.rule for f in errors] == ["annual_in_march"]
    assert "'oc2_cohort'" in errors[0].message and "31 March" in errors[0].message
    assert errors[0].file == "q2.parquet"


def test_a_quarter_without_the_annual_counts_is_complete_and_a_march_file_needs_them():
    june = validate_file(_parquet(dt.date(2025, 6, 30), MISSING), "health_wellbeing", file_name="q1.parquet")
    assert not [f for f in june if f.level in ("error", "warning")], [f.message for f in june if f.level != "pass"]
    march = validate_file(_parquet(dt.date(2025, 3, 31), MISSING), "health_wellbeing", file_name="q4.parquet")
    warning = next(f for f in march if f.rule == "measures_complete")
    assert warning.level == "warning" and "oc2_cohort" in warning.message
    full = validate_file(_parquet(dt.date(2025, 3, 31), MISSING + HEALTH), "health_wellbeing", file_name="q4.parquet")
    assert not [f for f in full if f.level in ("error", "warning")], [f.message for f in full if f.level != "pass"]

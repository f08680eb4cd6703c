"""The officer's publishing path without Streamlit: check an upload, and preview what it would change.

The Upload page and `python -m cpb_dash publish` both use this; the store itself re-checks before it writes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpb_dash import catalogue, contract, indicators, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.findings import ERROR, WARNING, Finding
from cpb_dash.formatting import format_change, format_value
from cpb_dash.store import SnapshotStore, normalise_frame


@dataclass(frozen=True)
class UploadCheck:
    """One uploaded file, read and validated. `frame` is None when it could not be read safely."""

    dataset: str
    file_name: str  # a label only
    findings: list[Finding]
    frame: pd.DataFrame | None
    period_end: dt.date | None
    current_version: str | None  # what is current for that period now: the publish is checked against it

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def publishable(self) -> bool:
        return not self.errors and self.frame is not None and self.period_end is not None

    @property
    def why_not_publishable(self) -> str | None:
        """One sentence for the officer when the file cannot be published, also when no finding is an error
        (so the page and the command line never say 'correct the errors' and list none)."""
        if self.publishable:
            return None
        if self.errors:
            return f"{len(self.errors)} error(s) above must be corrected first."
        if self.frame is None or len(self.frame) == 0:
            return "The file has no rows."
        return "The file does not hold one quarter end in 'period_end', so there is no quarter to publish it to."

    @property
    def is_revision(self) -> bool:
        return self.current_version is not None


def check_upload(
    store: SnapshotStore, data: bytes, dataset: str, file_name: str, today: dt.date | None = None
) -> UploadCheck:
    """Read the bytes safely, find the period, and validate against the previous quarter's current figures."""
    from cpb_dash.safe_read import read_untrusted

    label = contract.clean_label(file_name)
    frame, read_findings = read_untrusted(data, dataset, label)  # read once, in a child process
    period = _single_period(frame)
    previous = None
    current_version = None
    if period is not None:
        current_version = store.current_version(dataset, period)
        existing = store.read_current(dataset)
        previous = existing[existing["period_end"] == pd.Timestamp(periods.previous_quarter(period))]
        previous = previous if not previous.empty else None
    findings = contract.validate_read(frame, read_findings, dataset, label, previous=previous, today=today)
    return UploadCheck(dataset, label, findings, frame, period, current_version)


def _single_period(frame: pd.DataFrame | None) -> dt.date | None:
    if frame is None or "period_end" not in frame.columns:
        return None
    column = frame["period_end"]
    if isinstance(column, pd.DataFrame) or not pd.api.types.is_datetime64_any_dtype(column.dtype):
        return None  # text the reader could not convert (or a duplicated column): the findings say why
    days = column.dropna().unique()
    if len(days) != 1:
        return None
    day = pd.Timestamp(days[0]).date()
    return day if periods.is_quarter_end(day) else None


# ---------------------------------------------------------------------------------------------------------------
# Preview: what this file would change
# ---------------------------------------------------------------------------------------------------------------

CHANGE_COLUMNS = [
    "measure",
    "label",
    "previous_quarter",
    "current_version",
    "this_file",
    "change_vs_previous_quarter",
    "change_vs_current_version",
    "flag",
]


def _pct(new: float, old: float) -> str:
    if pd.isna(new) or pd.isna(old):
        return "-"
    if old == 0:
        return "new" if new else "no change"
    return f"{(new - old) / abs(old) * 100:+.1f}%"


def _totals(frame: pd.DataFrame) -> pd.Series:
    rows = frame[(frame["breakdown_topic"] == TOTAL) & (frame["breakdown"] == TOTAL)]
    return rows.groupby("measure")["value"].first()


def uploaded_counts(check: UploadCheck) -> pd.DataFrame:
    return normalise_frame(check.frame, check.dataset)


def measure_changes(current: pd.DataFrame, check: UploadCheck) -> pd.DataFrame:
    """Each Total in the file against the previous quarter and against the version it replaces (a revision)."""
    period = pd.Timestamp(check.period_end)
    mine = _totals(uploaded_counts(check))
    before = _totals(current[current["period_end"] == pd.Timestamp(periods.previous_quarter(check.period_end))])
    replaced = _totals(current[current["period_end"] == period])
    rows = []
    for measure, value in mine.items():
        prev, cur = before.get(measure, np.nan), replaced.get(measure, np.nan)
        flags = []
        if contract.is_large_change(value, prev):
            flags.append("large change")
        if check.is_revision and not pd.isna(cur) and value != cur:
            flags.append("revised")
        meta = catalogue.MEASURES.get(measure)
        rows.append(
            {
                "measure": measure,
                "label": meta.label if meta else measure,
                "previous_quarter": prev,
                "current_version": cur,
                "this_file": value,
                "change_vs_previous_quarter": _pct(value, prev),
                "change_vs_current_version": _pct(value, cur),
                "flag": "; ".join(flags),
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


HEADLINE_COLUMNS = ["indicator", "now_published", "with_this_file", "change_since_last_quarter", "verdict"]


def headline_preview(current_counts: dict[str, pd.DataFrame], check: UploadCheck) -> pd.DataFrame:
    """The headline indicators this file would produce: its counts merged with every other current period."""
    if check.dataset not in catalogue.COUNT_DATASETS:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    period = pd.Timestamp(check.period_end)
    merged = dict(current_counts)
    others = merged[check.dataset]
    merged[check.dataset] = pd.concat(
        [others[others["period_end"] != period], uploaded_counts(check)], ignore_index=True
    )
    before = indicators.derive_all(current_counts)
    after = indicators.derive_all(merged)
    rows = []
    for indicator_id in catalogue.HEADLINE_ORDER[check.dataset]:
        ind = catalogue.INDICATORS[indicator_id]
        new = indicators.headline(after, indicator_id, check.period_end)
        old = indicators.headline(before, indicator_id, check.period_end)
        change = new.quarter
        rows.append(
            {
                "indicator": ind.short_label,
                "now_published": format_value(old.value, ind.unit, ind.dps, old.symbol) if check.is_revision else "-",
                "with_this_file": format_value(new.value, ind.unit, ind.dps, new.symbol),
                "change_since_last_quarter": format_change(change.delta, ind.unit, ind.dps)
                if change.delta is not None
                else "-",
                "verdict": change.verdict,
            }
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def missing_cells(check: UploadCheck) -> pd.DataFrame:
    """Cells with no figure, by the symbol given instead (count datasets) or by column (action plan)."""
    frame = check.frame
    if check.dataset in catalogue.COUNT_DATASETS:
        values = pd.to_numeric(frame["value"], errors="coerce")
        symbols = frame.loc[values.isna(), "symbol"].fillna("(no symbol)").astype(str)
        counts = symbols.value_counts()
        return pd.DataFrame(
            {"what": [f"value missing, symbol {s}" for s in counts.index], "cells": counts.to_numpy(dtype="int64")}
        )
    empty = frame.isna().sum()
    empty = empty[empty > 0]
    return pd.DataFrame({"what": [f"'{c}' empty" for c in empty.index], "cells": empty.to_numpy(dtype="int64")})


def action_status_changes(current_plan: pd.DataFrame, check: UploadCheck) -> pd.DataFrame:
    """Action plan: actions by status, last quarter, in the version replaced, and in this file."""
    frame = normalise_frame(check.frame, check.dataset)
    prev = current_plan[current_plan["period_end"] == pd.Timestamp(periods.previous_quarter(check.period_end))]
    cur = current_plan[current_plan["period_end"] == pd.Timestamp(check.period_end)]
    return pd.DataFrame(
        [
            {
                "status": s,
                "previous_quarter": int((prev["status"] == s).sum()),
                "current_version": int((cur["status"] == s).sum()) if check.is_revision else None,
                "this_file": int((frame["status"] == s).sum()),
            }
            for s in catalogue.ACTION_STATUSES
        ]
    )


# ---------------------------------------------------------------------------------------------------------------
# History and rollback, in an officer's words
# ---------------------------------------------------------------------------------------------------------------

HISTORY_TABLE_COLUMNS = ["Status", "Quarter", "What", "Who", "When (UTC)", "Version", "File", "Rows"]


def _when(stamp: str) -> str:
    """'2026-11-28T05:49:48.012Z' -> '28 November 2026, 05:49'."""
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    return f"{periods.long_date(moment.date())}, {moment:%H:%M}"


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The store's history as an officer reads it: status, quarter, what, who and when first; a short version id
    (the first 12 characters of its SHA-256: the full hash is in the chosen version's details)."""
    rows = [
        {
            "Status": str(r.status).capitalize(),
            "Quarter": periods.short_quarter_label(dt.date.fromisoformat(str(r.period_end))),
            "What": str(r.action).capitalize(),
            "Who": r.published_by,
            "When (UTC)": _when(r.published_at),
            "Version": str(r.version)[:12],
            "File": r.file_name,
            "Rows": int(r.rows),
        }
        for r in history.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=HISTORY_TABLE_COLUMNS)


ROLLBACK_CHANGE_COLUMNS = ["Figure", "Members see now", "After the rollback"]


def rollback_changes(
    store: SnapshotStore, dataset: str, period_end: dt.date, current: str, restored: str
) -> pd.DataFrame:
    """What Members would see change if `restored` replaced `current` for a quarter: each Total that differs
    (counts), or the actions whose status differs (action plan)."""
    import pyarrow.parquet as pq

    def frame(version: str) -> pd.DataFrame:
        return normalise_frame(
            pq.read_table(io.BytesIO(store.version_bytes(dataset, period_end, version))).to_pandas(), dataset
        )

    now, then = frame(current), frame(restored)
    rows = []
    if dataset == catalogue.ACTION_PLAN:
        merged = now.merge(then, on="action_id", how="outer", suffixes=("_now", "_then"))
        for r in merged.itertuples(index=False):
            if r.status_now != r.status_then:
                rows.append(
                    {
                        "Figure": f"Action {r.action_id}",
                        "Members see now": r.status_now if isinstance(r.status_now, str) else "(not listed)",
                        "After the rollback": r.status_then if isinstance(r.status_then, str) else "(not listed)",
                    }
                )
        return pd.DataFrame(rows, columns=ROLLBACK_CHANGE_COLUMNS)
    before, after = _totals(now), _totals(then)
    for measure in sorted(set(before.index) | set(after.index)):
        old, new = before.get(measure, np.nan), after.get(measure, np.nan)
        if (pd.isna(old) and pd.isna(new)) or old == new:
            continue
        meta = catalogue.MEASURES.get(measure)
        unit = meta.unit if meta else ""
        rows.append(
            {
                "Figure": meta.label if meta else measure,
                "Members see now": format_value(old, unit, 1 if unit == "FTE" else 0),
                "After the rollback": format_value(new, unit, 1 if unit == "FTE" else 0),
            }
        )
    return pd.DataFrame(rows, columns=ROLLBACK_CHANGE_COLUMNS)

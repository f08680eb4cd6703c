"""An SSDA903 return -> a preview of every snapshot it derives, and their publication all or nothing.

Used by `python -m cpb_dash import-903` and the Upload page alike. The return is read and derived in memory
(intake.ssda903, intake.derive903); only the derived counts are validated like any upload and published through
the store, each version's source in the audit log being "SSDA903 extract, N children, file hash ...".
Measures the return cannot give (the ONS population, return home interviews, care leavers outside the OC3
year) are kept from the version of that quarter published now, so a derived snapshot never drops them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from cpb_dash import catalogue, contract, periods
from cpb_dash.findings import ERROR, PASS, WARNING, Finding
from cpb_dash.intake import derive903_measures
from cpb_dash.intake.derive903 import Derived, derive
from cpb_dash.intake.ssda903 import Return903, read_return
from cpb_dash.publishing import UploadCheck, measure_changes
from cpb_dash.store import PublishResult, SnapshotStore, content_hash, encode_snapshot, normalise_frame

DATASETS = ("care_population", "placement_stability", *derive903_measures.DATASETS)
NEW, REVISION, UNCHANGED = "new", "revision", "unchanged"


@dataclass
class PlannedVersion:
    """One derived (dataset, quarter) snapshot, checked and compared with what is published."""

    dataset: str
    period_end: dt.date
    frame: pd.DataFrame
    data: bytes  # the snapshot as parquet: what the store is given
    current_version: str | None
    status: str  # NEW, REVISION or UNCHANGED
    kept: list[str]  # measures kept from the published version
    findings: list[Finding]
    changes: pd.DataFrame  # publishing.measure_changes: each Total against last quarter and the version replaced


@dataclass
class Import903:
    ret: Return903
    derived: Derived | None
    plan: list[PlannedVersion] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return self.ret.errors + [f for p in self.plan for f in p.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return self.ret.warnings + [f for p in self.plan for f in p.findings if f.level == WARNING]

    @property
    def publishable(self) -> bool:
        return self.ret.ok and not self.errors and any(p.status != UNCHANGED for p in self.plan)

    @property
    def file_label(self) -> str:
        return self.ret.source_label


def check_903(store: SnapshotStore, files: Sequence[tuple[str, bytes]], today: dt.date | None = None) -> Import903:
    """Read, check and derive the return, and compare each derived snapshot with what is published now."""
    today = today or dt.date.today()
    ret = read_return(files, today=today)
    if not ret.ok:
        return Import903(ret, None)
    derived = derive(ret.tables, today=today)
    derive903_measures.add_measures(ret.tables, derived)
    result = Import903(ret, derived)
    label = ret.source_label
    for dataset in DATASETS:
        published = store.read_current(dataset)
        mine = {q: f for (d, q), f in derived.frames.items() if d == dataset}
        for q in sorted(mine):
            frame, kept = merge_published(mine[q], published, q)
            previous_q = periods.previous_quarter(q)
            if previous_q in mine:
                previous = merge_published(mine[previous_q], published, previous_q)[0]
            else:
                previous = published[published["period_end"] == pd.Timestamp(previous_q)]
            previous = normalise_frame(previous, dataset) if not previous.empty else None
            findings = [
                f
                for f in contract.validate_frame(
                    frame, dataset, f"{label}, {q.isoformat()}", previous=previous, today=today
                )
                if f.level != PASS
            ]
            data = encode_snapshot(frame, dataset)
            current = store.current_version(dataset, q)
            status = NEW if current is None else UNCHANGED if content_hash(data) == current else REVISION
            check = UploadCheck(dataset, label, findings, frame, q, current)
            changes = measure_changes(published, check)
            result.plan.append(PlannedVersion(dataset, q, frame, data, current, status, kept, findings, changes))
    return result


# Published figures counted over a measure the return also gives: return home interviews (not in the SSDA903) are
# counted over the missing episodes they followed, so where the published version has them, its missing episodes
# stay with them rather than the return's count.
COUNTED_OVER = {"missing_episodes": ("rhi_offered", "rhi_accepted")}


def merge_published(frame: pd.DataFrame, published: pd.DataFrame, q: dt.date) -> tuple[pd.DataFrame, list[str]]:
    """The derived counts for quarter `q`, with every measure they do not give taken from the version of that
    quarter published now; and the measures so kept."""
    at_q = published[published["period_end"] == pd.Timestamp(q)]
    there = set(at_q["measure"])
    set_aside = {m for m, over in COUNTED_OVER.items() if there & set(over)}
    frame = frame[~frame["measure"].isin(set_aside)]
    kept_rows = at_q[~at_q["measure"].isin(set(frame["measure"]))]
    if kept_rows.empty:
        return frame.reset_index(drop=True), []
    merged = pd.concat([frame, kept_rows.assign(period_end=q)[list(frame.columns)]], ignore_index=True)
    return merged, sorted(kept_rows["measure"].unique())


SUMMARY_COLUMNS = ["dataset", "quarter", "status", "measures_changed", "flags", "kept_from_published", "warnings"]


def summary(result: Import903) -> pd.DataFrame:
    """One row per derived snapshot: what publishing it would do."""
    rows = []
    for p in result.plan:
        flagged = p.changes[p.changes["flag"] != ""]
        differs = p.changes["current_version"].isna() | (p.changes["this_file"] != p.changes["current_version"])
        rows.append(
            {
                "dataset": catalogue.DATASET_LABELS[p.dataset],
                "quarter": periods.quarter_label(p.period_end),
                "status": p.status,
                "measures_changed": 0 if p.status == UNCHANGED else int(differs.sum()),
                "flags": "; ".join(f"{r.label}: {r.flag}" for r in flagged.itertuples(index=False))[:300],
                "kept_from_published": ", ".join(p.kept),
                "warnings": sum(f.level == WARNING for f in p.findings),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def render_report(result: Import903) -> str:
    """The text report for the command line: the return's checks, then every derived snapshot."""
    ret = result.ret
    lines = ["SSDA903 return: " + (f"{ret.children:,} children" if ret.file_for else "not read"), ""]
    for level, heading in ((ERROR, "Errors (must be fixed)"), (WARNING, "Warnings"), (PASS, "Passed")):
        chosen = [f for f in ret.findings if f.level == level]
        if chosen:
            lines.append(f"{heading}:")
            lines += [_line(f) for f in chosen]
            lines.append("")
    if result.derived is None:
        lines.append("Nothing was derived: correct the errors above and try again.")
        return "\n".join(lines)
    start, end = result.derived.coverage or (None, None)
    if start:
        lines.append(f"The extract is read as covering {start:%d %B %Y} to {end:%d %B %Y}.")
    lines += [f"Note: {n}" for n in result.derived.notes]
    lines.append("")
    table = summary(result)
    lines.append(f"Derived snapshots ({len(table)}):")
    lines.append(table.drop(columns=["flags"]).to_string(index=False) if not table.empty else "  none")
    flagged = table[table["flags"] != ""]
    if not flagged.empty:
        lines.append("")
        lines.append("Flagged changes:")
        lines += [f"  {r.dataset}, {r.quarter}: {r.flags}" for r in flagged.itertuples(index=False)]
    plan_findings = [f for p in result.plan for f in p.findings]
    if plan_findings:
        lines.append("")
        lines.append("Checks of the derived snapshots:")
        lines += [_line(f) for f in plan_findings[:40]]
        if len(plan_findings) > 40:
            lines.append(f"  ... and {len(plan_findings) - 40} more")
    return "\n".join(lines)


def _line(f: Finding) -> str:
    where = ", ".join(
        p
        for p in (
            f.file,
            f"column {f.column}" if f.column else "",
            (f"row {f.row}" if isinstance(f.row, int) else str(f.row)) if f.row else "",
        )
        if p
    )
    return f"  {f.level.upper():7} [{f.rule}] {where}: {' '.join(f.message.split())}"


def publish_903(store: SnapshotStore, result: Import903, by: str) -> list[PublishResult]:
    """Publish every changed derived snapshot at once (all or nothing), checked against the preview."""
    todo = [p for p in result.plan if p.status != UNCHANGED]
    items = [(p.data, p.dataset, p.period_end, result.file_label) for p in todo]
    expected = {(p.dataset, p.period_end): p.current_version for p in todo}
    return store.publish_many(items, by=by, expected=expected)

"""The Upload page's SSDA903 path: upload the return (the DfE's XML, its CSV files, or one zip), read the report,
see every quarter it derives against what is published, publish them all at once.

The uploaded bytes are read per run and never cached; the return's rows stay in memory for this run only. What is
shown comes from the checks and the derived counts: messages name tables, columns and rows, never a child's value.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from cpb_dash.findings import findings_frame
from cpb_dash.intake.import903 import Import903, check_903, publish_903, summary
from cpb_dash.store import SnapshotStore, StoreError

NOTICE_KEY = "cpb_upload_notice"  # shared with ui.upload: shown once after the rerun
NONCE_KEY = "cpb_upload_nonce"
PREVIEW_KEY = "cpb_upload_903_preview"
MESSAGES_SHOWN = 20


def ssda903_section(store: SnapshotStore, officer: str) -> None:
    st.caption(
        "The children looked after return as your case management system exports it for the DfE: the XML"
        " file, or one CSV file per table (Header, Episodes, UASC, Missing, OC3, ...), or one zip of them. The"
        " dashboard derives the care population, placement stability, health and wellbeing, leaving care and"
        " permanence, and children's voice for every quarter end the return covers, by the DfE's rules. Children's"
        " records are read in memory only: nothing but the counts is kept."
    )
    nonce = st.session_state.get(NONCE_KEY, 0)
    uploaded = st.file_uploader(
        "SSDA903 return (the XML, the CSV files, or one zip)",
        type=["xml", "csv", "zip"],
        accept_multiple_files=True,
        key=f"upload-903-{nonce}",
    )
    if not uploaded:
        return
    files = [(f.name, f.getvalue()) for f in uploaded]  # read per run; the bytes are never cached
    result = _preview_for(store, files)
    _report(result)
    if result.derived is None or not result.plan:
        return
    _preview(result)
    if result.publishable:
        _publish(store, result, officer, nonce)
    elif not result.errors:
        st.info("Every derived snapshot is already published: there is nothing to change.")


def _preview_for(store: SnapshotStore, files: list[tuple[str, bytes]]) -> Import903:
    """The checked and derived return. Kept for the session without its child-level rows (counts and messages
    only), so ticking a box or pressing Publish does not read and derive it all again; a new file or a new
    publish by anyone makes a new one."""
    key = (tuple((name, hashlib.sha256(data).hexdigest()) for name, data in files), store.state_token())
    kept = st.session_state.get(PREVIEW_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    result = check_903(store, files)
    result.ret.drop_rows()
    st.session_state[PREVIEW_KEY] = (key, result)
    return result


def _report(result: Import903) -> None:
    st.subheader("2. Validation report")
    ret = result.ret
    errors, warnings = ret.errors, ret.warnings
    if errors:
        st.error(
            f"{len(errors)} error(s): the return cannot be used until they are corrected. Nothing has been changed.",
            icon=":material/error:",
        )
        _lines(errors)
    if warnings:
        st.warning(f"{len(warnings)} warning(s) about the return:", icon=":material/warning:")
        _lines(warnings)
    passes = [f for f in ret.findings if f.level == "pass"]
    if passes:
        with st.expander(f"What was checked and passed ({len(passes)})"):
            st.dataframe(findings_frame(passes)[["file", "message"]], hide_index=True, width="stretch")


def _lines(findings: list) -> None:
    for f in findings[:MESSAGES_SHOWN]:
        where = ", ".join(
            p
            for p in (
                f.file,
                f"column {f.column}" if f.column else "",
                (f"row {f.row}" if isinstance(f.row, int) else str(f.row)) if f.row else "",
            )
            if p
        )
        st.text(f"• {where}: {f.message}")
    if len(findings) > MESSAGES_SHOWN:
        st.text(f"… and {len(findings) - MESSAGES_SHOWN} more.")


def _preview(result: Import903) -> None:
    st.subheader("3. Preview: every quarter this return gives")
    if result.derived.coverage:
        start, end = result.derived.coverage
        st.text(
            f"{result.ret.children:,} children. The extract is read as covering {start:%d %B %Y} to {end:%d %B %Y}."
        )
    for note in result.derived.notes:
        st.caption(note)
    table = summary(result)
    st.dataframe(
        table.rename(
            columns={
                "dataset": "Dataset",
                "quarter": "Quarter",
                "status": "What publishing does",
                "measures_changed": "Totals changed",
                "flags": "Flagged",
                "kept_from_published": "Kept from published",
                "warnings": "Warnings",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    plan_warnings = [f for p in result.plan for f in p.findings]
    if plan_warnings:
        with st.expander(f"Checks of the derived snapshots ({len(plan_warnings)})"):
            st.dataframe(findings_frame(plan_warnings)[["level", "file", "message"]], hide_index=True, width="stretch")


def _publish(store: SnapshotStore, result: Import903, officer: str, nonce: int) -> None:
    st.subheader("4. Publish")
    todo = sum(p.status != "unchanged" for p in result.plan)
    confirmed = True
    if result.warnings:
        confirmed = st.checkbox(
            f"I have checked the {len(result.warnings)} warning(s) and the figures are right",
            key=f"upload-903-confirm-{nonce}",
        )
    st.caption(
        f"Publishing makes these {todo} quarter snapshots current at once (all or none), each recorded with"
        f" your e-mail, the time and its source: {result.file_label}."
    )
    if not st.button(
        f"Publish all {todo}",
        type="primary",
        disabled=not confirmed,
        key=f"upload-903-go-{nonce}",
        icon=":material/publish:",
    ):
        return
    try:
        published = [r for r in publish_903(store, result, by=officer) if r.changed]
    except StoreError as err:
        st.error(str(err), icon=":material/error:")
        return
    st.session_state[NOTICE_KEY] = (
        f"Published {len(published)} quarter snapshots from the SSDA903 return. Members see them now."
    )
    st.session_state[NONCE_KEY] = nonce + 1
    st.session_state.pop(PREVIEW_KEY, None)
    st.rerun()

"""The Upload page's census section: the DfE workforce census worker table -> the workforce snapshot, previewed,
then published through the ordinary path. Shown when the Workforce stability dataset is chosen.

The worker table's bytes are read per run and never cached; only the derived counts reach the store. Messages
name rows by number, never a worker's id, and are shown as plain text.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cpb_dash import periods
from cpb_dash.findings import ERROR, WARNING
from cpb_dash.formatting import format_number
from cpb_dash.intake.census import DATASET, derive_workforce, looks_like_xml, snapshot_bytes
from cpb_dash.publishing import check_upload, measure_changes
from cpb_dash.store import StoreError, open_store
from cpb_dash.ui.upload import NONCE_KEY, NOTICE_KEY, PICKER_TYPES

QUARTERS_OFFERED = 8


def _bullets(findings: list) -> None:
    for finding in findings[:20]:
        where = ", ".join(
            p
            for p in (
                f"column {finding.column}" if finding.column else "",
                f"row {finding.row}" if isinstance(finding.row, int) else str(finding.row or ""),
            )
            if p
        )
        st.text(f"• {where + ': ' if where else ''}{finding.message}")
    if len(findings) > 20:
        st.text(f"… and {len(findings) - 20} more.")


def census_section(officer: str) -> None:
    if st.session_state.get("upload-dataset") != DATASET:
        return
    st.divider()
    st.subheader("Or: derive the snapshot from the workforce census worker table")
    st.caption(
        "The DfE children's social work workforce census worker table (one row per worker, with the census"
        " item names as headings: SWENo, AgencyWorker, FTE, OrgRole, RoleStartDate, RoleEndDate, ReasonLeave,"
        " Ethnicity, Cases30, WorkingDaysLost; optionally ServiceArea), as .xlsx or CSV, or the census XML"
        " itself (its NumberOfVacancies is used when the box is empty). It is read in memory"
        " only: nothing of it is kept, only the counts derived from it."
    )
    nonce = st.session_state.get(NONCE_KEY, 0)
    latest = periods.latest_complete_quarter_end(dt.date.today())
    options = [periods.shift_quarters(latest, -i) for i in range(QUARTERS_OFFERED)]
    left, right = st.columns(2)
    with left:
        period = st.selectbox("Quarter end", options, format_func=periods.quarter_label, key="census-period")
    with right:
        vacancies = st.number_input(
            "Vacant social worker posts on that date (FTE)",
            min_value=0.0,
            max_value=9999.0,
            value=None,
            step=0.5,
            key="census-vacancies",
        )
    uploaded = st.file_uploader(
        "Census worker table (.xlsx, CSV or the census XML)", type=[*PICKER_TYPES, "xml"], key=f"census-file-{nonce}"
    )
    if uploaded is None:
        return
    data = uploaded.getvalue()  # read per run, never cached
    if vacancies is None and not looks_like_xml(data):  # the census XML carries its own count
        st.info(
            "Give the number of vacant posts (FTE) on the quarter end: the census counts them for the council"
            " as a whole.",
            icon=":material/edit:",
        )
        return
    result = derive_workforce(data, uploaded.name, period, None if vacancies is None else float(vacancies))
    errors = [f for f in result.findings if f.level == ERROR]
    if result.frame is None:
        st.error(
            f"{len(errors)} error(s): no snapshot can be derived from this file. Nothing has been changed.",
            icon=":material/error:",
        )
        _bullets(errors)
        return
    store = open_store()
    snapshot = snapshot_bytes(result.frame)
    check = check_upload(store, snapshot, DATASET, result.audit_label)
    for note in result.notes:
        st.caption(note)
    if check.errors:
        st.error(
            f"{len(check.errors)} error(s) in the derived snapshot: it cannot be published. Nothing has been changed.",
            icon=":material/error:",
        )
        _bullets(check.errors)
        return
    st.markdown(
        f"**Derived figures for {periods.quarter_label(period)}** (Totals; the breakdowns by service area,"
        " role and ethnicity are published with them)"
    )
    changes = measure_changes(store.read_current(DATASET), check)
    shown = changes[["label", "this_file", "previous_quarter", "current_version", "flag"]].copy()
    for column in ("this_file", "previous_quarter", "current_version"):
        shown[column] = [format_number(v, 1 if v % 1 else 0) if pd.notna(v) else "-" for v in shown[column]]
    st.dataframe(
        shown.rename(
            columns={
                "label": "Measure",
                "this_file": "Derived",
                "previous_quarter": "Last quarter",
                "current_version": "Published now",
                "flag": "Flag",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    warnings = [f for f in check.findings if f.level == WARNING]
    confirmed = True
    if warnings:
        st.warning(f"{len(warnings)} warning(s): check each one before publishing.", icon=":material/warning:")
        _bullets(warnings)
        confirmed = st.checkbox(
            f"I have checked the {len(warnings)} warning(s) and the figures are right", key=f"census-confirm-{nonce}"
        )
    if check.is_revision:
        st.info(
            f"This is a revision: {periods.quarter_label(period)} already has a published version"
            f" ({check.current_version[:12]}), which stays in the history.",
            icon=":material/history:",
        )
    if not st.button(
        "Publish the derived snapshot",
        type="primary",
        disabled=not confirmed,
        key=f"census-publish-{nonce}",
        icon=":material/publish:",
    ):
        return
    try:
        published = store.publish(
            snapshot, DATASET, period, result.audit_label, by=officer, expected_current=check.current_version
        )
    except StoreError as err:
        st.error(str(err), icon=":material/error:")
        return
    st.session_state[NOTICE_KEY] = published.message + (" Members see it now." if published.changed else "")
    st.session_state[NONCE_KEY] = nonce + 1
    st.rerun()

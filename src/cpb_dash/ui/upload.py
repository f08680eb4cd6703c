"""The Upload page's pieces: choose, upload, read the report, preview, publish; history, download, roll back.

Uploaded bytes are never cached and the file name is only a label. Anything that came from the file (messages
quote its values) is shown with st.dataframe or st.text, never as markdown or HTML.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cpb_dash import board_notes, catalogue, periods, templates
from cpb_dash.findings import findings_frame
from cpb_dash.formatting import format_number
from cpb_dash.publishing import (
    UploadCheck,
    action_status_changes,
    check_upload,
    headline_preview,
    history_table,
    measure_changes,
    missing_cells,
    rollback_changes,
)
from cpb_dash.store import CURRENT, SnapshotStore, StoreConflict, StoreError, content_hash, open_store
from cpb_dash.ui.data import load_bundle

NOTICE_KEY = "cpb_upload_notice"  # the last publish or rollback, shown once after the rerun
NONCE_KEY = "cpb_upload_nonce"  # bumped after a publish so the file input starts empty again
CHECK_KEY = "cpb_upload_check"  # (key, UploadCheck) of the file last checked in this session


def _notice() -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
        st.page_link("app.py", label="See the overview with the new figures", icon=":material/dashboard:")


def upload_section(officer: str) -> None:
    store = open_store()
    _notice()
    st.subheader("1. Choose the dataset and the file")
    kind = st.radio(
        "What are you uploading?",
        ("A quarter's snapshot", "SSDA903 return"),
        horizontal=True,
        key="upload-kind",
        help="The SSDA903 children looked after return gives every quarter of the care"
        " population and placement stability at once.",
    )
    if kind == "SSDA903 return":
        from cpb_dash.ui.upload_903 import ssda903_section

        ssda903_section(store, officer)
        return
    dataset = st.selectbox(
        "Dataset",
        catalogue.UPLOADABLE_DATASETS,
        key="upload-dataset",
        format_func=catalogue.DATASET_LABELS.get,
        help="Each team uploads its own dataset, one quarter at a time.",
    )
    st.caption(f"Owned by the {catalogue.DATASET_OWNERS[dataset]}.")
    _guidance(dataset)
    nonce = st.session_state.get(NONCE_KEY, 0)
    uploaded = st.file_uploader(
        "Snapshot file (Excel .xlsx, CSV or parquet)",
        type=PICKER_TYPES,
        key=f"upload-file-{nonce}",
        help="One quarter of one dataset. Nothing is published until you press Publish.",
    )
    if uploaded is None:
        return
    data = uploaded.getvalue()  # read per run; never cached
    check = _checked_once(store, data, dataset, uploaded.name)
    _report(check)
    if not check.publishable:
        if not check.errors:
            st.error(f"This file cannot be published: {check.why_not_publishable}", icon=":material/error:")
        return
    _preview(check)
    _publish(store, check, data, officer, nonce)


def _checked_once(store: SnapshotStore, data: bytes, dataset: str, file_name: str) -> UploadCheck:
    """The file's check, done once per file: every widget click reruns the page, and a file near the caps takes
    a second or more to read and validate. Kept in this session's state (one entry, replaced by the next file),
    keyed by the file's SHA-256 and everything else the check depends on: the dataset, its name (a label in the
    messages), the store's state (the previous quarter, the version it would replace) and the date (the
    future-period rule). The bytes themselves are not kept, and nothing goes into st.cache_*, which any
    visitor could empty and which would share one officer's file with the server."""
    key = (content_hash(data), dataset, file_name, store.state_token(), dt.date.today().isoformat())
    kept = st.session_state.get(CHECK_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    check = check_upload(store, data, dataset, file_name)
    st.session_state[CHECK_KEY] = (key, check)
    return check


# What the file picker lets through: our own checks then speak for every one of them (an .xls or .xlsm gets a
# message on the page saying what to do, not the picker's bare red mark).
PICKER_TYPES = ["xlsx", "csv", "parquet", "xls", "xlsm", "xlsb", "txt"]


@st.cache_data(show_spinner=False, max_entries=16)
def _template(dataset: str, suffix: str, today: dt.date) -> bytes:
    """A template's bytes, made once a day per dataset (its example quarter moves with the date)."""
    return templates.template_xlsx(dataset, today) if suffix == "xlsx" else templates.template_csv(dataset, today)


def _guidance(dataset: str) -> None:
    """How to fill in the file, and the templates to start from: all generated from the contract and catalogue."""
    with st.expander("How to fill in the file, and templates to download", icon=":material/description:"):
        for line in templates.guidance_lines(dataset):
            st.markdown(f"- {line}")
        left, right = st.columns(2)
        with left:
            st.download_button(
                "Template (Excel .xlsx)",
                _template(dataset, "xlsx", dt.date.today()),
                file_name=templates.template_file_name(dataset, "xlsx"),
                icon=":material/download:",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                on_click="ignore",
                key=f"template-xlsx-{dataset}",
            )
        with right:
            st.download_button(
                "Template (CSV)",
                _template(dataset, "csv", dt.date.today()),
                file_name=templates.template_file_name(dataset, "csv"),
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
                key=f"template-csv-{dataset}",
            )
        st.markdown("**Columns**")
        st.dataframe(templates.column_guide(dataset), hide_index=True, width="stretch")
        if dataset in catalogue.COUNT_DATASETS:
            st.markdown("**Measures**")
            st.dataframe(templates.measure_guide(dataset), hide_index=True, width="stretch")
        st.markdown("**Allowed values**")
        st.dataframe(templates.allowed_values(dataset), hide_index=True, width="stretch")


def _report(check: UploadCheck) -> None:
    st.subheader("2. Validation report")
    st.text(f"File: {check.file_name}")
    errors, warnings = check.errors, check.warnings
    passes = [f for f in check.findings if f.level == "pass"]
    if errors:
        st.error(
            f"{len(errors)} error(s): this file cannot be published until they are corrected. Nothing has"
            " been changed.",
            icon=":material/error:",
        )
        _findings(errors)
    if warnings:
        st.warning(
            f"{len(warnings)} warning(s): check each one. You can publish once you confirm the figures are right.",
            icon=":material/warning:",
        )
        _findings(warnings)
    if not errors and not warnings:
        st.success("Every check passed.", icon=":material/task_alt:")
    if passes:
        with st.expander(f"What was checked and passed ({len(passes)})"):
            st.dataframe(findings_frame(passes)[["column", "rule", "message"]], hide_index=True, width="stretch")


MESSAGES_SHOWN = 20


def _findings(findings: list) -> None:
    """Each message in full, as plain text (messages quote the file's own values), then the same as a table."""
    for finding in findings[:MESSAGES_SHOWN]:
        where = ", ".join(
            p for p in (f"column {finding.column}" if finding.column else "", _row_words(finding.row)) if p
        )
        st.text(f"• {where + ': ' if where else ''}{finding.message}")
    if len(findings) > MESSAGES_SHOWN:
        st.text(f"… and {len(findings) - MESSAGES_SHOWN} more: see the table.")
    with st.expander("As a table (file, column, row, rule, message)"):
        st.dataframe(findings_frame(findings), hide_index=True, width="stretch")


def _row_words(row: int | str | None) -> str:
    """'row 4', or the finding's own 'rows 3, 7, 9' as it is (never 'row rows 3, 7, 9')."""
    if row is None or row == "":
        return ""
    return f"row {row}" if isinstance(row, int) or str(row).isdigit() else str(row)


def _preview(check: UploadCheck) -> None:
    bundle = load_bundle()
    period = check.period_end
    st.subheader("3. Preview: what this file would change")
    st.markdown(f"Quarter: **{periods.quarter_label(period)}**, {periods.stock_label(period)}.")
    if check.is_revision:
        st.info(
            f"This is a revision: {periods.quarter_label(period)} already has a published version"
            f" ({check.current_version[:12]}). Publishing replaces it; the old version stays in the history and"
            " can be restored.",
            icon=":material/history:",
        )
    else:
        st.info(f"This is the first version for {periods.quarter_label(period)}.", icon=":material/fiber_new:")
    if check.dataset in catalogue.COUNT_DATASETS:
        st.markdown("**Headline figures**")
        st.dataframe(_headline_table(headline_preview(bundle.counts, check)), hide_index=True, width="stretch")
        changes = measure_changes(bundle.counts[check.dataset], check)
        flagged = changes[changes["flag"] != ""]
        st.markdown("**Totals against last quarter and the current version**")
        if flagged.empty:
            st.caption("No total changed by more than the threshold since last quarter.")
        else:
            st.warning(
                f"{len(flagged)} total(s) flagged: a large change since last quarter, or a revised figure.",
                icon=":material/flag:",
            )
        st.dataframe(
            _changes_table(changes, check.is_revision),
            hide_index=True,
            width="stretch",
            column_config={
                "Measure": st.column_config.TextColumn(width="medium"),
                "Flag": st.column_config.TextColumn(width="medium"),
            },
        )
    elif check.dataset in (catalogue.TARGETS, catalogue.COMMENTARY):
        # Targets and commentary: the rows themselves are the preview (shown in a table, never as markdown).
        st.markdown("**What the board will read**")
        st.dataframe(check.frame, hide_index=True, width="stretch")
        dropped = board_notes.rows_dropped(
            open_store().read_current(check.dataset), check.frame, check.dataset, check.period_end
        )
        if dropped:
            # A quarter has one current file: publishing replaces every row of the version it revises.
            st.warning(
                f"This file replaces the current version for {periods.short_quarter_label(check.period_end)},"
                f" which also has rows for {', '.join(dropped)}. They will no longer show. To keep them,"
                " download the current version from the history below, add your rows to it and upload that.",
                icon=":material/warning:",
            )
    else:
        st.markdown("**Actions by status**")
        st.dataframe(action_status_changes(bundle.action_plan, check), hide_index=True, width="stretch")
    missing = missing_cells(check)
    st.markdown("**Cells with no figure**")
    if missing.empty:
        st.caption("None: every cell has a figure.")
    else:
        st.dataframe(missing, hide_index=True, width="stretch")


def _headline_table(table: pd.DataFrame) -> pd.DataFrame:
    table = table.assign(verdict=table["verdict"].replace({"not judged": "neither (context)"}))
    return table.rename(
        columns={
            "indicator": "Indicator",
            "now_published": "Published now",
            "with_this_file": "With this file",
            "change_since_last_quarter": "Change since last quarter",
            "verdict": "Judged",
        }
    )


def _changes_table(changes: pd.DataFrame, is_revision: bool) -> pd.DataFrame:
    """Flagged rows first, and the flag beside the measure so a narrow screen still shows it."""
    shown = changes.sort_values("flag", ascending=False, key=lambda f: f != "", kind="stable")
    for column in ("previous_quarter", "current_version", "this_file"):
        shown[column] = [format_number(v, 1 if v % 1 else 0) if pd.notna(v) else "-" for v in shown[column]]
    order = ["label", "flag", "this_file", "previous_quarter", "change_vs_previous_quarter"]
    if is_revision:
        order += ["current_version", "change_vs_current_version"]
    return shown[order].rename(
        columns={
            "label": "Measure",
            "previous_quarter": "Last quarter",
            "current_version": "Published now",
            "this_file": "This file",
            "change_vs_previous_quarter": "Change since last quarter",
            "change_vs_current_version": "Change against published",
            "flag": "Flag",
        }
    )


def _publish(store: SnapshotStore, check: UploadCheck, data: bytes, officer: str, nonce: int) -> None:
    st.subheader("4. Publish")
    confirmed = True
    if check.warnings:
        confirmed = st.checkbox(
            f"I have checked the {len(check.warnings)} warning(s) and the figures are right",
            key=f"upload-confirm-{nonce}",
        )
    st.caption(
        "Publishing makes this file the current version for Members at once. It is recorded with your"
        " e-mail, the time and the file's SHA-256, and can be rolled back."
    )
    if not st.button(
        "Publish", type="primary", disabled=not confirmed, key=f"upload-publish-{nonce}", icon=":material/publish:"
    ):
        return
    try:
        result = store.publish(
            data,
            check.dataset,
            check.period_end,
            check.file_name,
            by=officer,
            expected_current=check.current_version,
            checked=(check.frame, check.findings),
        )
    except StoreConflict as err:
        st.error(str(err), icon=":material/sync_problem:")
        return
    except StoreError as err:
        st.error(str(err), icon=":material/error:")
        return
    st.session_state[NOTICE_KEY] = result.message + (" Members see it now." if result.changed else "")
    st.session_state[NONCE_KEY] = nonce + 1
    st.rerun()


# ---------------------------------------------------------------------------------------------------------------
# History and rollback
# ---------------------------------------------------------------------------------------------------------------


def history_section(officer: str) -> None:
    store = open_store()
    dataset = st.session_state.get("upload-dataset", catalogue.UPLOADABLE_DATASETS[0])
    st.subheader(f"History: {catalogue.DATASET_LABELS[dataset]}")
    stray = [p for p in store.stray_paths() if p.parent.name == dataset]
    if stray:
        st.warning(
            "Some folders in the data directory are not period folders the dashboard wrote: they are"
            " ignored. Move them out of the data directory.",
            icon=":material/folder_off:",
        )
        st.text("\n".join(f"{p.parent.name}/{p.name}" for p in stray))  # as text: a folder name is not markdown
    history = store.history(dataset)
    if history.empty:
        st.caption("No versions yet.")
        return
    st.dataframe(
        history_table(history),
        hide_index=True,
        width="stretch",
        column_config={
            "Version": st.column_config.TextColumn(
                help="The first 12 characters of the file's SHA-256; the full hash is under 'Details'."
            )
        },
    )
    labels = [
        f"{periods.short_quarter_label(dt.date.fromisoformat(r.period_end))} · {r.status} · {r.action} by"
        f" {r.published_by} · {r.version[:12]}"
        for r in history.itertuples(index=False)
    ]
    chosen = st.selectbox("A version", range(len(history)), format_func=labels.__getitem__, key="history-version")
    row = history.iloc[chosen]
    period = dt.date.fromisoformat(row["period_end"])
    with st.expander("Details of this version"):
        st.text(
            f"SHA-256: {row['version']}\nFile: {row['file_name']}\nPublished by: {row['published_by']}"
            f"\nAt: {row['published_at']}"
        )
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download this version",
            store.version_bytes(dataset, period, row["version"]),
            file_name=f"{dataset}_{row['period_end']}_{row['version'][:12]}.parquet",
            mime="application/octet-stream",
            icon=":material/download:",
            on_click="ignore",
            key="history-download",
        )
    with right:
        current = store.current_version(dataset, period)
        if row["version"] == current:
            st.caption("This version is current for its quarter.")
        elif row["status"] != CURRENT:
            asked = (dataset, row["period_end"], row["version"], current)
            if st.button("Roll back to this version…", key="history-rollback", icon=":material/undo:"):
                st.session_state[ROLLBACK_KEY] = asked
    if (
        st.session_state.get(ROLLBACK_KEY) == (dataset, row["period_end"], row["version"], current)
        and row["version"] != current
    ):
        _confirm_rollback(store, dataset, period, row, current, officer)


ROLLBACK_KEY = "cpb_rollback_asked"  # the rollback an officer asked for, waiting for their confirmation


def _confirm_rollback(
    store: SnapshotStore, dataset: str, period: dt.date, row: pd.Series, current: str | None, officer: str
) -> None:
    """Say what a rollback will change, and for whom, before it happens."""
    with st.container(border=True):
        st.markdown(
            f"**Roll back {catalogue.DATASET_LABELS[dataset].lower()} for {periods.short_quarter_label(period)}?**"
        )
        st.write(
            f"Version {row['version'][:12]} (published by {row['published_by']}) becomes current again,"
            f" in place of version {(current or '')[:12]}. Every Member and visitor sees the change at once,"
            " on every page and in the next board pack. The rollback is recorded in the history with your"
            " e-mail, and can itself be undone."
        )
        changes = rollback_changes(store, dataset, period, current, row["version"]) if current else None
        if changes is not None and not changes.empty:
            st.dataframe(changes, hide_index=True, width="stretch")
        else:
            st.caption("No headline figure changes: the two versions differ only in their breakdowns or text.")
        yes, no = st.columns(2)
        if yes.button("Yes, roll back", key="history-rollback-confirm", type="primary"):
            st.session_state.pop(ROLLBACK_KEY, None)
            try:
                result = store.rollback(dataset, period, row["version"], by=officer, expected_current=current)
            except StoreError as err:
                st.error(str(err))
                return
            st.session_state[NOTICE_KEY] = result.message + " Members see it now."
            st.rerun()
        if no.button("Cancel", key="history-rollback-cancel"):
            st.session_state.pop(ROLLBACK_KEY, None)
            st.rerun()

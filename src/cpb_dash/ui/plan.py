"""Action plan page pieces: filters kept in the URL, progress per priority, the action list, what moved, the
anti-racist commitments.

Uploaded text (actions, leads, updates) is shown only in tables (plain HTML tables escape every cell:
ui/static_table.py) or with st.text: never as Markdown or raw HTML, so markup typed into an update appears as the
characters typed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cpb_dash import catalogue, charts, indicators, periods, views
from cpb_dash.formatting import format_value
from cpb_dash.ui.components import chart_with_table, csv_download
from cpb_dash.ui.layout import PageContext
from cpb_dash.ui.static_table import static_table

STATUS_BADGE = {"Complete": "green", "On track": "blue", "Not started": "gray", "At risk": "orange", "Off track": "red"}
COLUMN_CONFIG = {
    "Action": st.column_config.TextColumn(width="small"),
    "Priority": st.column_config.NumberColumn(width="small"),
    "Status": st.column_config.TextColumn(width="small"),
    "Progress (%)": st.column_config.ProgressColumn(
        "Progress", min_value=0, max_value=100, format="%d%%", width="small"
    ),
    "Due": st.column_config.TextColumn(width="small"),
    "Overdue": st.column_config.TextColumn(width="small"),
    "Anti-racist": st.column_config.TextColumn(width="small"),
    "What will be done": st.column_config.TextColumn(width="large"),
    "Latest update": st.column_config.TextColumn(width="large"),
}


def _all_leads(ctx: PageContext) -> list[str]:
    # Every lead in the whole plan (not one quarter's), so a shared link's lead stays valid on any quarter.
    return sorted(ctx.bundle.action_plan["lead"].dropna().unique().tolist())


def _seed_from_url(leads: list[str]) -> None:
    """Seed the filter widgets once per session from the URL, as the sidebar does (a shared link or deep link)."""
    wanted = views.plan_filters_from_query({k: st.query_params.get_all(k) for k in views.PLAN_QUERY_KEYS}, leads)
    seeds = {
        "priority": list(wanted.priorities),
        "status": list(wanted.statuses),
        "lead": list(wanted.leads),
        "anti_racist": wanted.anti_racist_only,
        "overdue": wanted.overdue_only,
    }
    for key, value in seeds.items():
        current = st.session_state.get(key)
        if key == "lead" and current is not None and not set(current) <= set(leads):
            current = None  # a lead no longer in the plan
        if current is None:
            st.session_state[key] = value


def filters(ctx: PageContext) -> views.PlanFilters:
    """The filter bar. Its choices are written to the URL so that the address bar's link reproduces the view."""
    leads = _all_leads(ctx)
    _seed_from_url(leads)
    active = any(st.session_state.get(key) for key in ("priority", "status", "lead", "anti_racist", "overdue"))
    # Folded until a filter is in use: on a phone the five controls would otherwise fill the first screen,
    # before a single finding.
    with st.expander("Filter the actions: priority, status, lead", expanded=active, icon=":material/filter_list:"):
        first, second, third = st.columns([1.3, 1, 1.2])
        priorities = first.multiselect(
            "Priority",
            list(catalogue.PRIORITIES),
            key="priority",
            persist_state="session",
            format_func=views.priority_label,
            placeholder="All priorities",
        )
        statuses = second.multiselect(
            "Status",
            list(catalogue.ACTION_STATUSES),
            key="status",
            persist_state="session",
            placeholder="All statuses",
        )
        chosen_leads = third.multiselect("Lead", leads, key="lead", persist_state="session", placeholder="All leads")
        left, right, note = st.columns([1.6, 1, 1.8])
        anti_racist = left.toggle("Anti-racist commitments only", key="anti_racist", persist_state="session")
        overdue = right.toggle("Overdue only", key="overdue", persist_state="session")
        note.caption("The address bar keeps these filters and the quarter: copy the link to share this view.")
    chosen = views.PlanFilters(tuple(sorted(priorities)), tuple(statuses), tuple(chosen_leads), anti_racist, overdue)
    for key, values in views.plan_filters_to_query(chosen).items():
        if values:
            st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]
    return chosen


def summary(actions: pd.DataFrame, total: int) -> None:
    """Four figures for the actions shown (after filtering)."""
    complete = int((actions["status"] == "Complete").sum())
    shown = len(actions)
    share = format_value(indicators.percent(complete, shown), "%", 0) if shown else "x"
    figures = [
        ("Actions shown", f"{shown} of {total}", "Actions in this quarter's update that match the filters."),
        ("Complete", f"{complete} ({share})", "Actions marked Complete, and their share of those shown."),
        (
            "At risk or off track",
            str(int(actions["status"].isin(["At risk", "Off track"]).sum())),
            "At risk: the lead reports the action may miss its goal. Off track: it will without help.",
        ),
        ("Overdue", str(int(actions["overdue"].sum())), "Past the due date and not complete."),
    ]
    # Side by side, wrapping two to a row on a phone rather than four boxes one under another.
    with st.container(horizontal=True, key="plan-summary"):
        for label, value, help_text in figures:
            st.metric(label, value, help=help_text, border=True, width=165)


def progress_by_priority(
    ctx: PageContext, actions: pd.DataFrame, title_prefix: str = "Actions", stem: str = "action-plan-progress"
) -> None:
    title = f"{title_prefix} by priority and status, {periods.quarter_label(ctx.period)}"
    counts = views.status_counts(actions)
    table = views.priority_progress(actions)
    # the chart is drawn from the counts alone, so the counts (and the table, whose CSV is memoised with the
    # chart) are its memo key, whatever the filters
    subtitle = "Number of actions in each status; labels give the count"
    chart_with_table(
        lambda: charts.stacked_status(counts, title, subtitle=subtitle),
        table,
        title,
        views.priority_progress_finding(actions),
        file_stem=stem,
        memo=(
            ctx.bundle,
            (
                "status-chart",
                title,
                tuple(counts.itertuples(index=False, name=None)),
                tuple(table.itertuples(index=False, name=None)),
            ),
        ),
    )


LIST_TAB, SORTABLE_TAB = "List", "Sort and search"


def action_list(actions: pd.DataFrame, stem: str = "action-plan-actions", label: str = "All actions shown") -> None:
    """The filtered list, with a CSV of exactly what is shown: first as a plain table of the short columns (quick
    to load and read on a tablet; the actions' own words are in "Read in full" below), and, in its second tab,
    as an interactive table to sort and search with every column. Only the open tab is drawn (the page reruns
    when it is switched), so a visit that never sorts never loads the interactive table's code."""
    table = views.action_table(actions)
    with st.container(key=f"actions-{stem}"):  # a stable handle (CSS class st-key-actions-<stem>) for tests
        listed, sortable = st.tabs([LIST_TAB, SORTABLE_TAB], key=f"plan-list-{stem}", on_change="rerun")
        if sortable.open:
            with sortable:
                st.dataframe(table, hide_index=True, width="stretch", column_config=COLUMN_CONFIG)
        else:
            with listed:
                static_table(views.action_list_short(table), label)
    csv_download(table, stem)


def _badges(row: pd.Series) -> str:
    """Status and flags as Markdown badges. Only the catalogue's own words reach Markdown: a status that is not
    one of them (the validator refuses those) is left to the plain-text line."""
    badges = []
    if row["status"] in STATUS_BADGE:
        badges.append(f":{STATUS_BADGE[row['status']]}-badge[{row['status']}]")
    if row["overdue"]:
        badges.append(":red-badge[:material/schedule: Overdue]")
    if row["anti_racist"]:
        badges.append(":violet-badge[Anti-racist commitment]")
    return " ".join(badges)


def action_card(row: pd.Series) -> None:
    """One action in full: uploaded text with st.text only."""
    with st.container(border=True):
        st.markdown(_badges(row))
        # The status is in the badge above; written again here only if it is not one of the catalogue's words.
        status = "" if row["status"] in STATUS_BADGE else f" · {row['status']}"
        st.text(
            f"{row['action_id']}{status} · lead: {row['lead']}"
            f" · due {periods.long_date(row['due_date'].date())} · {int(row['progress_pct'])}% done"
        )
        st.text(row["action"])
        st.caption("Latest update")
        st.text(row["update"])


def attention_cards(actions: pd.DataFrame) -> None:
    rows = views.needs_attention(actions)
    if rows.empty:
        st.success("None of the actions shown is at risk, off track or overdue.")
        return
    st.caption("Off track first, then at risk, then overdue; the earliest due first within each.")
    for _, row in rows.iterrows():
        action_card(row)


def read_in_full(actions: pd.DataFrame) -> None:
    if actions.empty:
        return
    ids = actions["action_id"].tolist()
    by_id = actions.set_index("action_id", drop=False)
    chosen = st.selectbox(
        "Read an action and its latest update in full",
        ids,
        key="plan_action",
        format_func=lambda i: f"{i}: {by_id.loc[i, 'action'][:90]}",
    )
    if chosen is not None:
        action_card(by_id.loc[chosen])


def what_moved(ctx: PageContext, chosen: views.PlanFilters) -> None:
    previous = periods.previous_quarter(ctx.period)
    changes = views.filtered_plan_changes(ctx.bundle, ctx.period, chosen)
    if views.actions_at(ctx.bundle, previous).empty:
        st.info(
            f"No update was published for {periods.short_quarter_label(previous)}, so there is nothing to compare with."
        )
        return
    if changes.empty:
        st.info(f"No action shown changed status or became overdue since {periods.short_quarter_label(previous)}.")
        return
    moved = changes["What changed"]

    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    st.markdown(
        f"Since **{periods.quarter_label(previous)}**: {count(int(moved.str.contains('→').sum()), 'action', 'actions')}"
        f" changed status, {int((moved == 'Newly complete').sum())} newly complete,"
        f" {int((moved == 'Newly overdue').sum())} newly overdue, {int((moved == 'New this quarter').sum())} new."
    )
    static_table(changes, "What moved since last quarter", wrap=("What will be done",))
    csv_download(changes, "action-plan-what-moved")


def anti_racist_view(ctx: PageContext, actions: pd.DataFrame) -> None:
    anti = actions[actions["anti_racist"].astype(bool)].reset_index(drop=True)
    if anti.empty:
        st.info("No anti-racist commitment matches the filters.")
        return
    complete = int((anti["status"] == "Complete").sum())
    st.markdown(
        f"**{len(anti)}** actions carry a commitment of the anti-racist action plan: **{complete}** complete,"
        f" **{int(anti['status'].isin(['At risk', 'Off track']).sum())}** at risk or off track,"
        f" **{int(anti['overdue'].sum())}** overdue."
    )
    progress_by_priority(ctx, anti, "Anti-racist commitments", stem="anti-racist-progress")
    action_list(anti, stem="anti-racist-actions", label="Anti-racist commitments shown")

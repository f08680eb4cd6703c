"""Action plan page pieces: filters kept in the URL, progress per priority, the action list, what moved, the
anti-racist commitments.

Uploaded text (actions, leads, updates) is shown only as escaped text in blocks of HTML (ui/blocks.py; a plain
HTML table escapes every cell, ui/static_table.py) or in the interactive grid: never as Markdown or raw HTML, so
markup typed into an update appears as the characters typed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cpb_dash import catalogue, charts, indicators, periods, views
from cpb_dash.formatting import format_value
from cpb_dash.ui import blocks
from cpb_dash.ui.components import chart_with_table, figure_cards_html, table_block_html, table_csv
from cpb_dash.ui.layout import PageContext, keep_in_url
from cpb_dash.ui.static_table import table_html

# A status's colour (blocks.PAGE_CSS); its word is always written in it, so colour is never alone.
STATUS_BADGE = {"Complete": "green", "On track": "blue", "Not started": "gray", "At risk": "amber", "Off track": "red"}
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
    # In a popover, drawn only when opened: the page opens on findings, not five controls (on a phone they would
    # fill the first screen), and neither a first visit nor a move to the page draws them or fetches the
    # multiselect's and the switch's code (a tablet move to the page about 200 ms shorter, docs/performance.md,
    # "The sidebar's choices in a popover"). The filters in use are said under the button.
    with st.popover("Filter the actions: priority, status, lead", icon=":material/filter_list:"):
        priorities = st.multiselect(
            "Priority",
            list(catalogue.PRIORITIES),
            key="priority",
            persist_state="session",
            format_func=views.priority_label,
            placeholder="All priorities",
        )
        statuses = st.multiselect(
            "Status",
            list(catalogue.ACTION_STATUSES),
            key="status",
            persist_state="session",
            placeholder="All statuses",
        )
        chosen_leads = st.multiselect("Lead", leads, key="lead", persist_state="session", placeholder="All leads")
        anti_racist = st.toggle("Anti-racist commitments only", key="anti_racist", persist_state="session")
        overdue = st.toggle("Overdue only", key="overdue", persist_state="session")
        st.caption("The address bar keeps these filters and the quarter: copy the link to share this view.")
    chosen = views.PlanFilters(tuple(sorted(priorities)), tuple(statuses), tuple(chosen_leads), anti_racist, overdue)
    if chosen.is_filtered:
        # a lead's name is uploaded text: escaped, never markdown
        blocks.show(f"<p><b>Filters in use:</b> {blocks.text(views.filters_in_words(chosen))}.</p>")
    keep_in_url(views.plan_filters_to_query(chosen))
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
    blocks.show(figure_cards_html(figures))


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


LIST_TAB, FULL_TAB, SORTABLE_TAB = "List", "Read in full", "Sort and search"
FULL_ORDER = "Each action shown, in the list's order, with its lead's latest update in their own words."


def action_list(
    ctx: PageContext,
    actions: pd.DataFrame,
    stem: str = "action-plan-actions",
    label: str = "All actions shown",
    url_key: str = "list",
) -> None:
    """The filtered list, with a CSV of exactly what is shown, in three tabs: first a plain table of the short
    columns (quick to load and read on a tablet); then every action shown in full, as a card with its lead's
    latest update; then an interactive table to sort and search with every column. Only the open tab is drawn
    (the page reruns when it is switched), so a visit that only glances at the list loads neither the cards'
    words nor the interactive table's code. The open tab is kept in the address under `url_key`
    (?list=Read+in+full), with the filters, so a director's link opens the list as they saw it."""
    table = views.action_table(actions)
    with st.container(key=f"actions-{stem}"):  # a stable handle (CSS class st-key-actions-<stem>) for tests
        listed, full, sortable = st.tabs([LIST_TAB, FULL_TAB, SORTABLE_TAB], key=url_key, bind="query-params")
        if sortable.open:
            with sortable:
                st.dataframe(table, hide_index=True, width="stretch", column_config=COLUMN_CONFIG)
        elif full.open:
            with full:
                blocks.show(cards_html(actions, FULL_ORDER))
        else:
            with listed:
                blocks.show(table_html(views.action_list_short(table), label))
    # every column of the rows shown, whichever tab is open; within a store version and quarter, an action's id
    # names its row, so the ids shown name the file
    data = table_csv(table, (ctx.bundle, (stem, ctx.period, tuple(actions["action_id"]))))
    blocks.show(blocks.download_link(data, f"{stem}.csv", label))


def _badges(row: pd.Series) -> str:
    """Status and flags as coloured labels, each with its words. A status that is not one of the catalogue's
    words (the validator refuses those) gets no label; the plain line says it."""
    badges = []
    if row["status"] in STATUS_BADGE:
        badges.append((STATUS_BADGE[row["status"]], row["status"]))
    if row["overdue"]:
        badges.append(("red", "Overdue"))
    if row["anti_racist"]:
        badges.append(("violet", "Anti-racist commitment"))
    spans = " ".join(f'<span class="cpb-rating cpb-rating-{c}">{blocks.text(words)}</span>' for c, words in badges)
    return f"<p>{spans}</p>" if spans else ""


def action_card_html(row: pd.Series) -> str:
    """One action in full, as HTML: the officers' words escaped, their line breaks kept."""
    # The status is in the badge; written again in the plain line only if it is not one of the catalogue's words.
    status = "" if row["status"] in STATUS_BADGE else f" · {row['status']}"
    facts = (
        f"{row['action_id']}{status} · lead: {row['lead']}"
        f" · due {periods.long_date(row['due_date'].date())} · {int(row['progress_pct'])}% done"
    )
    return (
        f'<div class="cpb-card" data-action="{blocks.text(row["action_id"])}">{_badges(row)}'
        f"{blocks.paragraphs(facts)}"
        f'<p class="cpb-pre">{blocks.text(row["action"])}</p>'
        f"{blocks.paragraphs('Latest update', grey=True)}"
        f'<p class="cpb-pre">{blocks.text(row["update"])}</p></div>'
    )


def cards_html(rows: pd.DataFrame, order: str) -> str:
    """Actions in full, one card each in a stack, under a grey line saying in what order they come."""
    cards = "".join(action_card_html(row) for _, row in rows.iterrows())
    return f'{blocks.paragraphs(order, grey=True)}<div class="cpb-stack">{cards}</div>'


def attention_cards(actions: pd.DataFrame) -> None:
    rows = views.needs_attention(actions)
    if rows.empty:
        st.success("None of the actions shown is at risk, off track or overdue.")
        return
    blocks.show(cards_html(rows, "Off track first, then at risk, then overdue; the earliest due first within each."))


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

    said = (
        f"Since <strong>{blocks.text(periods.quarter_label(previous))}</strong>:"
        f" {count(int(moved.str.contains('→').sum()), 'action', 'actions')} changed status,"
        f" {int((moved == 'Newly complete').sum())} newly complete, {int((moved == 'Newly overdue').sum())} newly"
        f" overdue, {int((moved == 'New this quarter').sum())} new."
    )
    title = "What moved since last quarter"
    blocks.show(
        f"<p>{said}</p>"
        + table_block_html(
            changes,
            title,
            "action-plan-what-moved",
            wrap=("What will be done",),
            memo=(ctx.bundle, ("what-moved", ctx.period, chosen)),
        )
    )


def anti_racist_view(ctx: PageContext, actions: pd.DataFrame) -> None:
    anti = actions[actions["anti_racist"].astype(bool)].reset_index(drop=True)
    if anti.empty:
        st.info("No anti-racist commitment matches the filters.")
        return
    complete = int((anti["status"] == "Complete").sum())
    figures = (
        f"<strong>{len(anti)}</strong> actions carry a commitment of the anti-racist action plan:"
        f" <strong>{complete}</strong> complete,"
        f" <strong>{int(anti['status'].isin(['At risk', 'Off track']).sum())}</strong> at risk or off track,"
        f" <strong>{int(anti['overdue'].sum())}</strong> overdue."
    )
    blocks.show(f"<p>{figures}</p>")
    progress_by_priority(ctx, anti, "Anti-racist commitments", stem="anti-racist-progress")
    action_list(ctx, anti, stem="anti-racist-actions", label="Anti-racist commitments shown", url_key="ar_list")

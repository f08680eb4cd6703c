"""The Children's Action Plan page: actions at a quarter, filters, progress by priority, what changed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from cpb_dash import catalogue, indicators, periods
from cpb_dash.formatting import format_value
from cpb_dash.schema import truth
from cpb_dash.views.bundle import Bundle, per_bundle

ACTION_LIST_COLUMNS = [
    "action_id",
    "priority",
    "objective",
    "action",
    "lead",
    "due_date",
    "status",
    "progress_pct",
    "overdue",
    "anti_racist",
    "update",
]


@per_bundle
def actions_at(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """The action plan as it stood at a quarter end, with an `overdue` flag (due before then, not complete)."""
    plan = bundle.action_plan
    rows = plan[plan["period_end"] == pd.Timestamp(period_end)].copy()
    rows["overdue"] = (rows["due_date"] < pd.Timestamp(period_end)) & (rows["status"] != "Complete")
    return rows.sort_values("action_id", ignore_index=True)


@dataclass(frozen=True)
class PlanSummary:
    period_end: dt.date
    actions: int
    by_status: dict[str, int]
    complete_pct: float | None
    overdue: int
    anti_racist: int
    anti_racist_complete: int
    needs_attention: int  # at risk + off track + overdue (counted once)
    sentence: str
    finding: str  # where the actions stand by priority (priority_progress_finding)


@per_bundle
def plan_summary(bundle: Bundle, period_end: dt.date) -> PlanSummary | None:
    rows = actions_at(bundle, period_end)
    if rows.empty:
        return None
    by_status = {s: int((rows["status"] == s).sum()) for s in catalogue.ACTION_STATUSES}
    complete_pct = indicators.percent(by_status["Complete"], len(rows))
    attention = rows["status"].isin(["At risk", "Off track"]) | rows["overdue"]
    anti = rows[rows["anti_racist"]]
    sentence = (
        f"{len(rows)} actions {periods.stock_label(period_end)}: {by_status['Complete']} complete"
        f" ({format_value(complete_pct, '%', 0)}), {by_status['On track']} on track,"
        f" {by_status['At risk']} at risk, {by_status['Off track']} off track; {int(rows['overdue'].sum())} overdue."
    )
    return PlanSummary(
        period_end=period_end,
        actions=len(rows),
        by_status=by_status,
        complete_pct=complete_pct,
        overdue=int(rows["overdue"].sum()),
        anti_racist=len(anti),
        anti_racist_complete=int((anti["status"] == "Complete").sum()),
        needs_attention=int(attention.sum()),
        sentence=sentence,
        finding=priority_progress_finding(rows),
    )


@per_bundle
def plan_changes(bundle: Bundle, period_end: dt.date) -> pd.DataFrame:
    """What moved since the previous quarter: status changes, newly complete, newly overdue, new actions."""
    now = actions_at(bundle, period_end)
    before = actions_at(bundle, periods.previous_quarter(period_end))
    merged = now.merge(
        before[["action_id", "status", "overdue", "progress_pct"]],
        on="action_id",
        how="left",
        suffixes=("", "_before"),
    )
    changes = []
    for row in merged.itertuples(index=False):
        if pd.isna(row.status_before):
            what = "New this quarter"
        elif row.status != row.status_before:
            what = "Newly complete" if row.status == "Complete" else f"{row.status_before} → {row.status}"
        elif row.overdue and not bool(row.overdue_before):
            what = "Newly overdue"
        else:
            continue
        changes.append(
            {
                "action_id": row.action_id,
                "priority": row.priority,
                "action": row.action,
                "change": what,
                "status": row.status,
                "lead": row.lead,
            }
        )
    return pd.DataFrame(changes, columns=["action_id", "priority", "action", "change", "status", "lead"])


@dataclass(frozen=True)
class PlanFilters:
    """What a director chose to look at. Empty tuples mean "all"; the URL carries the same choices:
    ?priority=1&priority=5&status=At+risk&lead=...&anti_racist=1&overdue=1"""

    priorities: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    anti_racist_only: bool = False
    overdue_only: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(self.priorities or self.statuses or self.leads or self.anti_racist_only or self.overdue_only)


def filters_in_words(filters: PlanFilters) -> str:
    """The filters in use, as a line a director reads under the filter button ('' when none is): 'Priority 1 or
    5; status At risk; overdue only'."""

    def either(values) -> str:
        values = [str(v) for v in values]
        return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]

    parts = [
        *([f"priority {either(filters.priorities)}"] if filters.priorities else []),
        *([f"status {either(filters.statuses)}"] if filters.statuses else []),
        *([f"lead {either(filters.leads)}"] if filters.leads else []),
        *(["anti-racist commitments only"] if filters.anti_racist_only else []),
        *(["overdue only"] if filters.overdue_only else []),
    ]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


PLAN_QUERY_KEYS = ("priority", "status", "lead", "anti_racist", "overdue")


def plan_filters_from_query(params: dict[str, list[str]], leads: list[str] | tuple[str, ...] = ()) -> PlanFilters:
    """Filters from URL query parameters (each a list of values); values that mean nothing are ignored, so a
    mistyped or stale link still opens the page."""
    priorities = []
    for text in params.get("priority", []):
        try:
            number = int(str(text).strip())
        except ValueError:
            continue
        if number in catalogue.PRIORITIES and number not in priorities:
            priorities.append(number)
    statuses = [s for s in dict.fromkeys(params.get("status", [])) if s in catalogue.ACTION_STATUSES]
    chosen_leads = [lead for lead in dict.fromkeys(params.get("lead", [])) if lead in leads]

    def flag(key: str) -> bool:
        values = params.get(key, [])
        return bool(values) and truth(str(values[-1])) is True

    return PlanFilters(
        tuple(sorted(priorities)), tuple(statuses), tuple(chosen_leads), flag("anti_racist"), flag("overdue")
    )


def plan_filters_to_query(filters: PlanFilters) -> dict[str, list[str]]:
    """The query parameters that reproduce these filters (a key with no values is to be removed)."""
    return {
        "priority": [str(p) for p in filters.priorities],
        "status": list(filters.statuses),
        "lead": list(filters.leads),
        "anti_racist": ["1"] if filters.anti_racist_only else [],
        "overdue": ["1"] if filters.overdue_only else [],
    }


def filter_actions(actions: pd.DataFrame, filters: PlanFilters) -> pd.DataFrame:
    """The rows of actions_at(...) that match every chosen filter."""
    keep = pd.Series(True, index=actions.index)
    if filters.priorities:
        keep &= actions["priority"].isin(filters.priorities)
    if filters.statuses:
        keep &= actions["status"].isin(filters.statuses)
    if filters.leads:
        keep &= actions["lead"].isin(filters.leads)
    if filters.anti_racist_only:
        keep &= actions["anti_racist"].astype(bool)
    if filters.overdue_only:
        keep &= actions["overdue"].astype(bool)
    return actions[keep].reset_index(drop=True)


def priority_label(number: int) -> str:
    return f"{number}. {catalogue.PRIORITIES[number].title}"


def priority_short_label(number: int, width: int = 48) -> str:
    """'1. Uphold STAR principles: Systemic, ...' cut to fit a chart axis (every title opens 'Proud to', which
    tells the reader nothing on an axis)."""
    title = catalogue.PRIORITIES[number].title
    title = title[len("Proud to ") :] if title.startswith("Proud to ") else title
    label = f"{number}. {title[:1].upper()}{title[1:]}"
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _status_grid(actions: pd.DataFrame) -> dict[int, dict[str, int]]:
    """Actions per priority (ascending) and status (every status, zeros included). A plan has tens of actions:
    counting them in Python is quicker than any pandas reshape."""
    counted = Counter(zip((int(p) for p in actions["priority"]), actions["status"], strict=True))
    return {
        number: {status: counted[(number, status)] for status in catalogue.ACTION_STATUSES}
        for number in sorted({number for number, _ in counted})
    }


def status_counts(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions per priority and status, for charts.stacked_status: priority, priority_label, status,
    status_order, actions (every status present, zeros included, so the legend is complete)."""
    order = {s: i for i, s in enumerate(charts_status_order())}
    records = [
        {
            "priority": number,
            "priority_label": priority_short_label(number, width=26),
            "status": status,
            "status_order": order[status],
            "actions": count,
        }
        for number, by_status in _status_grid(actions).items()
        for status, count in by_status.items()
    ]
    return pd.DataFrame.from_records(
        records, columns=["priority", "priority_label", "status", "status_order", "actions"]
    )


def charts_status_order() -> tuple[str, ...]:
    """Statuses in the order a stacked bar reads left to right: done first, then the rest by growing concern."""
    return tuple(reversed(catalogue.STATUS_CONCERN))


def priority_progress(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per priority, as a councillor reads it: actions, complete, share complete, at risk or off track,
    overdue (formatted; the figures behind the progress chart)."""
    overdue = Counter(int(p) for p, late in zip(actions["priority"], actions["overdue"], strict=True) if late)
    rows = []
    for number, by_status in _status_grid(actions).items():
        total = sum(by_status.values())
        rows.append(
            {
                "Priority": priority_label(number),
                "Actions": total,
                **{status: by_status[status] for status in charts_status_order()},
                "Share complete": format_value(indicators.percent(by_status["Complete"], total), "%", 0),
                "Overdue": overdue[number],
            }
        )
    return pd.DataFrame(rows)


def describe_priority_progress(actions: pd.DataFrame) -> str:
    """The progress chart's sentence: each priority's complete and overdue actions. "Priority 1", not "1. Proud
    to...": a caption is Markdown, and a leading "1." would start a list."""
    progress = priority_progress(actions)
    numbers = sorted(int(n) for n in actions["priority"].unique())
    return (
        "; ".join(
            f"Priority {number}: {row['Complete']} of {row['Actions']} complete, {row['Overdue']} overdue"
            for number, row in zip(numbers, progress.to_dict("records"), strict=True)
        )
        + "."
    )


def _priorities(numbers: list[int]) -> str:
    """'priority 2', 'priorities 2 and 4', 'priorities 2, 3 and 4'."""
    if len(numbers) == 1:
        return f"priority {numbers[0]}"
    return "priorities " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def priority_progress_finding(actions: pd.DataFrame) -> str:
    """What the progress chart shows, as a finding a councillor can repeat: which priority is furthest on, how
    many actions are off track (the most serious) and in which priorities, how many overdue. The totals are the
    page's summary figures; this says where they fall."""
    grid = _status_grid(actions)
    if not grid:
        return "No action is shown."
    share = {n: indicators.percent(by_status["Complete"], sum(by_status.values())) for n, by_status in grid.items()}
    best = max(share.values())
    leaders = sorted(n for n, value in share.items() if value == best)
    parts = []
    if len(leaders) < len(grid):
        verb = "is" if len(leaders) == 1 else "are"
        parts.append(
            f"{_priorities(leaders)[:1].upper()}{_priorities(leaders)[1:]} {verb} furthest on"
            f" ({format_value(best, '%', 0)} of {'its' if len(leaders) == 1 else 'their'} actions complete)."
        )
    off = {n: by_status["Off track"] for n, by_status in grid.items() if by_status["Off track"]}
    if off:
        count = sum(off.values())
        parts.append(f"Off track: {count} action{'' if count == 1 else 's'}, in {_priorities(sorted(off))}.")
    else:
        parts.append("No action is off track.")
    late = Counter(int(p) for p, flag in zip(actions["priority"], actions["overdue"], strict=True) if flag)
    if late:
        count = sum(late.values())
        where = (
            "one in each priority"
            if len(grid) > 1 and set(late) == set(grid) and set(late.values()) == {1}
            else f"in {_priorities(sorted(late))}"
        )
        parts.append(f"Overdue: {count}, {where}.")
    return " ".join(parts)


ACTION_TABLE_COLUMNS = [
    "Action",
    "Priority",
    "Status",
    "Progress (%)",
    "Due",
    "Overdue",
    "Anti-racist",
    "What will be done",
    "Lead",
    "Latest update",
]


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The action list as shown and downloaded. Uploaded text stays text: pages show it in tables or with
    st.text, never as Markdown or HTML."""
    return pd.DataFrame(
        {
            "Action": actions["action_id"],
            "Priority": actions["priority"].astype(int),
            "What will be done": actions["action"],
            "Lead": actions["lead"],
            "Status": actions["status"],
            "Progress (%)": actions["progress_pct"],
            "Due": [periods.long_date(d.date()) for d in actions["due_date"]],
            "Overdue": ["Overdue" if o else "" for o in actions["overdue"]],
            "Anti-racist": ["Yes" if a else "" for a in actions["anti_racist"]],
            "Latest update": actions["update"],
        },
        columns=ACTION_TABLE_COLUMNS,
    )


def action_list_short(table: pd.DataFrame) -> pd.DataFrame:
    """The action list's short columns (action_table's, without its sentences), for the plain list a visitor sees
    first: progress written as a percentage, the actions' own words left to "Read in full"."""
    progress = [format_value(p, "%", 0) for p in table["Progress (%)"]]
    return table.assign(Progress=progress)[
        ["Action", "Priority", "Status", "Progress", "Due", "Overdue", "Anti-racist", "Lead"]
    ]


def needs_attention(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions off track, at risk or overdue, worst first, then by due date."""
    concern = {s: i for i, s in enumerate(catalogue.STATUS_CONCERN)}
    rows = actions[actions["status"].isin(["Off track", "At risk"]) | actions["overdue"]]
    return (
        rows.assign(_c=rows["status"].map(concern))
        .sort_values(["_c", "due_date", "action_id"])
        .drop(columns="_c")
        .reset_index(drop=True)
    )


@per_bundle
def filtered_plan_changes(bundle: Bundle, period_end: dt.date, filters: PlanFilters) -> pd.DataFrame:
    """plan_changes for the actions the filters keep, as shown and downloaded."""
    kept = filter_actions(actions_at(bundle, period_end), filters)
    changes = plan_changes(bundle, period_end)
    changes = changes[changes["action_id"].isin(kept["action_id"])]
    return pd.DataFrame(
        {
            "Action": changes["action_id"],
            "Priority": changes["priority"],
            "What changed": changes["change"],
            "Status now": changes["status"],
            "What will be done": changes["action"],
            "Lead": changes["lead"],
        }
    ).reset_index(drop=True)

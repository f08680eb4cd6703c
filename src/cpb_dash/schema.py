"""The columns of each dataset's stored snapshot, in order: read by the contract (what a file must hold) and the
store (what it writes). Pure data, imported by both, so neither imports the other for it."""

from __future__ import annotations

from cpb_dash import catalogue

COUNT_COLUMNS = ["period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol"]
ACTION_COLUMNS = [
    "period_end", "priority", "objective", "action_id", "action", "lead", "due_date", "status",
    "progress_pct", "anti_racist", "update",
]


def columns_for(dataset: str) -> list[str]:
    if dataset in (catalogue.TARGETS, catalogue.COMMENTARY):  # officers' own datasets (board_notes)
        from cpb_dash import board_notes

        return board_notes.columns(dataset)
    return ACTION_COLUMNS if dataset == catalogue.ACTION_PLAN else COUNT_COLUMNS

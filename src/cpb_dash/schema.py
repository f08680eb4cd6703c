"""The columns of each dataset's stored snapshot, in order: read by the contract (what a file must hold) and the
store (what it writes). Pure data, imported by both, so neither imports the other for it."""

from __future__ import annotations

from cpb_dash import catalogue

COUNT_COLUMNS = ["period_end", "measure", "breakdown_topic", "breakdown", "value", "symbol"]
ACTION_COLUMNS = [
    "period_end",
    "priority",
    "objective",
    "action_id",
    "action",
    "lead",
    "due_date",
    "status",
    "progress_pct",
    "anti_racist",
    "update",
]


def columns_for(dataset: str) -> list[str]:
    if dataset in (catalogue.TARGETS, catalogue.COMMENTARY):  # officers' own datasets (board_notes)
        from cpb_dash import board_notes

        return board_notes.columns(dataset)
    return ACTION_COLUMNS if dataset == catalogue.ACTION_PLAN else COUNT_COLUMNS


# The words a true/false cell, a yes/no census item, a link's flag (?overdue=true) or an environment switch may use;
# compared after trimming and lower-casing. The one list: docs/data-contract.md describes it for officers.
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})


def truth(text: object) -> bool | None:
    """True or False for one of the words above (any capitals, spaces around), None for anything else."""
    if not isinstance(text, str):
        return None
    folded = text.strip().lower()
    return True if folded in TRUE_WORDS else False if folded in FALSE_WORDS else None


def one_line(text: object, limit: int = 200) -> str:
    """Untrusted text (a file name, an e-mail, a dataset name) as a one-line label for a report, a message or the
    audit log: characters that are not printable removed, spaces trimmed, at most `limit` characters (then '...').
    Never used as a path."""
    clean = "".join(ch for ch in str(text) if ch.isprintable()).strip()
    return clean[:limit] + "..." if len(clean) > limit else clean

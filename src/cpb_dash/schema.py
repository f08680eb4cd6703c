"""One spec per column of each uploadable dataset, in stored order: name, kind, Arrow type, required, rule text.

The contract (what a file must hold), the reader (how a CSV cell is converted), the store (what it writes), the
fixtures and the templates all read these specs; none keeps a copy. Pure data (plus pyarrow's type objects).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from cpb_dash import catalogue

# The kinds of value a column can hold: the words the officers' guidance and the messages use.
DATE = "date"
TEXT = "text"
NUMBER = "number"
INTEGER = "whole number"
BOOLEAN = "true/false"

# How each kind is stored.
ARROW_TYPES: dict[str, pa.DataType] = {
    DATE: pa.date32(),
    TEXT: pa.string(),
    NUMBER: pa.float64(),
    INTEGER: pa.int64(),
    BOOLEAN: pa.bool_(),
}

# What a message asks for when a cell is not of its column's kind.
TYPE_ADVICE = {
    DATE: "a date (in a CSV file, written 2025-09-30 or 30/09/2025)",
    TEXT: "text",
    NUMBER: "a number, such as 12 or 3.5",
    INTEGER: "a whole number, such as 3",
    BOOLEAN: "true or false",
}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # DATE, TEXT, NUMBER, INTEGER or BOOLEAN
    required: bool  # False: the cell may be empty
    rule: str  # what the contract asks of it, for the officers' documentation

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.kind]


_AS_TEXT = "shown as text, never HTML"
_PERIOD = ColumnSpec("period_end", DATE, True, "a quarter end, the same on every row, not in the future")

COUNT_SPECS: tuple[ColumnSpec, ...] = (
    _PERIOD,
    ColumnSpec("measure", TEXT, True, "a measure id from the catalogue for this dataset"),
    ColumnSpec("breakdown_topic", TEXT, True, "'Total', or a topic the catalogue allows for this measure"),
    ColumnSpec("breakdown", TEXT, True, "'Total', or a value the catalogue allows for that topic"),
    ColumnSpec("value", NUMBER, False, "the count, 0 or more; empty only when 'symbol' is set"),
    ColumnSpec("symbol", TEXT, False, "c, x, z, low or u (GSS symbols); empty when 'value' is given"),
)
ACTION_SPECS: tuple[ColumnSpec, ...] = (
    _PERIOD,
    ColumnSpec("priority", INTEGER, True, "the plan's priority number, 1 to 5"),
    ColumnSpec("objective", TEXT, True, "the commitment under the priority that the action serves"),
    ColumnSpec("action_id", TEXT, True, "unique in the file and stable across quarters, like 'P1.03'"),
    ColumnSpec("action", TEXT, True, f"plain text, at most {catalogue.ACTION_TEXT_MAX} characters"),
    ColumnSpec("lead", TEXT, True, "a role, not a person's name"),
    ColumnSpec("due_date", DATE, True, "a date"),
    ColumnSpec("status", TEXT, True, ", ".join(catalogue.ACTION_STATUSES)),
    ColumnSpec("progress_pct", INTEGER, False, "a whole number from 0 to 100, or empty"),
    ColumnSpec("anti_racist", BOOLEAN, True, "true if the action is a commitment of the anti-racist action plan"),
    ColumnSpec("update", TEXT, False, f"plain text, at most {catalogue.UPDATE_TEXT_MAX:,} characters; {_AS_TEXT}"),
)

# The officers' own datasets (their rules are in board_notes).
COMMENTARY_MAX = 1500
RATIONALE_MAX = 500
ROLE_MAX = 100
# The areas a commentary can be about: each area page, and the action plan.
COMMENTARY_AREAS: tuple[str, ...] = (*catalogue.COUNT_DATASETS, catalogue.ACTION_PLAN)

TARGET_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("period_end", DATE, True, "the quarter end from which the targets in this file apply"),
    ColumnSpec(
        "indicator", TEXT, True, "an indicator id from the catalogue where higher or lower is better, once per file"
    ),
    ColumnSpec("target", NUMBER, True, "the target figure, in the indicator's unit (a percentage as 15 for 15%)"),
    ColumnSpec(
        "amber_tolerance",
        NUMBER,
        False,
        "how far the figure may miss the target and be amber, not red (0 or more; empty means 0)",
    ),
    ColumnSpec(
        "set_by", TEXT, True, f"who set the target, as a role (not a name or e-mail), at most {ROLE_MAX} characters"
    ),
    ColumnSpec("rationale", TEXT, False, f"why this target, plain text, at most {RATIONALE_MAX} characters"),
)
COMMENTARY_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("period_end", DATE, True, "the quarter end the commentary is about, the same on every row"),
    ColumnSpec("area", TEXT, True, f"one of {', '.join(COMMENTARY_AREAS)}, once per file"),
    ColumnSpec("author_role", TEXT, True, f"the author's role (not a name or e-mail), at most {ROLE_MAX} characters"),
    ColumnSpec("text", TEXT, True, f"plain text, at most {COMMENTARY_MAX:,} characters; shown as text, never HTML"),
)

_SPECS = {catalogue.ACTION_PLAN: ACTION_SPECS, catalogue.TARGETS: TARGET_SPECS, catalogue.COMMENTARY: COMMENTARY_SPECS}


def column_specs(dataset: str) -> tuple[ColumnSpec, ...]:
    """The dataset's columns in stored order (a count dataset for any name not listed)."""
    return _SPECS.get(dataset, COUNT_SPECS)


def columns_for(dataset: str) -> list[str]:
    return [s.name for s in column_specs(dataset)]


def arrow_schema(dataset: str) -> pa.Schema:
    """The schema every stored snapshot of the dataset is written in."""
    return pa.schema([(s.name, s.arrow_type) for s in column_specs(dataset)])


COUNT_COLUMNS = columns_for(catalogue.COUNT_DATASETS[0])
ACTION_COLUMNS = columns_for(catalogue.ACTION_PLAN)


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

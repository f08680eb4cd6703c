"""Findings: one result of one rule about one file (level, file, column, row, rule, message), the collector that
records them for a file, and the report an officer reads. Used by the reader, the contract and the intakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

import pandas as pd

from cpb_dash.schema import one_line

ERROR = "error"
WARNING = "warning"
PASS = "pass"
LEVELS = (ERROR, WARNING, PASS)

FINDING_COLUMNS = ["level", "file", "column", "row", "rule", "message"]

# How many rows, and how many distinct bad values, one finding names before it says "and N more".
ROWS_SHOWN = 5
VALUES_SHOWN = 20


@dataclass(frozen=True)
class Finding:
    """One result of one rule: an error (blocks publishing), a warning (to confirm) or a pass (what held)."""

    level: str  # "error", "warning" or "pass"
    file: str  # the uploaded file's name: a label only, never opened as a path
    column: str | None  # None for a finding about the whole file
    row: int | str | None  # 1-based data row (row 1 is the first row under the headings), or "rows 3, 7, 9"
    rule: str  # short id, e.g. "symbol_gss"
    message: str  # plain English, offending values quoted, saying what would be accepted


class Collector:
    """The findings of one file. The rule being run and the column it is about are bound here, so a check says only
    what is wrong (with the 0-based positions of the rows) and what to change. `findings` is a list to add to
    (several files' collectors may share one report); `label_rows` turns positions into the row label (default
    rows_label; an XML source names its lines instead)."""

    def __init__(
        self,
        file_name: str,
        findings: list[Finding] | None = None,
        label_rows: Callable[[Sequence[int]], int | str | None] | None = None,
    ) -> None:
        self.file = file_name
        self.findings: list[Finding] = [] if findings is None else findings
        self.label_rows = label_rows or rows_label
        self.rule = ""
        self.column: str | None = None

    def bind(self, rule: str, column: str | None = None) -> Collector:
        self.rule, self.column = rule, column
        return self

    def add(self, level: str, message: str, rows: Sequence[int] | None = None, column: str | None = "") -> Finding:
        """`column=""` (the default) means the bound column; None, the whole file."""
        row = self.label_rows(rows) if rows is not None else None
        where = self.column if column == "" else column
        self.findings.append(Finding(level, self.file, where, row, self.rule, message))
        return self.findings[-1]

    def error(self, message: str, rows: Sequence[int] | None = None, column: str | None = "") -> None:
        self.add(ERROR, message, rows, column)

    def warning(self, message: str, rows: Sequence[int] | None = None, column: str | None = "") -> None:
        self.add(WARNING, message, rows, column)

    def passed(self, message: str, column: str | None = "") -> None:
        self.add(PASS, message, None, column)

    def per_value(
        self, groups: dict, say: Callable[[object, list[int]], str], more: str = "problems", level: str = ERROR
    ) -> None:
        """One finding for each distinct bad value (`groups`: value -> row positions), at most VALUES_SHOWN of them
        and then one line saying how many more."""
        for value, positions in list(groups.items())[:VALUES_SHOWN]:
            self.add(level, say(value, positions), positions)
        if len(groups) > VALUES_SHOWN:
            self.error(f"... and {len(groups) - VALUES_SHOWN:,} more {more} (not listed).")

    def failed(self, rule: str) -> bool:
        return any(f.level == ERROR and f.rule == rule for f in self.findings)


def finding(
    file_name: str,
    rule: str,
    message: str,
    level: str = ERROR,
    column: str | None = None,
    rows: Sequence[int] | None = None,
) -> Finding:
    """One finding on its own, built as a collector builds it, for a function that hands a single one back."""
    return Collector(file_name).bind(rule, column).add(level, message, rows)


def quote(value: object, limit: int = 60) -> str:
    """A value as the officer typed it, in single quotes, shortened, with control characters made visible."""
    if isinstance(value, pd.Timestamp) and value is not pd.NaT and value == value.normalize():
        value = value.date()  # '2025-09-30', not '2025-09-30 00:00:00'
    text = str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'"


def quote_list(values: Iterable[object]) -> str:
    return ", ".join(quote(v) for v in values)


def rows_label(positions: Sequence[int]) -> int | str | None:
    """1-based data rows for a finding: 4, or 'rows 3, 7, 9', or 'rows 3, 7, 9, 11, 12 and 40 more'."""
    rows = sorted({int(p) + 1 for p in positions})
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0]
    shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
    more = len(rows) - ROWS_SHOWN
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def clean_label(file_name: str) -> str:
    """The file name as a one-line label: control characters removed, length capped. Never used as a path."""
    return one_line(file_name, 120) or "(unnamed file)"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors, then warnings, then passes; the order of discovery within each."""
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


# ------------------------------------------------------------------------------------------------------------
# Reports
# ------------------------------------------------------------------------------------------------------------


def summary_line(findings: Sequence[Finding]) -> str:
    errors = sum(f.level == ERROR for f in findings)
    warnings = sum(f.level == WARNING for f in findings)
    passes = sum(f.level == PASS for f in findings)
    if errors:
        return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}: this file cannot be published."
    if warnings:
        return f"valid, with {plural(warnings, 'warning')} to confirm ({plural(passes, 'check')} passed)."
    return f"valid: all {plural(passes, 'check')} passed."


def render_report(findings: Sequence[Finding], file_name: str, dataset: str) -> str:
    """The report an officer reads: summary, then errors, warnings, passes, each with column, row, rule."""
    file_name = clean_label(file_name)
    lines = [f"Validation report for {quote(file_name, 120)} (dataset '{dataset}')", summary_line(findings), ""]
    headings = {ERROR: "Errors (must be fixed)", WARNING: "Warnings (confirm before publishing)", PASS: "Passed"}
    ordered = sort_findings(findings)
    for level in LEVELS:
        chosen = [f for f in ordered if f.level == level]
        if not chosen:
            continue
        lines.append(f"{headings[level]}:")
        for f in chosen:
            where = [f"file {quote(f.file, 120)}"]
            if f.column is not None:
                where.append(f"column '{f.column}'")
            if f.row is not None:
                where.append(f"row {f.row}" if isinstance(f.row, int) else str(f.row))
            lines.append(f"  {level.upper():7} [{f.rule}] {', '.join(where)}")
            lines.append(f"          {' '.join(f.message.split())}")
        lines.append("")
    lines.append(summary_line(findings))
    return "\n".join(lines)


def findings_frame(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table for the upload page: level, file, column, row, rule, message (all text)."""
    # Text before the frame is built: a column of whole row numbers and None would otherwise become floats ("2.0"),
    # and one dtype per column serialises to Arrow cleanly (row mixes numbers and "rows 3, 7").
    rows = [{k: "" if v is None else str(v) for k, v in asdict(f).items()} for f in sort_findings(findings)]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS).astype("str")

"""Templates and guidance for officers, generated from the contract's column specs and the catalogue.

A template is the file to fill in: the contract's headings, a row for every measure and every breakdown value the
catalogue allows (so the allowed values are in the file itself) with the figures left empty, and, in the .xlsx,
a sheet of allowed values and a sheet of guidance. Nothing here restates a rule: each line is read from
contract.column_specs, catalogue.MEASURES, catalogue.BREAKDOWN_TOPICS and catalogue.SYMBOLS.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from cpb_dash import board_notes, catalogue, periods
from cpb_dash.contract import SUM_TOLERANCE_FRACTIONAL, column_specs


def example_period(today: dt.date | None = None) -> dt.date:
    return periods.latest_complete_quarter_end(today or dt.date.today())


def template_frame(dataset: str, today: dt.date | None = None) -> pd.DataFrame:
    """The rows to fill in: for a count dataset, every measure's Total and each allowed breakdown value, figures
    empty; for the action plan, one example action."""
    period = example_period(today)
    columns = [s.name for s in column_specs(dataset)]
    if dataset == catalogue.ACTION_PLAN:
        priority = catalogue.PRIORITIES[min(catalogue.PRIORITIES)]
        example = {
            "period_end": period,
            "priority": min(catalogue.PRIORITIES),
            "objective": priority.objectives[0],
            "action_id": f"P{min(catalogue.PRIORITIES)}.01",
            "action": "(the action, in plain words)",
            "lead": "(a role, such as Head of Service)",
            "due_date": periods.shift_quarters(period, 2),
            "status": catalogue.ACTION_STATUSES[0],
            "progress_pct": 0,
            "anti_racist": False,
            "update": "(the latest update)",
        }
        return pd.DataFrame([example], columns=columns)
    if dataset == catalogue.TARGETS:
        return pd.DataFrame(
            [
                {
                    "period_end": period,
                    "indicator": "agency_pct",
                    "target": 15.0,
                    "amber_tolerance": 3.0,
                    "set_by": "(a role, such as Head of Workforce Development)",
                    "rationale": "(why this target, in plain words)",
                }
            ],
            columns=columns,
        )
    if dataset == catalogue.COMMENTARY:
        return pd.DataFrame(
            [
                {
                    "period_end": period,
                    "area": area,
                    "author_role": "(a role, such as Head of Service)",
                    "text": "(what the figures mean and what is being done, in plain words)",
                }
                for area in board_notes.COMMENTARY_AREAS
            ],
            columns=columns,
        )
    rows = []
    for measure in catalogue.measures_for(dataset):
        rows.append((period, measure.id, catalogue.TOTAL, catalogue.TOTAL))
        for topic in measure.topics:
            rows += [(period, measure.id, topic, value) for value in catalogue.BREAKDOWN_TOPICS[topic]]
    frame = pd.DataFrame(rows, columns=columns[:4])
    frame["value"] = None
    frame["symbol"] = None
    return frame[columns]


def template_csv(dataset: str, today: dt.date | None = None) -> bytes:
    frame = template_frame(dataset, today)
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")


def column_guide(dataset: str) -> pd.DataFrame:
    """One row per column: name, type, whether it may be empty, and the rule (from the contract's specs)."""
    return pd.DataFrame(
        [
            {"column": s.name, "type": s.kind, "may be empty": "no" if s.required else "yes", "rule": s.rule}
            for s in column_specs(dataset)
        ]
    )


def measure_guide(dataset: str) -> pd.DataFrame:
    """One row per measure of a count dataset: id, label, unit, when it is counted, breakdowns, definition."""
    return pd.DataFrame(
        [
            {
                "measure": m.id,
                "label": m.label,
                "unit": m.unit,
                "counted": m.reference,
                "breakdowns": ", ".join(m.topics) or "Total only",
                "definition": m.definition,
            }
            for m in catalogue.measures_for(dataset)
        ]
    )


def allowed_values(dataset: str) -> pd.DataFrame:
    """Every closed list a column draws from: column, value, meaning."""
    rows: list[dict[str, str]] = []
    if dataset == catalogue.ACTION_PLAN:
        rows += [{"column": "priority", "value": str(n), "meaning": p.title} for n, p in catalogue.PRIORITIES.items()]
        rows += [
            {"column": "objective", "value": o, "meaning": f"under priority {n}"}
            for n, p in catalogue.PRIORITIES.items()
            for o in p.objectives
        ]
        rows += [{"column": "status", "value": s, "meaning": ""} for s in catalogue.ACTION_STATUSES]
        rows += [{"column": "anti_racist", "value": v, "meaning": ""} for v in ("true", "false")]
        return pd.DataFrame(rows, columns=["column", "value", "meaning"])
    if dataset == catalogue.TARGETS:
        rows += [
            {
                "column": "indicator",
                "value": i.id,
                "meaning": f"{i.label} ({i.unit}; {'higher' if i.polarity == catalogue.HIGH else 'lower'} is better)",
            }
            for i in catalogue.INDICATORS.values()
            if i.polarity != catalogue.NEUTRAL
        ]
        return pd.DataFrame(rows, columns=["column", "value", "meaning"])
    if dataset == catalogue.COMMENTARY:
        rows += [
            {"column": "area", "value": a, "meaning": catalogue.DATASET_LABELS[a]} for a in board_notes.COMMENTARY_AREAS
        ]
        return pd.DataFrame(rows, columns=["column", "value", "meaning"])
    measures = catalogue.measures_for(dataset)
    rows += [{"column": "measure", "value": m.id, "meaning": f"{m.label} ({m.unit}, {m.reference})"} for m in measures]
    topics = list(dict.fromkeys(t for m in measures for t in m.topics))
    rows.append({"column": "breakdown_topic", "value": catalogue.TOTAL, "meaning": "the measure's headline figure"})
    for topic in topics:
        allowed_for = ", ".join(m.id for m in measures if topic in m.topics)
        rows.append({"column": "breakdown_topic", "value": topic, "meaning": f"for {allowed_for}"})
    rows.append({"column": "breakdown", "value": catalogue.TOTAL, "meaning": "with breakdown_topic Total"})
    for topic in topics:
        rows += [
            {"column": "breakdown", "value": v, "meaning": f"with breakdown_topic {topic}"}
            for v in catalogue.BREAKDOWN_TOPICS[topic]
        ]
    rows += [{"column": "symbol", "value": s, "meaning": meaning} for s, meaning in catalogue.SYMBOLS.items()]
    return pd.DataFrame(rows, columns=["column", "value", "meaning"])


def guidance_lines(dataset: str) -> list[str]:
    """The short rules an officer needs before filling a template, in plain words."""
    label = catalogue.DATASET_LABELS[dataset]
    lines = [
        f"One file holds one quarter of {label}: every row has the same period_end, a quarter end (30 June,"
        " 30 September, 31 December or 31 March) that has passed.",
        "Upload it as .xlsx (the sheet is found by its headings), CSV saved as 'CSV UTF-8', or parquet.",
    ]
    if dataset == catalogue.TARGETS:
        lines[0] = (
            "One file holds the targets that apply from one quarter: period_end is the first quarter end"
            " they are judged against. A later file replaces the targets it names; the others stand."
        )
        lines += [
            "One row per indicator, in the indicator's unit (15 for 15%). Green: the target is met; amber: it"
            " is missed by no more than amber_tolerance; red: missed by more.",
            "set_by is a role, not a name or e-mail address. Text is shown as plain text.",
        ]
    elif dataset == catalogue.COMMENTARY:
        lines += [
            f"One row per area; at most {board_notes.COMMENTARY_MAX:,} characters of plain text: what the"
            " figures mean and what is being done. It is shown as written, never as a web page, on the area's"
            " page, the Overview and the board pack.",
            "author_role is a role, not a name or e-mail address. Leave out an area with nothing to say.",
        ]
    elif dataset == catalogue.ACTION_PLAN:
        lines += [
            "One row per action; the action_id (like 'P1.03') stays the same every quarter.",
            "Text is shown as plain text, never as a web page: no formatting is needed.",
        ]
    else:
        lines += [
            "Every measure has one Total row (breakdown_topic 'Total', breakdown 'Total'): its headline figure.",
            "Breakdown rows add detail; each topic's rows must add up to the Total (FTE and days within"
            f" {SUM_TOLERANCE_FRACTIONAL:g}, for rounding).",
            "Give each figure in 'value'. Where a figure cannot be given, leave 'value' empty and put a symbol in"
            " 'symbol': "
            + ", ".join(f"{s} ({m.split(':')[0].lower()})" for s, m in catalogue.SYMBOLS.items())
            + ". Small numbers are hidden on the dashboard by itself: give the real figure.",
            "Counts only: never a name, a date of birth, a child's or worker's id.",
        ]
    return lines


def template_xlsx(dataset: str, today: dt.date | None = None) -> bytes:
    """The template as an Excel workbook: 'Data' to fill in (drop-down lists on the closed columns), 'Allowed
    values', 'Columns' and 'Guidance'."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    data = book.active
    data.title = "Data"
    frame = template_frame(dataset, today)
    data.append(list(frame.columns))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        data.append([None if v is None or (isinstance(v, float) and v != v) else v for v in record])
    for column_cells in data.iter_cols(min_row=2, max_row=data.max_row):
        for cell in column_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    allowed = allowed_values(dataset)
    listed = book.create_sheet("Allowed values")
    listed.append(["column", "value", "meaning"])
    for record in allowed.itertuples(index=False):
        listed.append(list(record))
    # Drop-down lists on the Data sheet, pointing at the allowed values (Excel's list-in-a-formula is too short).
    headings = list(frame.columns)
    for column in allowed["column"].unique():
        if column not in headings:
            continue
        positions = [i + 2 for i, c in enumerate(allowed["column"]) if c == column]
        letter = chr(ord("A") + headings.index(column))
        rule = DataValidation(
            type="list",
            formula1=f"='Allowed values'!$B${positions[0]}:$B${positions[-1]}",
            allow_blank=True,
            showErrorMessage=True,
            error=f"Choose one of the allowed values for {column} (see 'Allowed values').",
        )
        data.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{max(data.max_row, 2) + 500}")
    columns = book.create_sheet("Columns")
    guide = column_guide(dataset)
    columns.append(list(guide.columns))
    for record in guide.itertuples(index=False):
        columns.append(list(record))
    notes = book.create_sheet("Guidance")
    notes.append([f"{catalogue.DATASET_LABELS[dataset]}: how to fill in this template"])
    notes["A1"].font = Font(bold=True)
    for line in guidance_lines(dataset):
        notes.append([line])
    if dataset in catalogue.COUNT_DATASETS:
        notes.append([])
        notes.append(["Measures"])
        measures = measure_guide(dataset)
        notes.append(list(measures.columns))
        for record in measures.itertuples(index=False):
            notes.append(list(record))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_file_name(dataset: str, suffix: str) -> str:
    return f"{dataset}_template.{suffix}"

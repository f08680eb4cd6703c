"""Targets and commentary: the two small datasets officers write themselves, and what the board reads from them.

Both go through the same publish path as every snapshot (safe_read -> contract -> store, versioned and audited);
this module holds their columns and rules, so the shared contract and store only dispatch here.

- `targets`: one row per indicator, `period_end` being the first quarter end the target applies from. For a
  chosen quarter, an indicator's target is the row in the latest targets file on or before that quarter that
  names it: a later file replaces the targets it names and leaves the others standing.
- `commentary`: one row per area per quarter, plain text (shown as text, never as HTML or markdown), its author
  given as a role.

The rating is the council's own RAG (red, amber, green) convention for performance against a local target:
green when the target is met, amber when the figure misses it by no more than the amber tolerance, red beyond.
Where there is no target, the verdict is the standing against the chosen comparator and the DfE's quartile band
(LAIT's A to D), never the change over time: a figure can improve and still be among the worst in England.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cpb_dash import catalogue
from cpb_dash.findings import Collector, plural, quote, quote_list
from cpb_dash.schema import COMMENTARY_AREAS, COMMENTARY_MAX, RATIONALE_MAX, ROLE_MAX, columns_for

# This module imports nothing from the contract (the contract imports it): it reports through the contract's
# collector. Columns, kinds and limits are the schema's.

TARGETS = catalogue.TARGETS
COMMENTARY = catalogue.COMMENTARY
DATASETS: tuple[str, ...] = (TARGETS, COMMENTARY)
TARGET_COLUMNS = columns_for(TARGETS)
COMMENTARY_COLUMNS = columns_for(COMMENTARY)


def normalise(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    if dataset == TARGETS:
        for column in ("target", "amber_tolerance"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Validation (called by contract.validate_frame after the shared column, type, required and period rules)
# ---------------------------------------------------------------------------------------------------------------


def check(typed: pd.DataFrame, dataset: str, usable: set[str], say: Collector) -> None:
    """This dataset's own rules over the typed frame, reported through the file's collector."""
    start = len(say.findings)

    def error(column: str, positions: np.ndarray, rule: str, message: str) -> None:
        say.bind(rule, column).error(message, positions)

    def check_once(column: str, what: str) -> None:
        values = typed[column].map(lambda v: v.strip() if isinstance(v, str) else v)
        dup = values.notna() & values.duplicated(keep=False)
        positions = np.flatnonzero(dup.to_numpy())
        if len(positions):
            first = values.iloc[int(positions[0])]
            error(
                column,
                positions,
                f"{column}_once",
                f"{quote(first)} appears on more than one row: give each {what} once per file.",
            )

    def check_role(column: str) -> None:
        text = typed[column].map(lambda v: v if isinstance(v, str) else "")
        bad = text.str.contains("@") | (text.str.len() > ROLE_MAX)
        positions = np.flatnonzero(bad.to_numpy())
        if len(positions):
            error(
                column,
                positions,
                "role_not_person",
                f"'{column}' must be a role such as 'Head of Corporate Parenting', at most {ROLE_MAX} characters,"
                f" not an e-mail address or a person's name (found {quote(text.iloc[int(positions[0])], 40)}).",
            )

    def check_length(column: str, limit: int) -> None:
        lengths = typed[column].map(lambda v: len(v) if isinstance(v, str) else 0)
        positions = np.flatnonzero((lengths > limit).to_numpy())
        if len(positions):
            error(
                column,
                positions,
                "text_length",
                f"'{column}' is longer than {limit:,} characters in"
                f" {plural(len(positions), 'row')} (the longest has {int(lengths.max()):,}). Shorten it to"
                f" {limit:,} characters or fewer.",
            )

    if dataset == TARGETS:
        if "indicator" in usable:
            ids = typed["indicator"].map(lambda v: v.strip() if isinstance(v, str) else v)
            unknown = ids.notna() & ~ids.isin(list(catalogue.INDICATORS))
            positions = np.flatnonzero(unknown.to_numpy())
            if len(positions):
                error(
                    "indicator",
                    positions,
                    "indicator_known",
                    f"{quote(ids.iloc[int(positions[0])])} is not an indicator id. Accepted: the ids in About the"
                    f" data > Definitions, such as {quote_list(list(catalogue.HEADLINE_ORDER['workforce'])[:3])}.",
                )
            neutral = ids.isin([i.id for i in catalogue.INDICATORS.values() if i.polarity == catalogue.NEUTRAL])
            positions = np.flatnonzero(neutral.to_numpy())
            if len(positions):
                error(
                    "indicator",
                    positions,
                    "indicator_has_direction",
                    f"{quote(ids.iloc[int(positions[0])])} is"
                    " context, not performance (neither higher nor lower is better), so it cannot have a target.",
                )
            check_once("indicator", "indicator")
        for column in ("target", "amber_tolerance"):
            if column in usable:
                negative = typed[column].notna() & (pd.to_numeric(typed[column], errors="coerce") < 0)
                positions = np.flatnonzero(negative.to_numpy())
                if len(positions):
                    error(column, positions, "non_negative", f"'{column}' must be 0 or more.")
        if {"indicator", "target"} <= usable:
            units = typed["indicator"].map(
                lambda v: catalogue.INDICATORS[v].unit if isinstance(v, str) and v in catalogue.INDICATORS else ""
            )
            over = (units == "%") & (pd.to_numeric(typed["target"], errors="coerce") > 100)
            positions = np.flatnonzero(over.to_numpy())
            if len(positions):
                error("target", positions, "target_percent", "A percentage target is from 0 to 100 (15 for 15%).")
        if "set_by" in usable:
            check_role("set_by")
        if "rationale" in usable:
            check_length("rationale", RATIONALE_MAX)
    else:
        if "area" in usable:
            areas = typed["area"].map(lambda v: v.strip() if isinstance(v, str) else v)
            unknown = areas.notna() & ~areas.isin(list(COMMENTARY_AREAS))
            positions = np.flatnonzero(unknown.to_numpy())
            if len(positions):
                error(
                    "area",
                    positions,
                    "area_known",
                    f"{quote(areas.iloc[int(positions[0])])} is not an area."
                    " Accepted: " + ", ".join(f"'{a}' ({catalogue.DATASET_LABELS[a]})" for a in COMMENTARY_AREAS) + ".",
                )
            check_once("area", "area")
        if "author_role" in usable:
            check_role("author_role")
        if "text" in usable:
            check_length("text", COMMENTARY_MAX)
    if len(say.findings) == start:
        say.bind(f"{dataset}_rules").passed(
            "Every row names a known, distinct "
            + (
                "indicator with a target of 0 or more, set by a role."
                if dataset == TARGETS
                else f"area, with its author's role and at most {COMMENTARY_MAX:,} characters of plain text."
            )
        )


# ---------------------------------------------------------------------------------------------------------------
# Reading: the target in force, the rating, the standing, the commentary
# ---------------------------------------------------------------------------------------------------------------

RED, AMBER, GREEN, GREY = "red", "amber", "green", "gray"


@dataclass(frozen=True)
class Target:
    indicator: str
    applies_from: object  # a date
    value: float
    amber_tolerance: float
    set_by: str
    rationale: str


def target_for(targets: pd.DataFrame, indicator_id: str, period_end: object) -> Target | None:
    """The target in force for an indicator at a quarter end: from the latest file on or before it naming it."""
    if targets is None or targets.empty:
        return None
    rows = targets[
        (targets["indicator"].astype(str).str.strip() == indicator_id)
        & (targets["period_end"] <= pd.Timestamp(period_end))
    ]
    if rows.empty:
        return None
    row = rows.sort_values("period_end").iloc[-1]
    tolerance = float(row["amber_tolerance"]) if pd.notna(row["amber_tolerance"]) else 0.0
    return Target(
        indicator_id,
        pd.Timestamp(row["period_end"]).date(),
        float(row["target"]),
        tolerance,
        str(row["set_by"]),
        str(row["rationale"]) if isinstance(row["rationale"], str) else "",
    )


@dataclass(frozen=True)
class Rating:
    colour: str  # RED, AMBER, GREEN or GREY (no verdict)
    words: str  # always shown beside the colour: "Red: missed the target of 15.0% or less"
    basis: str  # "target" or "comparator"


def rate(value: float | None, target: Target, polarity: str, shown: str, dps: int | None = None) -> Rating:
    """RAG against a target. `shown` is the target formatted in the indicator's unit. With `dps`, the figure is
    judged as shown (rounded half up to those decimals), so a card never reads '95%' and 'short of 95%'."""
    aim = "or more" if polarity == catalogue.HIGH else "or less"
    if value is None or pd.isna(value):
        return Rating(GREY, f"No rating: no figure to judge against the target of {shown} {aim}", "target")
    if dps is not None:
        from cpb_dash.formatting import round_half_up

        value = float(round_half_up(value, dps))
    gap = (target.value - value) if polarity == catalogue.HIGH else (value - target.value)  # > 0: short of it
    gap = round(gap, 9)
    if gap <= 0:
        return Rating(GREEN, f"Green: on target ({shown} {aim})", "target")
    if gap <= target.amber_tolerance:
        return Rating(AMBER, f"Amber: close to the target of {shown} {aim}", "target")
    return Rating(RED, f"Red: off target ({shown} {aim})", "target")


BAND_WORDS = {
    "A": "top quarter of councils",
    "B": "second quarter of councils",
    "C": "third quarter of councils",
    "D": "bottom quarter of councils",
}


def standing(
    value: float | None, comparator_name: str, comparator_value: float | None, band: str | None, polarity: str, dps: int
) -> Rating | None:
    """Where Hackney stands without a target: better or worse than the comparator, and its quartile band."""
    if polarity not in (catalogue.HIGH, catalogue.LOW) or value is None or pd.isna(value):
        return None
    parts = []
    colour = GREY
    if comparator_value is not None and not pd.isna(comparator_value):
        # Compared at the decimals shown, so "worse" never rests on a difference nobody can see.
        mine, theirs = round(float(value), dps), round(float(comparator_value), dps)
        short = comparator_name.split(" (")[0]
        if mine == theirs:
            parts.append(f"the same as {short}")
            colour = AMBER
        else:
            better = mine > theirs if polarity == catalogue.HIGH else mine < theirs
            parts.append(f"{'better' if better else 'worse'} than {short}")
            colour = GREEN if better else RED
    if band in BAND_WORDS:
        parts.append(BAND_WORDS[band])
        if colour == GREY:
            colour = GREEN if band == "A" else RED if band == "D" else AMBER
    if not parts:
        return None
    text = ", ".join(parts)
    return Rating(colour, text[0].upper() + text[1:], "comparator")


def commentary_for(commentary: pd.DataFrame, area: str, period_end: object) -> tuple[str, str] | None:
    """(text, author role) of an area's commentary for exactly that quarter, or None."""
    if commentary is None or commentary.empty:
        return None
    rows = commentary[
        (commentary["area"].astype(str).str.strip() == area) & (commentary["period_end"] == pd.Timestamp(period_end))
    ]
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return str(row["text"]), str(row["author_role"])


def rows_dropped(current: pd.DataFrame, new: pd.DataFrame, dataset: str, period_end: object) -> list[str]:
    """The areas (commentary) or indicators (targets) the current version for the quarter has and the new file
    does not: a revision replaces the whole file, so these would disappear."""
    key = "indicator" if dataset == TARGETS else "area"
    if current is None or current.empty or new is None or key not in new.columns:
        return []
    mine = current[current["period_end"] == pd.Timestamp(period_end)]
    kept = {str(v).strip() for v in new[key].dropna()}
    return sorted({str(v).strip() for v in mine[key].dropna()} - kept)

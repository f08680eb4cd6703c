"""About the data: definitions of every indicator and measure, and the versions in use."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.views.bundle import Bundle, computed_once, per_bundle

POLARITY_WORDS = {
    catalogue.HIGH: "Higher is better",
    catalogue.LOW: "Lower is better",
    catalogue.NEUTRAL: "Neither higher nor lower is better: it gives context, so it has no rank or band",
}


REFERENCE_WORDS = {
    catalogue.AT_PERIOD_END: "on the last day of the quarter",
    catalogue.IN_QUARTER: "during the quarter",
    catalogue.TWELVE_MONTHS: "in the 12 months to the last day of the quarter",
    catalogue.ANNUAL_31_MARCH: "once a year, at 31 March (in the 31 March quarter's file)",
    catalogue.THREE_YEARS: "in the 3 years to the last day of the quarter",
}


def formula_text(indicator: catalogue.Indicator) -> str:
    """How the indicator is worked out, in words, from the catalogue's own formula."""
    numerator = catalogue.MEASURES[indicator.numerator].label
    if not indicator.is_ratio:
        return f"{numerator}, as uploaded (a count)"
    denominator = " + ".join(catalogue.MEASURES[m].label for m in indicator.denominator)
    if indicator.denominator_factor != 1:
        leap = (
            f", or {indicator.leap_year_factor:g} when the 12 months include 29 February"
            if indicator.leap_year_factor is not None
            else ""
        )
        denominator = f"({denominator} × {indicator.denominator_factor:g} working days{leap})"
    elif len(indicator.denominator) > 1:
        denominator = f"({denominator})"
    scale = {100: " × 100", 10_000: " × 10,000"}.get(int(indicator.scale), "")
    return f"{numerator} ÷ {denominator}{scale}"


def comparator_text(indicator: catalogue.Indicator) -> str:
    if not indicator.published:
        return "No published comparator: a local measure"
    when = indicator.reference_date
    return f"Published comparator: the DfE's figure {'for the' if when.startswith('year') else 'at'} {when} each year"


def decimals_text(indicator: catalogue.Indicator) -> str:
    if indicator.dps == 0:
        return "shown as a whole number"
    return f"shown to {indicator.dps} decimal place{'' if indicator.dps == 1 else 's'}"


def source_title(url: str) -> str:
    """A link's words from its address: '.../children-s-social-work-workforce' -> 'Children's social work
    workforce' (DfE, Explore education statistics)."""
    if not url:
        return ""
    if url in catalogue.SOURCE_TITLES:
        return catalogue.SOURCE_TITLES[url]
    slug = url.rstrip("/").rsplit("/", 1)[-1].replace("-s-", "'s ").replace("-", " ").replace("england", "England")
    where = (
        "DfE, Explore education statistics"
        if "explore-education-statistics" in url
        else "DfE, GOV.UK"
        if "www.gov.uk" in url
        else "ONS"
    )
    return f"{slug[:1].upper()}{slug[1:]} ({where})"


@computed_once
def indicator_definitions() -> pd.DataFrame:
    """Every catalogue indicator, as About the data shows it (and downloads it)."""
    rows = []
    for ind in catalogue.INDICATORS.values():
        rows.append(
            {
                "Area": catalogue.DATASET_LABELS[ind.area],
                "Indicator": ind.label,
                "Shown as": ind.short_label,
                "Definition": ind.definition,
                "Worked out as": formula_text(ind),
                "Unit": ind.unit,
                "Decimal places": ind.dps,
                "Direction": POLARITY_WORDS[ind.polarity],
                "Published comparator": comparator_text(ind),
                "Source": ind.source,
            }
        )
    return pd.DataFrame(rows)


@computed_once
def measure_definitions() -> pd.DataFrame:
    """Every measure officers upload: dataset, id, label, unit, when it is counted, breakdowns, definition."""
    rows = []
    for m in catalogue.MEASURES.values():
        rows.append(
            {
                "Dataset": catalogue.DATASET_LABELS[m.dataset],
                "Measure id": m.id,
                "Measure": m.label,
                "Unit": m.unit,
                "Counted": REFERENCE_WORDS.get(m.reference, m.reference),
                "Breakdowns": ", ".join(m.topics) or "Total only",
                "Definition": m.definition,
                "Source": m.source,
            }
        )
    return pd.DataFrame(rows)


@per_bundle
def versions_in_use(bundle: Bundle, period_end: dt.date | None = None) -> pd.DataFrame:
    """The snapshot versions the figures come from: dataset, quarter, version (the file's hash, shortened)."""
    versions = bundle.versions
    if period_end is not None:
        versions = versions[versions["period_end"] == pd.Timestamp(period_end)]
    versions = versions.sort_values(["period_end", "dataset"], ascending=[False, True])
    return pd.DataFrame(
        {
            "Dataset": [catalogue.DATASET_LABELS.get(d, d) for d in versions["dataset"]],
            "Quarter": [periods.quarter_label(d.date()) for d in versions["period_end"]],
            "Version": [str(v)[:12] for v in versions["version"]],
        }
    ).reset_index(drop=True)

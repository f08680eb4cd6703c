"""The board pack: one self-contained, printable HTML document for a quarter. No streamlit.

It holds what a councillor reads before the meeting: the overview's headlines and sentences (the same view models
the Overview draws), each area's trend charts as static SVG images (the same chart builders the pages use,
rendered by vl-convert), the comparators and their reference dates, the actions that need attention, the
suppression rule and the snapshot versions the figures came from. The HTML comes from the Jinja2 templates in
templates_pack/, autoescaped: every piece of text from the data is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from cpb_dash import benchmarks, catalogue, charts, periods, views
from cpb_dash.chart_svg import render as render_svg
from cpb_dash.formatting import format_value
from cpb_dash.views import Bundle, HeadlineView

CHART_WIDTH = 620  # px: fits the A4 text block (about 170 mm) at print scale
CHROMIUM = "/usr/bin/chromium"

VERDICT_CLASS = {"better": "better", "worse": "worse"}

# The pack's HTML comes from Jinja2 templates shipped in the package, with autoescaping on: every value from the
# data (officers' commentary, action text, leads, labels) is escaped where the template places it, and nothing
# officer-supplied is ever marked safe. StrictUndefined: a misspelt name fails loudly, not as an empty cell.
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("cpb_dash", "templates_pack"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_SECTIONS = _ENV.get_template("sections.html.j2").module  # macros: each returns escaped markup (markupsafe.Markup)


@dataclass(frozen=True)
class _Verdict:
    """A table cell whose colour carries the verdict; the verdict word travels with it for black-and-white print."""

    text: str
    word: str | None
    kind: str = "verdict"


@dataclass(frozen=True)
class _ActionCell:
    action_id: str
    priority: object
    anti: str
    action: str
    lead: str
    kind: str = "action"


@dataclass(frozen=True)
class _DueCell:
    due: str
    overdue: bool
    kind: str = "due"


@dataclass(frozen=True)
class _UpdateCell:
    text: str
    kind: str = "update"


def _verdict(text: str, verdict: str) -> _Verdict:
    return _Verdict(text, VERDICT_CLASS.get(verdict))


# ---------------------------------------------------------------------------------------------------------------
# Charts as static images
# ---------------------------------------------------------------------------------------------------------------


def chart_svg(chart) -> str:
    """An Altair chart as SVG text at the pack's fixed width, drawn as the pages draw theirs (chart_svg.render:
    long labels broken onto lines, one drawing per chart shared with every later pack)."""
    return render_svg(charts.to_spec(chart), CHART_WIDTH)


def _figure(svg: str, alt_text: str, caption: str) -> str:
    # The SVG we rendered travels base64-encoded in an <img> data URI, never as markup in the page: nothing needs
    # marking safe, and any script in an SVG image never runs.
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return _SECTIONS.figure(data, alt_text, caption)


def trend_figure(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> str:
    """The page's trend chart for one indicator (views.trend_figure: the same chart, subtitle and sentence)."""
    figure = views.trend_figure(bundle, indicator_id, period_end, comparator)
    if figure is None:
        return _SECTIONS.no_figures(catalogue.INDICATORS[indicator_id].label.lower())
    return _figure(chart_svg(figure.chart()), figure.alt_text, figure.description)


def progress_figure(actions: pd.DataFrame, period_end: dt.date) -> str:
    """The Action plan page's progress chart: actions by priority and status, with a sentence per priority."""
    title = f"Actions by priority and status, {periods.quarter_label(period_end)}"
    chart = charts.stacked_status(
        views.status_counts(actions), title, subtitle="Number of actions in each status; labels give the count"
    )
    description = views.describe_priority_progress(actions)
    return _figure(chart_svg(chart), f"{title}. {description}", description)


# ---------------------------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------------------------


def _title_page(period_end: dt.date, comparator: str, produced: dt.date) -> str:
    return _SECTIONS.title_page(
        periods.quarter_label(period_end),
        periods.stock_label(period_end),
        _compared_with(comparator),
        periods.long_date(produced),
        [catalogue.DATASET_LABELS[a] for a in catalogue.COUNT_DATASETS],
    )


def _compared_with(comparator: str) -> str:
    """The cover's comparator line: England once, never 'England, and England'."""
    if comparator == "England":
        return "England (every published comparator is in the comparators section)"
    return f"{catalogue.COMPARATORS[comparator]}, and England in the comparators section"


def _commentary(bundle: Bundle, area: str, period_end: dt.date) -> str:
    """The officers' commentary for an area and quarter, escaped: it is shown as written, never as markup."""
    found = views.commentary(bundle, area, period_end)
    if found is None:
        return ""
    text, role = found
    return _SECTIONS.commentary(text, role)


def _change_words(text: str, verdict: str) -> str:
    word = VERDICT_CLASS.get(verdict)
    return f"{text} ({word})" if word else text


def _rating_text(view: HeadlineView) -> str:
    return view.rating.words if view.rating is not None else "Context: not rated"


def _comparison_text(view: HeadlineView) -> str:
    ind = view.indicator
    if view.comparison is None:
        if not ind.published:
            return "Local measure: no published comparator"
        if not ind.is_ratio:
            return "A count: compare the rate, not the number"
        return "No published figure"
    comp = view.comparison
    text = f"{comp.name}: {comp.shown} ({comp.date_label})"
    if view.rank is not None and view.rank[0] is not None:
        rank, of, band = view.rank
        text += f"; Hackney ranked {rank} of {of}" + (f", quartile band {band}" if band else "")
    return text


def _area_quarter(bundle: Bundle, area: str, chosen: dt.date) -> tuple[dt.date, str]:
    """The quarter an area shows (its latest published on or before the chosen one) and, when that is earlier,
    a paragraph saying so, as the pages do."""
    shown = views.area_period(bundle, area, chosen) or chosen
    if shown == chosen:
        return chosen, ""
    return shown, _SECTIONS.note(periods.short_quarter_label(shown), periods.short_quarter_label(chosen))


def _annual_when(view: views.HeadlineView) -> str:
    """' at 31 March 2025 (annual)' after a figure counted once a year, whose date is not the column's."""
    return f" {view.when}" if view.indicator.reference == catalogue.ANNUAL_31_MARCH else ""


def _overview(bundle: Bundle, period_end: dt.date, comparator: str) -> str:
    chosen = period_end
    areas = []
    for area in catalogue.COUNT_DATASETS:
        period_end, note = _area_quarter(bundle, area, chosen)
        head_views = views.area_headlines(bundle, area, period_end, comparator)
        # Colour is the verdict's alone; the changes over time say better or worse in words, uncoloured.
        rows = [
            (
                v.indicator.label,
                v.figure + _annual_when(v),
                _rating_text(v),
                _change_words(v.quarter_change, v.quarter_verdict),
                _change_words(v.year_change, v.year_verdict),
                _comparison_text(v),
            )
            for v in head_views
        ]
        headers = [
            "Measure",
            f"Figure ({periods.stock_label(period_end)})",
            "Verdict (against the target, or else the comparator)",
            "Since last quarter",
            "Since last year",
            "Comparator",
        ]
        areas.append(
            {
                "label": catalogue.DATASET_LABELS[area],
                "note": note,
                "headers": headers,
                "rows": rows,
                "sentences": [v.sentence for v in head_views],
                "commentary": _commentary(bundle, area, period_end),
            }
        )
    period_end, note = _area_quarter(bundle, catalogue.ACTION_PLAN, chosen)
    summary = views.plan_summary(bundle, period_end)
    plan = {
        "label": catalogue.DATASET_LABELS[catalogue.ACTION_PLAN],
        "note": note,
        "summary": summary,
        "commentary": _commentary(bundle, catalogue.ACTION_PLAN, period_end) if summary is not None else "",
    }
    return _SECTIONS.overview(periods.quarter_label(chosen), areas, plan)


def _area_charts(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> str:
    period_end, note = _area_quarter(bundle, area, period_end)
    figures = [
        (catalogue.INDICATORS[i].label, trend_figure(bundle, i, period_end, comparator))
        for i in catalogue.HEADLINE_ORDER[area]
    ]
    return _SECTIONS.area_charts(
        f"charts-{area}",
        catalogue.DATASET_LABELS[area],
        note,
        figures,
        _other_measures(bundle, area, period_end, comparator),
    )


def _other_measures(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> dict | None:
    """The area's indicators that are not headlines, in one table: every measure the page shows is in the pack."""
    others = [
        i.id
        for i in catalogue.indicators_for(area)
        if i.id not in catalogue.HEADLINE_ORDER[area] and i.measure.recorded_by(period_end)
    ]
    if not others:
        return None
    head_views = [views.headline_view(bundle, i, period_end, comparator) for i in others]
    rows = [
        (v.indicator.label, f"{v.figure} {v.when}", _verdict(v.year_change, v.year_verdict), _comparison_text(v))
        for v in head_views
    ]
    return {"rows": rows, "sentences": [v.sentence for v in head_views]}


def _comparators(bundle: Bundle, period_end: dt.date) -> str:
    rows = []
    for area in catalogue.COUNT_DATASETS:
        for indicator_id in catalogue.HEADLINE_ORDER[area]:
            ind = catalogue.INDICATORS[indicator_id]
            if not (ind.published and ind.is_ratio):
                continue
            found = {key: views.comparison(bundle, indicator_id, period_end, key) for key in catalogue.COMPARATORS}
            date = next((c.date_label for c in found.values() if c is not None), "")
            rank = None
            any_comp = next((c for c in found.values() if c is not None), None)
            if any_comp is not None and any_comp.year is not None:
                rank = benchmarks.rank_and_quartile(
                    bundle.benchmarks, indicator_id, any_comp.year, polarity=ind.polarity
                )
            rank_text = (
                ""
                if rank is None or rank[0] is None
                else f"{rank[0]} of {rank[1]}" + (f" ({rank[2]})" if rank[2] else "")
            )
            hackney = views.headline_view(bundle, indicator_id, period_end, catalogue.DEFAULT_COMPARATOR).figure
            shown = [(c.shown if c is not None else "") for c in found.values()]
            rows.append((ind.label, date, hackney, *shown, rank_text))
    headers = [
        "Measure",
        "Published at",
        f"Hackney ({periods.short_quarter_label(period_end)})",
        *catalogue.COMPARATORS.values(),
        "Hackney's rank (quartile band)",
    ]
    return _SECTIONS.comparators(headers, rows, list(range(2, 3 + len(catalogue.COMPARATORS))))


ATTENTION_HEADERS = ["Action and lead", "Due", "Status", "Latest update"]
ATTENTION_WIDTHS = (34, 14, 12, 40)  # per cent of the table: the update text needs the room


def _action_rows(rows: pd.DataFrame) -> list[tuple]:
    out = []
    for row in rows.itertuples(index=False):
        due = periods.long_date(pd.Timestamp(row.due_date).date()) if pd.notna(row.due_date) else ""
        status = row.status
        if not pd.isna(row.progress_pct):
            status += f" ({format_value(float(row.progress_pct), '%', 0)} done)"
        anti = " · anti-racist commitment" if row.anti_racist else ""
        action = _ActionCell(row.action_id, row.priority, anti, row.action, row.lead)
        out.append((action, _DueCell(due, bool(row.overdue)), status, _UpdateCell(row.update)))
    return out


def _actions(bundle: Bundle, period_end: dt.date) -> str:
    period_end, note = _area_quarter(bundle, catalogue.ACTION_PLAN, period_end)
    rows = views.actions_at(bundle, period_end)
    if rows.empty:
        return _SECTIONS.actions(note, None, [], "", None, ATTENTION_HEADERS, ATTENTION_WIDTHS)
    summary = views.plan_summary(bundle, period_end)
    groups = [
        ("Off track", rows[rows["status"] == "Off track"]),
        ("At risk", rows[rows["status"] == "At risk"]),
        (
            "Overdue (other actions past their due date and not complete)",
            rows[rows["overdue"] & ~rows["status"].isin(["At risk", "Off track"])],
        ),
    ]
    return _SECTIONS.actions(
        note,
        summary.sentence if summary is not None else None,
        [(n, p.title) for n, p in catalogue.PRIORITIES.items()],
        progress_figure(rows, period_end),
        [(title, _action_rows(group)) for title, group in groups],
        ATTENTION_HEADERS,
        ATTENTION_WIDTHS,
    )


def _versions(bundle: Bundle, period_end: dt.date) -> list[tuple[str, str, str]]:
    """A short appendix: one row per dataset, its quarters, and the version (first 12 characters of the file's
    SHA-256, as the publishing history shows it) of the quarter this pack shows. The full list of every quarter's
    version is in the dashboard's publishing history."""
    versions = bundle.versions[bundle.versions["period_end"] <= pd.Timestamp(period_end)]
    rows = []
    for dataset, group in versions.sort_values(["dataset", "period_end"]).groupby("dataset", sort=False):
        last = group.iloc[-1]
        first_q = periods.short_quarter_label(group["period_end"].iloc[0].date())
        last_q = periods.short_quarter_label(last["period_end"].date())
        rows.append(
            (
                catalogue.DATASET_LABELS.get(dataset, dataset),
                f"{len(group)}: {first_q} to {last_q}",
                f"{last_q}: {str(last['version'])[:12]}",
            )
        )
    return rows


def _appendix(bundle: Bundle, period_end: dt.date) -> str:
    return _SECTIONS.appendix(_versions(bundle, period_end))


def _table_of(frame: pd.DataFrame) -> dict:
    """A view's display table for the template: its headers, rows, and every column after the first as numbers."""
    return {
        "headers": list(frame.columns),
        "rows": list(frame.itertuples(index=False)),
        "numeric": list(range(1, len(frame.columns))),
    }


def _ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """The anti-racist evidence: children in care by ethnicity against the child population, disproportionality
    over time, and who holds each social work grade, each with its finding in words."""
    care_period, care_note = _area_quarter(bundle, "care_population", period_end)
    care = trend_part = workforce = None
    rows = views.ethnicity_against_population(bundle, care_period)
    if not rows.empty:
        care = {"finding": views.describe_ethnicity(rows), **_table_of(views.ethnicity_table(rows))}
    trend = views.disproportionality_trend(bundle, care_period)
    if not trend.empty:
        trend_part = {
            "finding": views.describe_disproportionality_trend(trend),
            **_table_of(views.disproportionality_trend_table(trend)),
        }
    wf_period, wf_note = _area_quarter(bundle, "workforce", period_end)
    table = views.workforce_ethnicity_table(bundle, wf_period)
    if not table.empty:
        workforce = {
            "note": wf_note,
            "finding": views.describe_role_ethnicity(bundle, wf_period),
            **_table_of(table),
        }
    return _SECTIONS.ethnicity(care_note, care, trend_part, workforce)


def _about(bundle: Bundle, period_end: dt.date) -> str:
    return _SECTIONS.about(
        catalogue.SUPPRESSION_RULE.format(threshold=bundle.threshold),
        list(catalogue.SYMBOLS.items()),
        catalogue.SN_MODEL_YEAR,
        ", ".join(catalogue.STATISTICAL_NEIGHBOURS),
    )


def build_pack(
    bundle: Bundle, period_end: dt.date, comparator: str = catalogue.DEFAULT_COMPARATOR, produced: dt.date | None = None
) -> str:
    """The board pack for one quarter as a complete HTML document (UTF-8 text)."""
    if period_end not in bundle.periods:
        raise ValueError(f"There are no figures for {period_end.isoformat()}: choose a published quarter end.")
    if comparator not in catalogue.COMPARATORS:
        raise ValueError(f"'{comparator}' is not a comparator: choose one of {', '.join(catalogue.COMPARATORS)}.")
    produced = produced or dt.date.today()
    sections = [
        _title_page(period_end, comparator, produced),
        _overview(bundle, period_end, comparator),
        *(_area_charts(bundle, area, period_end, comparator) for area in catalogue.COUNT_DATASETS),
        _ethnicity(bundle, period_end),
        _comparators(bundle, period_end),
        _actions(bundle, period_end),
        _about(bundle, period_end),
        _appendix(bundle, period_end),
    ]
    # Each section is markupsafe.Markup from a macro above, so the page template places it without escaping twice.
    return _ENV.get_template("pack.html.j2").render(
        title=f"Hackney Corporate Parenting Board: board pack, {periods.quarter_label(period_end)}",
        sections=sections,
        produced=periods.long_date(produced),
    )


def pack_file_name(period_end: dt.date) -> str:
    return f"hackney-cpb-board-pack-{period_end.isoformat()}.html"


def print_to_pdf(html_path: Path, pdf_path: Path, chromium: str = CHROMIUM, timeout: float = 120) -> None:
    """Print the HTML pack to PDF with headless Chromium (its A4 print CSS applies). Raises OSError if it fails."""
    if not Path(chromium).exists() and shutil.which(chromium) is None:
        raise OSError(f"Chromium was not found at {chromium}: write an .html pack and print it from a browser.")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_path}",
                html_path.resolve().as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    if result.returncode != 0 or not pdf_path.exists():
        raise OSError(f"Chromium could not print the pack: {result.stderr.decode(errors='replace')[-500:]}")

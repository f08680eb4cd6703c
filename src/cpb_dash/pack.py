"""The board pack: one self-contained, printable HTML document for a quarter. No streamlit.

It holds what a councillor reads before the meeting: the overview's headlines and sentences (the same view models
the Overview draws), each area's trend charts as static SVG images (the same chart builders the pages use,
rendered by vl-convert), the comparators and their reference dates, the actions that need attention, the
suppression rule and the snapshot versions the figures came from. Every piece of text from the data is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from cpb_dash import benchmarks, catalogue, charts, periods, views
from cpb_dash.formatting import format_value
from cpb_dash.views import Bundle, HeadlineView

CHART_WIDTH = 620  # px: fits the A4 text block (about 170 mm) at print scale
CHROMIUM = "/usr/bin/chromium"

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
* { box-sizing: border-box; }
html { font-family: Arial, "Helvetica Neue", "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.4;
       color: #1B1F24; background: #fff; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1 { font-size: 24pt; margin: 0 0 6mm; line-height: 1.15; }
h2 { font-size: 17pt; margin: 0 0 4mm; padding-bottom: 1.5mm; border-bottom: 2px solid #005A9C; }
h3 { font-size: 13pt; margin: 6mm 0 2mm; }
h4 { font-size: 11pt; margin: 3mm 0 1mm; }
p, li { orphans: 3; widows: 3; }
a { color: #005A9C; }
section { break-before: page; page-break-before: always; }
section.title-page { break-before: auto; page-break-before: auto; min-height: 230mm; display: flex;
                     flex-direction: column; justify-content: center; }
.title-page .organisation { font-size: 14pt; font-weight: bold; color: #005A9C; margin-bottom: 4mm; }
.title-page .quarter { font-size: 18pt; margin: 0 0 8mm; }
.title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; margin: 0 0 8mm; }
.title-page dt { font-weight: bold; }
.title-page dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 5mm; font-size: 10pt; }
table.fixed { table-layout: fixed; }
.versions { columns: 3; column-gap: 6mm; font-size: 8.5pt; list-style: none; padding: 0; margin: 1mm 0 4mm; }
.versions li { break-inside: avoid; }
.versions code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
thead { display: table-header-group; }  /* repeat the header row on every printed page */
tr, img, figure { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #B8C0CC; padding: 1.2mm 1.6mm; hyphens: manual; text-align: left; vertical-align: top; }
th { background: #F2F4F7; }
td.num { text-align: right; }
caption { text-align: left; font-weight: bold; margin-bottom: 1.5mm; }
.better { color: #006B3F; }
.worse { color: #A4262C; }
.muted { color: #4A5563; }
figure { margin: 4mm 0 6mm; }
figure img { display: block; width: 100%; max-width: 170mm; height: auto; }
figcaption { font-size: 10pt; color: #1B1F24; margin-top: 1.5mm; }
ul.sentences li { margin-bottom: 1.5mm; }
.update { white-space: pre-wrap; overflow-wrap: break-word; }
.commentary { border-left: 3px solid #005A9C; padding: 0 0 0 3mm; margin: 2mm 0 5mm; break-inside: avoid; }
.commentary-title { font-weight: bold; margin: 0 0 1mm; }
h3 { break-after: avoid; page-break-after: avoid; }
footer { margin-top: 8mm; font-size: 9pt; color: #4A5563; }
@media screen { body { padding: 8mm 4mm; } section { border-top: 1px dashed #B8C0CC; padding-top: 8mm;
                margin-top: 8mm; } section.title-page { border-top: 0; min-height: 0; } }
"""

VERDICT_CLASS = {"better": "better", "worse": "worse"}


def _e(value: object) -> str:
    """Escape any text for HTML: data (action text, updates, labels) is never markup."""
    return html.escape("" if value is None else str(value), quote=True)


def _table(
    headers: Iterable[str],
    rows: Iterable[Iterable[object]],
    caption: str | None = None,
    numeric: Iterable[int] = (),
    widths: Iterable[int] = (),
) -> str:
    right = set(numeric)
    cols = "".join(f'<col style="width: {int(w)}%">' for w in widths)
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if isinstance(cell, _Raw):
                cells.append(f"<td>{cell.markup}</td>")
            else:
                cells.append(f'<td class="num">{_e(cell)}</td>' if i in right else f"<td>{_e(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    fixed = ' class="fixed"' if cols else ""
    return f"<table{fixed}>{cap}{colgroup}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class _Raw:
    """Markup we built ourselves from escaped parts (a table cell with a verdict class)."""

    def __init__(self, markup: str):
        self.markup = markup


def _verdict(text: str, verdict: str) -> _Raw:
    # The verdict word travels with the colour, so the meaning survives black-and-white printing.
    word = VERDICT_CLASS.get(verdict)
    if word is None:
        return _Raw(_e(text))
    return _Raw(f'<span class="{word}">{_e(text)} ({word})</span>')


# ---------------------------------------------------------------------------------------------------------------
# Charts as static images
# ---------------------------------------------------------------------------------------------------------------


def chart_svg(chart) -> str:
    """An Altair chart as SVG text, at the pack's fixed width (pages use the container's width)."""
    import vl_convert

    spec = charts.to_spec(chart)
    spec["width"] = CHART_WIDTH
    return vl_convert.vegalite_to_svg(spec)


def _figure(svg: str, alt_text: str, caption: str) -> str:
    # An <img> with a data URI: self-contained, prints as vectors, and any script in an SVG image never runs.
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{_e(alt_text)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def trend_figure(bundle: Bundle, indicator_id: str, period_end: dt.date, comparator: str) -> str:
    """The page's trend chart for one indicator (views.trend_figure: the same chart, subtitle and sentence)."""
    figure = views.trend_figure(bundle, indicator_id, period_end, comparator)
    if figure is None:
        label = catalogue.INDICATORS[indicator_id].label.lower()
        return f'<p class="muted">No figures for {_e(label)} up to this quarter.</p>'
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
    return f"""
<section class="title-page" aria-labelledby="pack-title">
  <div class="organisation">London Borough of Hackney · Children and Families Service</div>
  <h1 id="pack-title">Hackney Corporate Parenting Board</h1>
  <p class="quarter">Board pack for {_e(periods.quarter_label(period_end))}</p>
  <dl>
    <dt>Quarter</dt><dd>{_e(periods.quarter_label(period_end))}, figures {_e(periods.stock_label(period_end))}</dd>
    <dt>Compared with</dt><dd>{_e(_compared_with(comparator))}</dd>
    <dt>Produced</dt><dd>{_e(periods.long_date(produced))}</dd>
  </dl>
  <h2 class="contents-title">Contents</h2>
  <ol>
    <li>Overview: the headlines</li>
    {"".join(f"<li>{_e(catalogue.DATASET_LABELS[a])}: trends</li>" for a in catalogue.COUNT_DATASETS)}
    <li>Ethnicity and disproportionality</li>
    <li>Comparators and their reference dates</li>
    <li>Children's Action Plan: actions that need attention</li>
    <li>About these figures: suppression, statistical neighbours</li>
    <li>Appendix: the data versions behind these figures</li>
  </ol>
</section>"""


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
    return (
        f'<div class="commentary"><p class="commentary-title">Commentary ({_e(role)})</p>'
        f'<p class="update">{_e(text)}</p></div>'
    )


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
    return shown, (
        f'<p class="note">Latest published: {_e(periods.short_quarter_label(shown))}. The figures for'
        f" {_e(periods.short_quarter_label(chosen))} are not published yet.</p>"
    )


def _annual_when(view: views.HeadlineView) -> str:
    """' at 31 March 2025 (annual)' after a figure counted once a year, whose date is not the column's."""
    return f" {view.when}" if view.indicator.reference == catalogue.ANNUAL_31_MARCH else ""


def _overview(bundle: Bundle, period_end: dt.date, comparator: str) -> str:
    parts = [
        '<section aria-labelledby="overview"><h2 id="overview">Overview: the headlines</h2>',
        f"<p>{_e(periods.quarter_label(period_end))}. Each change is judged better or worse for children,"
        " not just up or down.</p>",
    ]
    chosen = period_end
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
        parts.append(f"<h3>{_e(catalogue.DATASET_LABELS[area])}</h3>{note}")
        parts.append(
            _table(
                [
                    "Measure",
                    f"Figure ({periods.stock_label(period_end)})",
                    "Verdict (against the target, or else the comparator)",
                    "Since last quarter",
                    "Since last year",
                    "Comparator",
                ],
                rows,
                numeric=[1],
                widths=(18, 13, 19, 15, 15, 20),
            )
        )
        parts.append('<ul class="sentences">' + "".join(f"<li>{_e(v.sentence)}</li>" for v in head_views) + "</ul>")
        parts.append(_commentary(bundle, area, period_end))
    period_end, note = _area_quarter(bundle, catalogue.ACTION_PLAN, chosen)
    summary = views.plan_summary(bundle, period_end)
    parts.append(f"<h3>{_e(catalogue.DATASET_LABELS[catalogue.ACTION_PLAN])}</h3>{note}")
    if summary is None:
        parts.append("<p>No action plan update was published for this quarter.</p>")
    else:
        # A sentence, not a lone four-cell table (which printed on a page of its own).
        parts.append(
            f"<p>Actions complete: {summary.by_status['Complete']} of {summary.actions}; at risk or off"
            f" track: {summary.by_status['At risk'] + summary.by_status['Off track']}; overdue:"
            f" {summary.overdue}; anti-racist actions done: {summary.anti_racist_complete} of"
            f" {summary.anti_racist}. {_e(summary.sentence)}</p>"
        )
        parts.append(_commentary(bundle, catalogue.ACTION_PLAN, period_end))
    parts.append("</section>")
    return "\n".join(parts)


def _area_charts(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> str:
    label = catalogue.DATASET_LABELS[area]
    slug = f"charts-{area}"
    period_end, note = _area_quarter(bundle, area, period_end)
    parts = [f'<section aria-labelledby="{slug}"><h2 id="{slug}">{_e(label)}: trends</h2>{note}']
    for indicator_id in catalogue.HEADLINE_ORDER[area]:
        ind = catalogue.INDICATORS[indicator_id]
        parts.append(f"<h3>{_e(ind.label)}</h3>")
        parts.append(trend_figure(bundle, indicator_id, period_end, comparator))
    parts.append(_other_measures(bundle, area, period_end, comparator))
    parts.append("</section>")
    return "\n".join(parts)


def _other_measures(bundle: Bundle, area: str, period_end: dt.date, comparator: str) -> str:
    """The area's indicators that are not headlines, in one table: every measure the page shows is in the pack."""
    others = [i.id for i in catalogue.indicators_for(area) if i.id not in catalogue.HEADLINE_ORDER[area]]
    if not others:
        return ""
    head_views = [views.headline_view(bundle, i, period_end, comparator) for i in others]
    rows = [
        (v.indicator.label, f"{v.figure} {v.when}", _verdict(v.year_change, v.year_verdict), _comparison_text(v))
        for v in head_views
    ]
    return (
        f"<h3>{_e(catalogue.DATASET_LABELS[area])}: the other measures</h3>"
        + _table(["Measure", "Figure", "Since last year", "Comparator"], rows, numeric=[1], widths=(34, 20, 18, 28))
        + '<ul class="sentences">'
        + "".join(f"<li>{_e(v.sentence)}</li>" for v in head_views)
        + "</ul>"
    )


def _comparators(bundle: Bundle, period_end: dt.date) -> str:
    parts = [
        '<section aria-labelledby="comparators"><h2 id="comparators">Comparators and their reference dates</h2>',
        "<p>The DfE publishes these figures once a year: children in care at 31 March, the workforce at"
        " 30 September. Each row uses the latest published year on or before this quarter, and says which"
        " date that is. Counts are not compared: a bigger or smaller area has more or fewer children.</p>",
    ]
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
    parts.append(
        _table(headers, rows, numeric=range(2, 3 + len(catalogue.COMPARATORS)), widths=(22, 12, 10, 10, 10, 10, 13, 13))
    )
    parts.append(
        '<p class="muted">Rank 1 is always best; a measure where neither direction is better has no'
        " rank, as in the DfE's LAIT. Quartile band A is the best quarter of councils.</p>"
    )
    parts.append("</section>")
    return "\n".join(parts)


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
        action = _Raw(
            f"<strong>{_e(row.action_id)}</strong> (priority {_e(row.priority)}{anti}): {_e(row.action)}"
            f'<br><span class="muted">Lead: {_e(row.lead)}</span>'
        )
        due_cell = _Raw(_e(due) + ("<br><strong>Overdue</strong>" if row.overdue else ""))
        out.append((action, due_cell, status, _Raw(f'<span class="update">{_e(row.update)}</span>')))
    return out


def _actions(bundle: Bundle, period_end: dt.date) -> str:
    parts = [
        '<section aria-labelledby="actions"><h2 id="actions">Children&#x27;s Action Plan: actions that need'
        " attention</h2>"
    ]
    period_end, note = _area_quarter(bundle, catalogue.ACTION_PLAN, period_end)
    parts.append(note)
    rows = views.actions_at(bundle, period_end)
    if rows.empty:
        parts.append("<p>No action plan update was published for this quarter.</p></section>")
        return "\n".join(parts)
    summary = views.plan_summary(bundle, period_end)
    if summary is not None:
        parts.append(f"<p>{_e(summary.sentence)}</p>")
    parts.append(
        "<p>The plan's priorities: "
        + "; ".join(f"{n}. {_e(p.title)}" for n, p in catalogue.PRIORITIES.items())
        + ".</p>"
    )
    parts.append(progress_figure(rows, period_end))
    groups = [
        ("Off track", rows[rows["status"] == "Off track"]),
        ("At risk", rows[rows["status"] == "At risk"]),
        (
            "Overdue (other actions past their due date and not complete)",
            rows[rows["overdue"] & ~rows["status"].isin(["At risk", "Off track"])],
        ),
    ]
    for title, group in groups:
        parts.append(f"<h3>{_e(title)}: {len(group)}</h3>")
        if group.empty:
            parts.append("<p>None.</p>")
        else:
            parts.append(_table(ATTENTION_HEADERS, _action_rows(group), widths=ATTENTION_WIDTHS))
    parts.append("</section>")
    return "\n".join(parts)


def _versions(bundle: Bundle, period_end: dt.date) -> str:
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
    if not rows:
        return "<p>No snapshot versions.</p>"
    return _table(["Dataset", "Quarters published", "Version used for its latest quarter"], rows, widths=(34, 33, 33))


def _appendix(bundle: Bundle, period_end: dt.date) -> str:
    return (
        '<section aria-labelledby="appendix"><h2 id="appendix">Appendix: the data versions behind these'
        " figures</h2><p>Each dataset's published quarters and the version of its latest one (the first 12"
        " characters of the stored file's SHA-256 hash, as the dashboard's publishing history shows it; every"
        " earlier quarter's version is there too).</p>" + _versions(bundle, period_end) + "</section>"
    )


def _ethnicity(bundle: Bundle, period_end: dt.date) -> str:
    """The anti-racist evidence: children in care by ethnicity against the child population, disproportionality
    over time, and who holds each social work grade, each with its finding in words."""
    parts = ['<section aria-labelledby="ethnicity"><h2 id="ethnicity">Ethnicity and disproportionality</h2>']
    care_period, note = _area_quarter(bundle, "care_population", period_end)
    parts.append(note)
    rows = views.ethnicity_against_population(bundle, care_period)
    if not rows.empty:
        parts.append("<h3>Children in care by ethnicity, against Hackney's children</h3>")
        parts.append(f"<p>{_e(views.describe_ethnicity(rows))}</p>")
        table = views.ethnicity_table(rows)
        parts.append(_table(list(table.columns), table.itertuples(index=False), numeric=range(1, len(table.columns))))
    trend = views.disproportionality_trend(bundle, care_period)
    if not trend.empty:
        parts.append("<h3>Disproportionality over time</h3>")
        parts.append(f"<p>{_e(views.describe_disproportionality_trend(trend))}</p>")
        table = views.disproportionality_trend_table(trend)
        parts.append(_table(list(table.columns), table.itertuples(index=False), numeric=range(1, len(table.columns))))
    wf_period, note = _area_quarter(bundle, "workforce", period_end)
    table = views.workforce_ethnicity_table(bundle, wf_period)
    if not table.empty:
        parts.append(f"<h3>Who holds each social work grade</h3>{note}")
        finding = views.describe_role_ethnicity(bundle, wf_period)
        if finding:
            parts.append(f"<p>{_e(finding)}</p>")
        parts.append(_table(list(table.columns), table.itertuples(index=False), numeric=range(1, len(table.columns))))
    parts.append("</section>")
    return "\n".join(parts)


def _about(bundle: Bundle, period_end: dt.date) -> str:
    neighbours = ", ".join(catalogue.STATISTICAL_NEIGHBOURS)
    symbols = "".join(f"<li><strong>{_e(s)}</strong>: {_e(m)}</li>" for s, m in catalogue.SYMBOLS.items())
    return f"""
<section aria-labelledby="about"><h2 id="about">About these figures</h2>
<h3>Keeping children's information private</h3>
<p>{_e(catalogue.SUPPRESSION_RULE.format(threshold=bundle.threshold))}</p>
<h3>Symbols</h3><ul>{symbols}</ul>
<h3>Statistical neighbours</h3>
<p>Hackney's statistical neighbours are the ten councils most like Hackney in the DfE's
{catalogue.SN_MODEL_YEAR} model: {_e(neighbours)}. Where this pack compares with statistical neighbours it shows
their median (the middle value of the ten), as the DfE's children's social care dashboard does; a council
without a published figure is left out of the median.</p>
<h3>Where the figures come from</h3>
<p>Hackney's figures come from the quarterly snapshots published in the dashboard; comparators from the DfE's
published statistics. The appendix names the snapshot versions this pack was built from.</p>
</section>"""


def build_pack(
    bundle: Bundle, period_end: dt.date, comparator: str = catalogue.DEFAULT_COMPARATOR, produced: dt.date | None = None
) -> str:
    """The board pack for one quarter as a complete HTML document (UTF-8 text)."""
    if period_end not in bundle.periods:
        raise ValueError(f"There are no figures for {period_end.isoformat()}: choose a published quarter end.")
    if comparator not in catalogue.COMPARATORS:
        raise ValueError(f"'{comparator}' is not a comparator: choose one of {', '.join(catalogue.COMPARATORS)}.")
    produced = produced or dt.date.today()
    title = f"Hackney Corporate Parenting Board: board pack, {periods.quarter_label(period_end)}"
    body = "\n".join(
        [
            _title_page(period_end, comparator, produced),
            _overview(bundle, period_end, comparator),
            *(_area_charts(bundle, area, period_end, comparator) for area in catalogue.COUNT_DATASETS),
            _ethnicity(bundle, period_end),
            _comparators(bundle, period_end),
            _actions(bundle, period_end),
            _about(bundle, period_end),
            _appendix(bundle, period_end),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{_e(title)}</title>
<style>{PRINT_CSS}</style>
</head>
<body>
<main>
{body}
</main>
<footer>Produced {_e(periods.long_date(produced))} from the Hackney Corporate Parenting Board dashboard.
Nothing in this pack identifies a child.</footer>
</body>
</html>
"""


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

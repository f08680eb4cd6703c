"""Charts drawn on the server (cpb_dash.chart_svg): every label whole and legible on a phone, an officer's text
drawn as text and never as markup, each variant as wide as it says."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pandas as pd

from cpb_dash import catalogue, chart_svg, charts, views
from cpb_dash.store import Store
from tests.conftest import FIXTURES

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CONTENT_WIDTH = 358  # a 390 px phone less Streamlit's 16 px padding each side


def texts(svg: str) -> list[str]:
    return [" ".join(t.strip() for t in e.itertext() if t.strip()) for e in ET.fromstring(svg).iter(f"{SVG}text")]


def bars_spec(categories: list[str]) -> dict:
    frame = pd.DataFrame(
        {
            "breakdown": categories,
            "plot_value": [10.0 * (i + 1) for i in range(len(categories))],
            "shown": [str(10 * (i + 1)) for i in range(len(categories))],
        }
    )
    return charts.to_spec(charts.bars(frame, "breakdown", "plot_value", "Children by group", "Number of children"))


def test_each_variant_is_as_wide_as_its_design_width_and_its_text_stays_legible_on_a_phone():
    spec = bars_spec(["White", "Black, African, Caribbean or Black British", "Other ethnic group"])
    for width, _, svg in chart_svg.variants(spec):
        root = ET.fromstring(svg)
        assert float(root.get("width")) == width
        sizes = [float(s) for s in re.findall(r'font-size="([0-9.]+)px"', svg)]
        assert min(sizes) >= 11
    # the narrow variant, shown at a phone's content width, scales its smallest text by 358/360 at worst
    narrow = chart_svg.VARIANTS[0][0]
    smallest = min(float(s) for s in re.findall(r'font-size="([0-9.]+)px"', chart_svg.render(spec, narrow)))
    assert smallest * PHONE_CONTENT_WIDTH / narrow >= 11


def test_the_scale_labels_shown_never_touch():
    """Children by age group at 30 September 2025 (16, 33, 54, 130, 113): an axis of tens ending at 130 drew
    '120' and '130' (set flush against the end) side by side as '120130' at 560 px."""
    groups = ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"]
    frame = pd.DataFrame({"breakdown": groups, "plot_value": [16.0, 33.0, 54.0, 130.0, 113.0]})
    frame["shown"] = frame["plot_value"].map(lambda v: f"{v:.0f}")
    spec = charts.to_spec(charts.bars(frame, "breakdown", "plot_value", "Children by age group", "Children"))
    digit = 0.556  # Arial's (and Liberation Sans's) width of a digit, in ems
    for width, _, svg in chart_svg.variants(spec):
        boxes = []
        for e in ET.fromstring(svg).iter(f"{SVG}text"):
            if e.get("opacity") == "0" or e.get("role") == "graphics-symbol" or not (e.text or "").isdigit():
                continue  # a hidden label, or a figure written beside a bar
            x = float(re.match(r"translate\(([-\d.]+),", e.get("transform")).group(1))
            size = float(e.get("font-size").rstrip("px"))
            wide = len(e.text) * digit * size
            left = {"start": x, "middle": x - wide / 2, "end": x - wide}[e.get("text-anchor", "start")]
            boxes.append((left, left + wide, e.text))
        boxes.sort()
        assert len(boxes) >= 4, (width, boxes)
        for (_, right, a), (left, _, b) in itertools.pairwise(boxes):
            assert left - right >= 3, f"{a} and {b} touch at {width} px"


def test_a_long_category_label_is_broken_onto_lines_never_cut_off():
    long = "Black, African, Caribbean or Black British"
    svg = chart_svg.render(bars_spec(["White", long]), chart_svg.VARIANTS[0][0])
    drawn = texts(svg)
    assert long in drawn  # every word of it, on more than one line
    assert not any(t.endswith("…") for t in drawn)
    (label,) = [e for e in ET.fromstring(svg).iter(f"{SVG}text") if "Caribbean" in "".join(e.itertext())]
    assert len(list(label.iter(f"{SVG}tspan"))) >= 2


def test_an_officers_markup_in_a_label_is_drawn_as_text():
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    svg = chart_svg.render(bars_spec(["White", hostile]), chart_svg.VARIANTS[-1][0])
    root = ET.fromstring(svg)  # still well-formed XML
    tags = {element.tag for element in root.iter()}
    assert f"{SVG}script" not in tags and "script" not in tags and f"{SVG}img" not in tags
    assert hostile in texts(svg)


def test_the_same_chart_is_drawn_once_per_width():
    spec = bars_spec(["A group", "Another group"])
    first = chart_svg.render(spec, 560)
    assert chart_svg.render(dict(spec), 560) is first  # from the server's cache, not drawn again


def test_no_variant_is_shown_smaller_than_it_was_drawn_except_the_narrow_one_on_a_phone():
    """Each width is shown only in a container at least as wide as itself (its text never shrinks); the narrowest
    also below, down to a phone's 358 px, where its text keeps 99% of its size."""
    (narrow, _), *others = chart_svg.VARIANTS
    assert all(low >= width for width, low in others)
    assert PHONE_CONTENT_WIDTH / narrow >= 0.99


def test_a_short_series_is_labelled_at_its_quarter_ends_and_a_count_never_at_halves():
    """Two quarters of a new measure (children deprived of their liberty, 3 then 4): the time axis read 'Jul 2026,
    Jul 2026, Aug 2026, ...' and the count axis 3.0, 3.5, 4.0."""
    series = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2026-06-30", "2026-09-30"]),
            "value": [3.0, 4.0],
            "label": ["2026-27 Q1", "2026-27 Q2"],
        }
    )
    spec = charts.to_spec(charts.trend(series, "Children deprived of their liberty", "children"))
    for width, _, svg in chart_svg.variants(spec):
        shown = [t for t in texts(svg) if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)]
        assert shown == ["Jun 2026", "Sep 2026"], (width, shown)
        ticks = [t for t in texts(svg) if re.fullmatch(r"[\d.]+", t)]
        assert ticks and all(float(t).is_integer() and "." not in t for t in ticks), (width, ticks)


def test_a_long_series_keeps_about_seven_time_labels():
    days = pd.date_range("2019-06-30", "2025-09-30", freq="QE")
    series = pd.DataFrame({"period_end": days, "value": range(len(days)), "label": [str(d.date()) for d in days]})
    spec = charts.to_spec(charts.trend(series.astype({"value": float}), "Children in care", "children"))
    for width, _, svg in chart_svg.variants(spec):
        shown = [t for t in texts(svg) if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)]
        assert 3 <= len(shown) <= 8 and len(set(shown)) == len(shown), (width, shown)


def test_a_trend_says_its_axis_does_not_start_at_0_exactly_when_its_lowest_label_is_above_0():
    """Every rate's and percentage's trend in the sample, at two quarters beside England, as drawn:
    Vega's own rounding took some axes down to 0 while the subtitle said they did not start there (children away
    from placement, care leavers aged 17 to 18 in higher education)."""
    bundle = views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)
    checked = 0
    for period in (bundle.periods[-1], bundle.periods[len(bundle.periods) // 2]):
        for indicator_id in (i for i, ind in catalogue.INDICATORS.items() if ind.is_ratio):
            figure = views.trend_figure(bundle, indicator_id, period, "England")
            if figure is None:
                continue
            _, _, svg = chart_svg.variants(charts.to_spec(figure.chart()))[0]
            labels = [float(t.replace(",", "")) for t in texts(svg) if re.fullmatch(r"-?[\d,]+(\.\d+)?", t)]
            says = "the axis does not start at 0" in figure.subtitle
            assert labels and (min(labels) > 0) == says, (indicator_id, period, min(labels), says)
            checked += 1
    assert checked > 50

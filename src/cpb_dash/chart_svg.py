"""Charts drawn on the server: a Vega-Lite spec (charts.to_spec) to SVG text with vl-convert, at a few design
widths, cached in the server process. No streamlit.

Why: drawing charts in the browser cost most of a chart page's time on a councillor's tablet (Vega's 0.8 MB
bundle, then compiling and drawing each chart with a CPU a quarter of a desktop's: docs/performance.md). An SVG
drawn here is a few kilobytes compressed, needs no script in the browser, and prints as vectors.

An SVG scaled to fit a narrow column scales its text down with it, so each chart is drawn at several design
widths and the page shows the one made for the width it has (ui/components.py chooses with a CSS container
query). Each variant is laid out to its width (autosize "fit-x"), and a long category label is broken onto
lines rather than cut off: the narrow variant's labels stay whole and at their size on a 390 px phone.
"""

from __future__ import annotations

import copy
import hashlib
import json
import textwrap

from cpb_dash.server_cache import ServerCache

# (design width in px, smallest container width in px it is shown in). A variant is shown from its own minimum
# up to the next one's, at the container's width but never above 1.25x its design width: each is shown only
# where it fits at its design size or larger, so text is never scaled down (12 px stays 12 to 15 px), except
# the narrow one on a phone (a 390 px phone leaves it about 358 px: 12 px text at 11.9 px).
VARIANTS: tuple[tuple[int, int], ...] = ((360, 0), (560, 560), (780, 780))

# Fonts measured on the server must be the fonts the browser draws with: an SVG in an <img> cannot use the
# page's web fonts. Liberation Sans (on the server, and on Linux clients) has Arial's metrics, which Windows,
# macOS, iOS and Android browsers have (Arial or Helvetica), so labels measured here fit there too.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

# Characters per line of a wrapped category label, by design width: about 40% of the width at 12 px.
_LABEL_CHARS = {360: 18, 560: 28, 780: 40}

_svgs: ServerCache[str] = ServerCache(max_entries=2048)


def _label_lines(text: str, chars: int) -> list[str]:
    return textwrap.wrap(text, chars, break_long_words=True) or [text]


def _walk(node: object):
    """Every dict in a spec, depth first (layers, encodings, axes)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _values_of(spec: dict, field: str) -> list[str]:
    """Every distinct text value of `field` in the spec's inline data (datasets or data.values)."""
    rows: list[dict] = []
    for dataset in spec.get("datasets", {}).values():
        rows.extend(dataset)
    for node in _walk(spec):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            rows.extend(data["values"])
    return list(dict.fromkeys(str(row[field]) for row in rows if isinstance(row, dict) and row.get(field) is not None))


def _wrap_expr(values: list[str], chars: int) -> str | None:
    """A Vega expression giving each long label as lines (a label's lines are an array), others as they are.
    The labels are written as JSON string literals: whatever text a label holds, it stays a string."""
    wrapped = {v: _label_lines(v, chars) for v in values if len(v) > chars}
    if not wrapped:
        return None
    table = "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in wrapped.items()) + "}"
    return f"{table}[datum.label] || datum.label"


def sized(spec: dict, width: int) -> dict:
    """The spec laid out for a design width: the whole chart (axes, legend and padding included) `width` px wide,
    long category labels and legend entries broken onto lines instead of cut off."""
    out = copy.deepcopy(spec)
    out["width"] = width
    out["autosize"] = {"type": "fit-x", "contains": "padding"}
    # Room on the right for the figure written at the end of the longest bar (text marks are not laid out).
    out["padding"] = {"left": 4, "top": 4, "right": 36, "bottom": 4}
    config = out.setdefault("config", {})
    config["font"] = FONT
    # Scale labels that would touch ("120130" at the end of an axis of tens) are thinned out: Vega-Lite hides
    # overlapping labels of a continuous axis (labelOverlap, on by default), and this gap counts as overlap.
    axis_x = config.setdefault("axisX", {})
    axis_x.setdefault("labelOverlap", True)
    axis_x.setdefault("labelSeparation", 6)
    chars = _LABEL_CHARS.get(width, max(12, width // 20))
    label_room = int(width * 0.42)
    for node in _walk(out):
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        y = encoding.get("y")
        if isinstance(y, dict) and y.get("type") == "nominal" and isinstance(y.get("field"), str):
            values = _values_of(out, y["field"])
            expr = _wrap_expr(values, chars)
            lines = max((len(_label_lines(v, chars)) for v in values), default=1)
            height = out.get("height")
            if isinstance(height, dict) and "step" in height:
                # A band as tall as its label: a label broken onto three lines must not run into the next one.
                height["step"] = max(height["step"], 14 * lines + 4)
            axis = y.get("axis")
            if axis is not None or expr:  # `axis: null` (a hidden axis) stays hidden
                axis = dict(axis or {})
                axis["labelLimit"] = label_room
                if expr:
                    axis["labelExpr"] = expr
                y["axis"] = axis
        for channel in ("color", "shape", "strokeDash", "stroke"):
            enc = encoding.get(channel)
            if isinstance(enc, dict) and isinstance(enc.get("field"), str) and enc.get("legend", {}) is not None:
                legend = enc.setdefault("legend", {})  # absent: Vega-Lite's default legend, made to fit too
                legend["labelLimit"] = width - 40
                values = _values_of(out, enc["field"])
                if width < 500 and legend.get("orient", "bottom") in ("top", "bottom"):
                    # A legend beside the chart is not wrapped by Vega: on a phone, entries one or two to a row.
                    legend["columns"] = 1 if max((len(v) for v in values), default=0) > 16 else 2
                expr = _wrap_expr(values, int(chars * 2))
                if expr:
                    legend["labelExpr"] = expr
    return out


def render(spec: dict, width: int) -> str:
    """The chart as SVG text at a design width; cached in the server process by spec and width (a spec is a
    pure function of what it shows, so two sessions showing the same chart share one drawing)."""
    import vl_convert

    text = json.dumps(spec, sort_keys=True, default=str)
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), width)
    return _svgs.get_or_build(key, lambda: vl_convert.vegalite_to_svg(sized(json.loads(text), width)))


def variants(spec: dict) -> list[tuple[int, int, str]]:
    """(design width, smallest container width, SVG text) for every variant of the chart."""
    return [(width, min_container, render(spec, width)) for width, min_container in VARIANTS]

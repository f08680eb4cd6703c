"""A chart drawn on the server (cpb_dash.chart_svg), shown as an image with its text alternative.

The browser loads no charting code: each chart is an <img> of an SVG served from Streamlit's media endpoint
(/media/<content hash>.svg, compressed by the proxy, the same URL for every session showing the same chart). The
chart comes in a few design widths; a CSS container query shows the one made for the room the chart has, so its
text stays at its size on a phone (an SVG scaled down shrinks its text). Images not shown are lazy and never
fetched. An SVG in an <img> runs no script and loads nothing, and every label in it is escaped XML text.
"""

from __future__ import annotations

import html

from cpb_dash import chart_svg
from cpb_dash.ui.blocks import media_url

CHART_CLASS = "cpb-chart"  # tests and the benchmark find a chart by this class and its <img>'s alt text


def _style(variants: tuple[tuple[int, int], ...]) -> str:
    # Each variant shown from its own smallest container width up to the next one's. Shown at the container's
    # width, up to 1.25x its design width (wider, text would grow past 15 px).
    rules = [f".{CHART_CLASS}{{container-type:inline-size}}", f".{CHART_CLASS} img{{display:none;height:auto}}"]
    for i, (width, low) in enumerate(variants):
        high = variants[i + 1][1] if i + 1 < len(variants) else None
        query = " and ".join(
            part
            for part in (f"(min-width:{low}px)" if low else "", f"(max-width:{high - 0.02}px)" if high else "")
            if part
        )
        rule = f".{CHART_CLASS} img.w{width}{{display:block;width:100%;max-width:{round(width * 1.25)}px}}"
        rules.append(f"@container {query}{{{rule}}}" if query else rule)
    return "".join(rules)


# The same for every chart (the variants' widths are fixed): sent once per page with the page's stylesheet
# (layout.page_setup), not inside each chart's block, where every copy made the browser restyle the page.
CHART_CSS = f"<style>{_style(chart_svg.VARIANTS)}</style>"


def chart_html(spec: dict, alt_text: str, stem: str) -> str:
    """The chart `spec` (charts.to_spec) drawn on the server, with `alt_text` (what it shows and its finding), as
    HTML for a block (ui/blocks.py); styled by CHART_CSS, which the page sends once."""
    variants = chart_svg.variants(spec)
    images = []
    for width, _, svg in variants:
        height = _svg_height(svg, width)
        url = media_url(svg.encode("utf-8"), "image/svg+xml", f"cpb-chart-{stem}-{width}")
        images.append(
            f'<img class="w{width}" src="{html.escape(url)}"'
            f' alt="{html.escape(alt_text)}" width="{width}" height="{height}" loading="lazy" decoding="async">'
        )
    return f'<div class="{CHART_CLASS}">{"".join(images)}</div>'


def _svg_height(svg: str, width: int) -> int:
    """The SVG's height at its design width (from its root element), so the page keeps the chart's room before
    the image arrives and a lazy image below the fold is not loaded early."""
    import re

    found = re.search(r'<svg[^>]*\sheight="([0-9.]+)"', svg)
    return round(float(found.group(1))) if found else round(width * 0.6)

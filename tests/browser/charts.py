"""Charts as a visitor's browser shows them: images drawn on the server (src/cpb_dash/ui/chart_image.py), one
width of each shown by CSS, with the chart's text alternative as the image's alt text."""

from __future__ import annotations

from playwright.sync_api import expect

CHARTS = ".cpb-chart"
SHOWN = "img >> visible=true"  # the width CSS chose for the room the chart has; the others are display: none

# At least n charts on the page, each showing one image with a non-empty alt text: waited for as the page fills
# in. (Images below the screen are lazy: they arrive as they are scrolled to; `image_loaded` checks one.)
PLACED = """n => {
  const charts = [...document.querySelectorAll('.cpb-chart')];
  const shown = chart => [...chart.querySelectorAll('img')].filter(i => getComputedStyle(i).display !== 'none');
  return charts.length >= n && charts.every(chart => shown(chart).length === 1 && shown(chart)[0].alt.length > 0);
}"""


def image_loaded(page, chart) -> None:
    """The chart's shown image has arrived and has a size (scrolled to first, as a reader would)."""
    image = chart.locator(SHOWN).first
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=30_000)
    box = image.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100, box


def charts_drawn(page, at_least: int = 1, timeout: float = 30_000) -> None:
    """At least `at_least` charts, each with its image and alt text in place, and the first one drawn."""
    page.wait_for_function(PLACED, arg=at_least, timeout=timeout)
    image_loaded(page, page.locator(CHARTS).first)


def all_images_loaded(page, timeout: float = 60_000) -> None:
    """Every chart's shown image drawn (each scrolled to, so lazy ones load), for checks of the whole page."""
    charts = page.locator(CHARTS)
    for i in range(charts.count()):
        image_loaded(page, charts.nth(i))

"""Record what a page draws while AppTest runs it (every chart and the builder that made it, text, metrics, tables,
downloads, notices, widgets and layout blocks), so the floor page can draw the same elements again from memory.
The floor makes each block (columns, tabs, expanders, containers) but draws every element in the main column, and
draws page links as links to a URL (a page path resolves only from app.py): it errs on the low side."""

from __future__ import annotations

import contextlib
import inspect
import pickle
from collections.abc import Iterator

import streamlit as st

from cpb_dash import charts

RECORDED = (
    "altair_chart",
    "metric",
    "dataframe",
    "table",
    "download_button",
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "html",
    "divider",
    "info",
    "warning",
    "error",
    "success",
    "selectbox",
    "radio",
    "multiselect",
    "checkbox",
    "button",
    "text_input",
    "columns",
    "tabs",
    "expander",
    "container",
    "vega_lite_chart",
    "html",  # a chart drawn on the server is shown with st.html (ui/chart_image.py): replayed as it was sent
    "page_link",
)


def _builders() -> list[str]:
    return [
        name
        for name, fn in inspect.getmembers(charts, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == charts.__name__
    ]


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - anything that will not pickle is replaced below
        return False
    return True


@contextlib.contextmanager
def recording() -> Iterator[list[tuple]]:
    """Record one page run. Record a run whose chart specs are not yet memoised (the page's first open on a new
    store), so each chart passes through its builder and charts.to_spec and can be rebuilt by the floor."""
    calls: list[tuple] = []
    built: dict[int, tuple] = {}
    pending: list[tuple] = []  # the builder behind the spec charts.to_spec made last
    saved_st = {name: getattr(st, name) for name in RECORDED}
    saved_charts = {name: getattr(charts, name) for name in _builders()}

    def wrap_builder(name, fn):
        def builder(*args, **kwargs):
            chart = fn(*args, **kwargs)
            if name == "to_spec":
                pending[:] = [built[id(args[0])]] if id(args[0]) in built else []
            else:
                built[id(chart)] = (name, args, kwargs)
            return chart

        return builder

    def wrap_st(name, fn):
        def element(*args, **kwargs):
            kwargs_kept = {k: v for k, v in kwargs.items() if not callable(v)}
            if name == "vega_lite_chart" and pending:
                builder, b_args, b_kwargs = pending.pop()
                calls.append(("built", builder, b_args, b_kwargs, kwargs_kept))
            elif name == "altair_chart" and args and id(args[0]) in built:
                builder, b_args, b_kwargs = built[id(args[0])]
                calls.append(("built", builder, b_args, b_kwargs, kwargs_kept))
            else:
                # a deferred download (a callable made when clicked) is kept as it is when it pickles, so the floor
                # defers the same work; otherwise its bytes are made now
                kept = tuple(
                    a() if callable(a) and not hasattr(a, "to_dict") and not _picklable(a) else a for a in args
                )
                if name == "altair_chart" and not _picklable(kept):
                    calls.append(("st", "vega_lite_chart", (kept[0].to_dict(),), kwargs_kept))
                else:
                    calls.append(("st", name, kept, kwargs_kept))
            return fn(*args, **kwargs)

        return element

    for name, fn in saved_charts.items():
        setattr(charts, name, wrap_builder(name, fn))
    for name, fn in saved_st.items():
        setattr(st, name, wrap_st(name, fn))
    try:
        yield calls
    finally:
        for name, fn in saved_st.items():
            setattr(st, name, fn)
        for name, fn in saved_charts.items():
            setattr(charts, name, fn)


def summary(calls: list[tuple]) -> str:
    def html(call: tuple) -> str:
        # st.html's argument: a string, or a block (cpb_dash.ui.blocks.Html) holding one
        return str(getattr(call[2][0], "body", call[2][0])) if call[1] == "html" and call[2] else ""

    charts_n = sum(
        1 if c[0] == "built" or c[1] in ("altair_chart", "vega_lite_chart") else html(c).count('class="cpb-chart"')
        for c in calls
    )
    cards = sum(html(c).count('class="cpb-card"') for c in calls)
    metrics = sum(1 for c in calls if c[0] == "st" and c[1] == "metric")
    tables = sum(1 for c in calls if c[0] == "st" and c[1] in ("dataframe", "table"))
    tables += sum(html(c).count('class="cpb-table"') for c in calls)
    return f"{charts_n} charts, {cards} cards, {metrics} metrics, {tables} tables, {len(calls)} elements in all"

"""The floor page: the elements a page drew (charts, text, metrics, tables, downloads, widgets) drawn again from
in-memory DataFrames, nothing else.

bench.record captures what a real page drew; this script draws the same again, rebuilding each chart with the same
charts.py builder from the same small frames. Its time is Streamlit's and Altair's cost alone: no store, no
indicators, no view models, no layout. The recording's path is in session state ('bench_floor').
"""

import pickle

import streamlit as st

from cpb_dash import charts


@st.cache_resource
def _recording(path: str) -> list[tuple]:
    with open(path, "rb") as handle:
        return pickle.load(handle)


st.set_page_config(page_title="Floor", layout="wide")
for call in _recording(st.session_state["bench_floor"]):
    if call[0] == "built":
        _, builder, args, kwargs, st_kwargs = call
        st.altair_chart(getattr(charts, builder)(*args, **kwargs), **st_kwargs)
    elif call[1] == "page_link":  # a page path resolves only from app.py: the same link, to a URL
        _, _, (target, *rest), kwargs = call
        st.page_link(f"https://example.invalid/{target}", *rest, **kwargs)
    else:
        _, name, args, kwargs = call
        getattr(st, name)(*args, **kwargs)

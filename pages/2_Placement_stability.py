"""Placement stability (coming soon: see the issue that builds this page)."""

import streamlit as st

from cpb_dash.ui import layout

ctx = layout.page_setup("Placement stability")
st.title("Placement stability")
st.info("This page is coming soon. The overview already shows this area's headline figures.")

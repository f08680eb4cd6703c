"""Upload (officers) (coming soon: see the issue that builds this page)."""

import streamlit as st

from cpb_dash.ui import layout

ctx = layout.page_setup("Upload (officers)")
st.title("Upload (officers)")
st.info("This page is coming soon. The overview already shows this area's headline figures.")

"""About the data: what every figure means, where it comes from, and how it is protected."""

import streamlit as st

from cpb_dash.ui import about, layout

ctx = layout.page_setup("About the data", ":material/info:")
if ctx is not None:
    st.title("About the data")
    st.markdown(
        "What each figure on this dashboard means, how it is worked out, where it comes from and how children's"
        " privacy is protected. The definitions follow the Department for Education's (DfE) published statistics."
    )
    sections = st.tabs(["Indicators", "Words we use", "Symbols and privacy", "Comparators", "Measures uploaded",
                        "Snapshot versions"])
    with sections[0]:
        about.indicators()
    with sections[1]:
        about.glossary()
    with sections[2]:
        about.symbols(ctx)
    with sections[3]:
        about.comparators()
    with sections[4]:
        about.measures()
    with sections[5]:
        about.versions(ctx)

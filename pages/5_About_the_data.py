"""About the data: what every figure means, where it comes from, and how it is protected."""

import streamlit as st

from cpb_dash.ui import about, components, layout

ctx = layout.page_setup("About the data", ":material/info:")
if ctx is not None:
    st.title("About the data")
    st.markdown(
        components.plain(
            "What each figure on this dashboard means, how it is worked out, where it comes from and how children's"
            " privacy is protected. The definitions follow the Department for Education's (DfE) published statistics."
        )
    )
    # Only the open section is drawn (the tabs rerun the page when switched), and the open one is kept in the
    # URL (?section=Words+we+use), so a link can open the glossary or the suppression rule directly.
    shown = dict(
        zip(about.SECTIONS, st.tabs(list(about.SECTIONS), key=about.SECTION_KEY, bind="query-params"), strict=True)
    )
    for name, draw in about.SECTIONS.items():
        if shown[name].open:
            with shown[name]:
                draw(ctx)

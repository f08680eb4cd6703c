"""The floor for first visits and page moves through nginx (bench.proxied): the least a Streamlit app can draw, a
title and a sentence, plus a sidebar linking it and a second page like it, so that a page move has a floor too."""

import streamlit as st

st.title("Hello")
st.write("The least a Streamlit page can draw.")
st.sidebar.page_link("hello.py", label="Hello")
st.sidebar.page_link("pages/1_Again.py", label="Again")

"""The browser floor: the least a Streamlit app can draw (bench.browser times it beside our pages)."""

import streamlit as st

st.title("Hello")
st.write("The least a Streamlit page can draw.")

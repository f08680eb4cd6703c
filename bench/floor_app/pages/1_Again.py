"""The floor app's second page (bench/floor_app/hello.py): the same, under another title."""

import streamlit as st

st.title("Again")
st.write("The least a Streamlit page can draw.")
st.sidebar.page_link("hello.py", label="Hello")
st.sidebar.page_link("pages/1_Again.py", label="Again")

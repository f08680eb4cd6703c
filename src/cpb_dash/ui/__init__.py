"""Streamlit components. Only this package, app.py and pages/ import streamlit."""

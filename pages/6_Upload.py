"""Upload (officers): publish a quarter's snapshot, see what it would change, and roll back a mistake."""

import streamlit as st

from cpb_dash.ui import auth, census_upload, layout, upload

layout.page_setup("Upload (officers)", icon=":material/upload_file:")
st.title("Upload a quarterly snapshot")
officer = auth.officer_gate()
if officer is not None:
    upload.upload_section(officer)
    if st.session_state.get("upload-kind") != "SSDA903 return":
        census_upload.census_section(officer)  # when Workforce stability is chosen: the census worker table instead
    st.divider()
    upload.history_section(officer)

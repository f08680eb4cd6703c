"""Page pieces for the measures counted once a year (the DfE's OC2 health outcomes, at 31 March)."""

from __future__ import annotations

import streamlit as st

from cpb_dash import periods
from cpb_dash.ui.layout import PageContext


def annual_note(ctx: PageContext) -> None:
    """Say that the section's figures are annual, and which 31 March they are for."""
    march = periods.latest_march(ctx.period)
    st.info(
        f"Counted once a year, at 31 March, for children looked after for 12 months or more: these figures are at"
        f" {periods.long_date(march)}, the latest on or before {periods.short_quarter_label(ctx.period)}.",
        icon=":material/event:",
    )

"""Loading at the boundary: one cached bundle per store version, so a publish shows at once."""

from __future__ import annotations

import streamlit as st

from cpb_dash.config import settings
from cpb_dash.store import Store
from cpb_dash.views import Bundle, build_bundle


@st.cache_resource(show_spinner="Loading the latest figures…", max_entries=4)
def _bundle(data_dir: str, token: str, threshold: int) -> Bundle:
    # cache_resource, not cache_data: the bundle is read-only and shared, so no copy is made on each rerun.
    # The store's state token is part of the key: any publish or rollback makes a new bundle.
    return build_bundle(Store(data_dir), threshold, token=token)


def load_bundle() -> Bundle:
    config = settings()
    store = Store(config.data_dir)
    return _bundle(str(config.data_dir), store.state_token(), config.suppression_threshold)

"""Loading at the boundary: one bundle per store version, so a publish shows at once.

The bundles are kept in a `ServerCache`, not `st.cache_resource`: any browser can send Streamlit's "clear cache"
message, and it must not be able to make every visitor's next page rebuild the figures.
"""

from __future__ import annotations

import streamlit as st

from cpb_dash.config import settings
from cpb_dash.server_cache import ServerCache
from cpb_dash.store import Store
from cpb_dash.views import Bundle, build_bundle

# The store's state token is part of the key: any publish or rollback makes a new bundle. Bundles are read-only
# and shared by every session, so no copy is made on each rerun.
BUNDLES: ServerCache[Bundle] = ServerCache(max_entries=4)


def load_bundle() -> Bundle:
    config = settings()
    store = Store(config.data_dir)
    key = (str(config.data_dir), store.state_token(), config.suppression_threshold)
    bundle = BUNDLES.get(key)
    if bundle is None:
        with st.spinner("Loading the latest figures…"):
            bundle = BUNDLES.get_or_build(
                key, lambda: build_bundle(Store(key[0]), config.suppression_threshold, token=key[1])
            )
    return bundle

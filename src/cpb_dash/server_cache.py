"""A bounded, thread-safe cache that lives in the server process and nothing else.

Why not `st.cache_data` / `st.cache_resource`: any browser can send Streamlit's "clear cache" message, which empties
both for every visitor. What we keep here (the figures read from the store, board packs) would then be rebuilt by the
next visitor, on demand of whoever sends that message; state that guards security lives in `cpb_dash.auth`, likewise
out of their reach. No client message reaches this module.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ServerCache(Generic[V]):
    """Keeps the `max_entries` most recently used values. `get_or_build` builds a missing value once, even when
    several sessions ask for it at the same moment (they wait for the first)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key not in self._values:
                return None
            self._values.move_to_end(key)
            return self._values[key]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            value = self.get(key)
            if value is None:
                value = build()
                with self._lock:
                    self._values[key] = value
                    self._values.move_to_end(key)
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            with self._lock:
                self._building.pop(key, None)
            return value

    def clear(self) -> None:
        """For tests and for the process's own use; no page or client message calls it."""
        with self._lock:
            self._values.clear()

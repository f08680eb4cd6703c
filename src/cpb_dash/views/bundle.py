"""The bundle: every published dataset read once per publish, suppressed and derived,
and the memo of view models computed from it.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import ParamSpec, TypeVar

import pandas as pd

from cpb_dash import benchmarks, catalogue, disclosure, indicators
from cpb_dash.store import Store


@dataclass(frozen=True)
class Bundle:
    """Everything read from the store once per store version. Frames are shared: treat them as read-only."""

    counts: dict[str, pd.DataFrame]  # raw counts, for officers' previews only
    safe_counts: dict[str, pd.DataFrame]  # disclosure-controlled: what Members see
    indicators: pd.DataFrame  # derived from safe_counts (Totals are never suppressed, so equal to raw)
    benchmarks: pd.DataFrame
    comparators: pd.DataFrame  # benchmarks.comparator_table: every comparator's figure per indicator and year
    action_plan: pd.DataFrame
    versions: pd.DataFrame
    threshold: int
    token: str = ""  # the store's state token this bundle was read at (Store.state_token), when known
    targets: pd.DataFrame | None = None  # officers' targets (board_notes); None: none published
    commentary: pd.DataFrame | None = None  # officers' commentary per area per quarter (board_notes)
    # View models already computed from this bundle (see per_bundle): pages rerun on every click, and a bundle
    # never changes, so each view is worked out once per store version.
    memo: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)
    memo_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @functools.cached_property
    def periods(self) -> list[dt.date]:
        """Every quarter end with any count data, oldest first."""
        days: set[dt.date] = set()
        for frame in self.counts.values():
            days.update(d.date() for d in frame["period_end"].unique())
        days.update(d.date() for d in self.action_plan["period_end"].unique())
        return sorted(days)

    @property
    def latest_period(self) -> dt.date | None:
        return self.periods[-1] if self.periods else None

    @functools.cached_property
    def periods_by_area(self) -> dict[str, list[dt.date]]:
        """Each area's own published quarter ends, oldest first (areas are published by different teams)."""
        frames = {**self.counts, catalogue.ACTION_PLAN: self.action_plan}
        return {area: sorted({d.date() for d in frame["period_end"].unique()}) for area, frame in frames.items()}


def area_period(bundle: Bundle, area: str, chosen: dt.date) -> dt.date | None:
    """The quarter an area shows when `chosen` is picked: its latest published quarter on or before `chosen`, so
    that one team publishing a new quarter first never blanks another team's figures. None when the area has
    nothing published that early."""
    earlier = [day for day in bundle.periods_by_area.get(area, []) if day <= chosen]
    return earlier[-1] if earlier else None


P = ParamSpec("P")


R = TypeVar("R")


MEMO_ENTRIES = 4096  # about 2 MB of small frames; a board member's session touches a few hundred


def _key(value: object) -> object:
    return tuple(_key(v) for v in value) if isinstance(value, list | tuple) else value


def _fresh(value: R) -> R:
    """A copy of a memoised result that the caller may change freely (frames are mutable; dataclasses here
    are frozen and strings immutable)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, tuple | list):
        return type(value)(_fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):  # a view model holding frames (a trend's)
        frames = {f.name: getattr(value, f.name) for f in fields(value) if f.init}
        frames = {k: v.copy() for k, v in frames.items() if isinstance(v, pd.DataFrame | pd.Series)}
        return replace(value, **frames) if frames else value
    return value


def remember(bundle: Bundle, key: tuple, compute: Callable[[], R]) -> R:
    """compute() once per bundle and key (hashable); a fresh copy of the result every time."""
    with bundle.memo_lock:
        if key in bundle.memo:
            bundle.memo.move_to_end(key)
            return _fresh(bundle.memo[key])
    result = compute()
    with bundle.memo_lock:
        bundle.memo[key] = result
        while len(bundle.memo) > MEMO_ENTRIES:
            bundle.memo.popitem(last=False)
    return _fresh(result)


def per_bundle(fn: Callable[P, R]) -> Callable[P, R]:
    """Memoise a view model on its bundle, by its other arguments (hashable, or lists of hashables). Results are
    copied on the way out, so no page can change what another session will be given."""

    @functools.wraps(fn)
    def wrapper(bundle: Bundle, *args, **kwargs):
        key = (fn.__name__, _key(args), _key(tuple(sorted(kwargs.items()))))
        return remember(bundle, key, lambda: fn(bundle, *args, **kwargs))

    return wrapper


def build_bundle(store: Store, threshold: int, token: str = "") -> Bundle:
    counts = {d: store.read_current(d) for d in catalogue.COUNT_DATASETS}
    safe = {d: disclosure.suppress(f, threshold) for d, f in counts.items()}
    bench = store.read_benchmarks()
    return Bundle(
        counts=counts,
        safe_counts=safe,
        indicators=indicators.derive_all(safe),
        benchmarks=bench,
        comparators=benchmarks.comparator_table(bench),
        action_plan=store.read_current(catalogue.ACTION_PLAN),
        versions=store.current_versions(),
        threshold=threshold,
        token=token,
        targets=store.read_current(catalogue.TARGETS),
        commentary=store.read_current(catalogue.COMMENTARY),
    )


def period_options(bundle: Bundle) -> list[dt.date]:
    """Newest first, as a councillor expects in a picker."""
    return list(reversed(bundle.periods))


def computed_once(fn: Callable[[], R]) -> Callable[[], R]:
    """For a table made from the catalogue alone (it never changes while the app runs): worked out once, and a
    fresh copy handed out each time."""
    cached = functools.cache(fn)

    @functools.wraps(fn)
    def wrapper() -> R:
        return _fresh(cached())

    return wrapper

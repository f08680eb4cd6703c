"""The snapshot store: every version of every (dataset, period), which one is current, publishing and rolling back.

Layout of a data directory (the bundled sample data in data/fixtures/ is laid out the same way):

    <data_dir>/benchmarks.parquet                          curated DfE benchmarks (built by `cpb_dash benchmarks`)
    <data_dir>/<dataset>/<YYYY-MM-DD>/<sha256>.parquet     one immutable file per published version
    <data_dir>/store.sqlite                                current pointer and audit log (created by the first publish)
    <data_dir>/.store.lock                                 publishes share it, tidy takes it alone (see Store._lock)

Anything else in a dataset folder (a folder not named like a date, '2025-09-30 copy') is not ours: ignored by every
read and write, and listed by Store.stray_paths.

Until store.sqlite exists, a period directory's only file is current (this is how sample data is seeded). The first
write (publish or rollback) imports those files as "seed" versions, so history shows them; from then on only the
pointers in store.sqlite say what is current, so a version file left by an interrupted publish is never shown.

This module is the only writer. A publish:
1. reads the untrusted bytes with safe_read and validates them with the contract; any error refuses the publish
   before anything is written (`PublishRefused`, carrying the findings);
2. writes the rows as parquet in the contract's schema (CSV and parquet alike, so the store only ever holds files
   this code wrote) and names the file by the SHA-256 of those stored bytes: a temporary file in the same directory,
   fsync the file, `os.replace` to `<sha256>.parquet`, fsync the directory;
3. in one SQLite transaction (WAL, `BEGIN IMMEDIATE`), checks the current version is still the one the officer
   previewed against (else `StoreConflict`, "changed under you", and the pointer is untouched), moves the pointer
   and appends to the audit log. Both change together or not at all.
A crash before step 3 commits leaves the previous version current; an unreferenced version file is harmless (a later
publish of the same bytes reuses it). Publishing the bytes that are already current changes nothing.

Test hook: with the environment variable `CPB_TEST_CRASH_AT` set to `after_version_file` or `before_commit`,
publish ends the process (`os._exit`) at that step; tests/test_store.py uses it to show a crash loses nothing.

Backends: pages and the command line use the narrow `SnapshotStore` protocol below. An object-store backend
(S3-compatible) can implement it with content-named objects and the pointer + audit log written with a conditional
write (If-Match on the pointer object's ETag) in place of the SQLite transaction, without touching pages.
Files here were validated before they were published, so they are read directly; untrusted bytes go through
safe_read first.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import io
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash import catalogue
from cpb_dash.atomic import fsync_dir, write_atomically
from cpb_dash.schema import ACTION_COLUMNS, COUNT_COLUMNS, arrow_schema, columns_for, truth  # noqa: F401 (re-exported)
from cpb_dash.schema import one_line as _label

if TYPE_CHECKING:
    from cpb_dash.findings import Finding

DB_NAME = "store.sqlite"
TIDY_AFTER_SECONDS = 3600  # tidy leaves files younger than this: a publish writes its file just before it commits
BENCHMARKS_FILE = "benchmarks.parquet"
VERSION_COLUMNS = ["dataset", "period_end", "version", "path"]
HISTORY_COLUMNS = [
    "dataset",
    "period_end",
    "version",
    "file_name",
    "rows",
    "published_by",
    "published_at",
    "status",
    "action",
]
CRASH_ENV = "CPB_TEST_CRASH_AT"
SEED_BY = "seed (sample data)"
PUBLISH, ROLLBACK, SEED = "publish", "rollback", "seed"
CURRENT, SUPERSEDED, ROLLED_BACK = "current", "superseded", "rolled back"
_VERSION_RE = re.compile(r"^[0-9a-f]{64}$")
_PERIOD_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCK_NAME = ".store.lock"  # publishes hold it shared while they write and commit; tidy holds it exclusive


def is_period_folder(name: str) -> bool:
    """True for a folder named like a period end ('2025-09-30'): anything else in a dataset folder ('2025-09-30
    copy', '.DS_Store', 'old') is not ours, and is ignored (and listed by `stray_paths`), never parsed."""
    if not _PERIOD_RE.match(name):
        return False
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()  # expected_current default: publish whatever is current now


class StoreError(Exception):
    """A store operation that could not be done; the message is for the officer."""


class StoreConflict(StoreError):
    """The current version changed between the officer's preview and their publish."""


class PublishRefused(StoreError):
    """The file failed validation (or could not be read safely): nothing was written."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    dataset: str
    period_end: dt.date
    version: str
    previous_version: str | None
    rows: int
    action: str  # PUBLISH or ROLLBACK
    changed: bool  # False: the version was already current, nothing was written

    @property
    def is_revision(self) -> bool:
        """A new version for a period that already had one."""
        return self.changed and self.action == PUBLISH and self.previous_version is not None

    @property
    def message(self) -> str:
        label = catalogue.DATASET_LABELS.get(self.dataset, self.dataset)
        when = self.period_end.isoformat()
        if not self.changed:
            return f"{label} for {when}: version {self.version[:12]} is already current; nothing changed."
        if self.action == ROLLBACK:
            return (
                f"{label} for {when}: rolled back to version {self.version[:12]}"
                f" (was {(self.previous_version or '-')[:12]})."
            )
        kind = f"a revision replacing {self.previous_version[:12]}" if self.is_revision else "the first version"
        return f"{label} for {when}: published version {self.version[:12]} ({self.rows:,} rows), {kind}."


class SnapshotStore(Protocol):
    """What pages and the command line may ask of a store. Keep it narrow: another backend implements just this."""

    def current_versions(self) -> pd.DataFrame: ...
    def current_version(self, dataset: str, period_end: dt.date) -> str | None: ...
    def state_token(self) -> str: ...
    def read_current(self, dataset: str) -> pd.DataFrame: ...
    def read_benchmarks(self) -> pd.DataFrame: ...
    def publish(
        self,
        data: bytes,
        dataset: str,
        period_end: dt.date | None,
        file_name: str,
        by: str,
        expected_current: str | None = UNCHECKED,
        today: dt.date | None = None,
        checked: tuple[pd.DataFrame | None, list[Finding]] | None = None,
    ) -> PublishResult: ...
    def rollback(
        self, dataset: str, period_end: dt.date, to_version: str, by: str, expected_current: str | None = UNCHECKED
    ) -> PublishResult: ...
    def publish_many(
        self,
        items: list[tuple[bytes, str, dt.date, str]],
        by: str,
        expected: dict[tuple[str, dt.date], str | None] | None = None,
        today: dt.date | None = None,
    ) -> list[PublishResult]: ...
    def history(self, dataset: str | None = None) -> pd.DataFrame: ...
    def version_bytes(self, dataset: str, period_end: dt.date, version: str) -> bytes: ...
    def tidy(self, older_than_seconds: float = ..., dry_run: bool = False) -> list[Path]: ...


def open_store(data_dir: Path | None = None) -> SnapshotStore:
    """The configured store (today always the local directory backend)."""
    from cpb_dash.config import settings

    return Store(data_dir or settings().data_dir)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS current (
    dataset TEXT NOT NULL, period_end TEXT NOT NULL, version TEXT NOT NULL, PRIMARY KEY (dataset, period_end)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset TEXT NOT NULL, period_end TEXT NOT NULL, version TEXT NOT NULL, previous_version TEXT,
    action TEXT NOT NULL, file_name TEXT NOT NULL, rows INTEGER NOT NULL,
    published_by TEXT NOT NULL, published_at TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _now_utc() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _crash_point(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:  # test hook, see the module docstring
        os._exit(70)


def _use_wal(con: sqlite3.Connection) -> None:
    """WAL mode is a property of the file, set once; switching ignores the busy timeout, so retry briefly."""
    deadline = time.monotonic() + 30
    while con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            con.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Store:
    """The local-directory backend: version files on disk, pointer and audit log in SQLite (see module docstring)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    def _reader(self) -> sqlite3.Connection:
        # mode=rw, not ro: it never creates the database, and the last connection to close removes the WAL
        # side files (a read-only connection would leave store.sqlite-wal and -shm behind).
        return sqlite3.connect(f"file:{self.db_path}?mode=rw", uri=True, timeout=30)

    # -- what is current ----------------------------------------------------------------------------------------
    def _pointers(self) -> dict[tuple[str, str], str] | None:
        """The pointers once the store has been written to; None while the directory is seed files only."""
        if not self.db_path.exists():
            return None
        con = self._reader()
        try:
            seeded = con.execute("SELECT value FROM meta WHERE key = 'seeded_at'").fetchone()
            rows = con.execute("SELECT dataset, period_end, version FROM current").fetchall()
        except sqlite3.OperationalError:
            return None  # created but not yet initialised: treat as seed files only
        finally:
            con.close()
        if seeded is None:
            return None
        return {(d, p): v for d, p, v in rows}

    def _current_entries(self) -> list[tuple[str, str, str, str]]:
        """(dataset, period folder, version, path) for every current version. Cached directory listings and no
        pandas: every page run asks for the state token, so this stays cheap as quarters pile up."""
        pointers = self._pointers()
        entries = []
        for dataset in catalogue.UPLOADABLE_DATASETS:
            base = f"{self.root}/{dataset}"
            for period_name in _listing(base, _PERIODS):
                period_dir = f"{base}/{period_name}"
                files = _listing(period_dir, _PARQUETS)
                if pointers is None:
                    version = _seed_version_of(files)
                    if version is None:
                        continue  # not seeded and not published: nothing current
                else:
                    version = pointers.get((dataset, period_name))
                    if version is None or f"{version}.parquet" not in files:
                        continue
                entries.append((dataset, period_name, version, f"{period_dir}/{version}.parquet"))
        return entries

    def current_versions(self) -> pd.DataFrame:
        """One row per (dataset, period) that has a current version: dataset, period_end, version, path."""
        rows = [(d, pd.Timestamp(p), v, path) for d, p, v, path in self._current_entries()]
        return pd.DataFrame(rows, columns=VERSION_COLUMNS)

    def current_version(self, dataset: str, period_end: dt.date) -> str | None:
        versions = self.current_versions()
        match = versions[(versions["dataset"] == dataset) & (versions["period_end"] == pd.Timestamp(period_end))]
        return None if match.empty else str(match["version"].iloc[0])

    def state_token(self) -> str:
        """Changes whenever any current version changes: the cache key for everything read from the store."""
        bench = self.root / BENCHMARKS_FILE
        bench_stamp = f"{bench.stat().st_mtime_ns}:{bench.stat().st_size}" if bench.exists() else "-"
        text = "|".join(f"{d}/{p}/{v}" for d, p, v, _ in self._current_entries())
        return hashlib.sha256(f"{text}#{bench_stamp}".encode()).hexdigest()[:16]

    # -- reading ------------------------------------------------------------------------------------------------
    def read_current(self, dataset: str) -> pd.DataFrame:
        """Every current period of a dataset, concatenated; period_end as a pandas Timestamp."""
        versions = self.current_versions()
        paths = versions.loc[versions["dataset"] == dataset, "path"].tolist()
        if not paths:
            return empty_frame(dataset)
        frames = [pq.read_table(p).to_pandas() for p in paths]
        frame = pd.concat(frames, ignore_index=True)
        return normalise_frame(frame, dataset)

    def read_benchmarks(self) -> pd.DataFrame:
        path = self.root / BENCHMARKS_FILE
        if not path.exists():
            return pd.DataFrame(columns=["year", "area_code", "area_name", "area_type", "indicator", "value", "symbol"])
        return pq.read_table(path).to_pandas()

    def _version_path(self, dataset: str, period_end: dt.date, version: str) -> Path:
        # Every part is checked, so nothing an officer types can reach outside the data directory.
        if dataset not in catalogue.UPLOADABLE_DATASETS:
            raise StoreError(f"'{_label(dataset, 60)}' is not a dataset.")
        if not _VERSION_RE.match(version):
            raise StoreError(f"'{_label(version, 80)}' is not a version id (64 hexadecimal characters).")
        return self.root / dataset / dt.date.fromisoformat(str(period_end)).isoformat() / f"{version}.parquet"

    def version_bytes(self, dataset: str, period_end: dt.date, version: str) -> bytes:
        """The stored bytes of one version (for download). The name is the SHA-256 of these bytes."""
        path = self._version_path(dataset, period_end, version)
        if not path.exists():
            raise StoreError(f"No version {version[:12]} of {dataset} for {period_end}.")
        return path.read_bytes()

    # -- writing ------------------------------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        self.root.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        try:
            _use_wal(con)
            con.execute("PRAGMA synchronous=FULL")
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: one writer at a time; commit on success, roll back on any exception."""
        with self._connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def _lock(self, exclusive: bool) -> Iterator[None]:
        """A lock file in the data directory: publishes share it while they write their version file and commit,
        tidy takes it alone, so tidy can never delete a file a publish is about to point at (a publish may reuse
        an orphaned file of the same bytes, however old). flock is released if the process dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _initialise(self) -> None:
        """Create the tables and import the seed files (once), before any version file of ours is written."""
        with self._connection() as con:
            con.executescript(_SCHEMA)
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM meta WHERE key = 'seeded_at'").fetchone():
                return
            for dataset in catalogue.UPLOADABLE_DATASETS:
                base = self.root / dataset
                if not base.is_dir():
                    continue
                for period_dir in sorted(p for p in base.iterdir() if p.is_dir() and is_period_folder(p.name)):
                    version = _seed_version(period_dir)
                    if version is None or not _VERSION_RE.match(version):
                        continue
                    path = period_dir / f"{version}.parquet"
                    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                    rows = pq.ParquetFile(path).metadata.num_rows
                    con.execute("INSERT OR IGNORE INTO current VALUES (?, ?, ?)", (dataset, period_dir.name, path.stem))
                    con.execute(
                        "INSERT INTO audit (dataset, period_end, version, previous_version, action, file_name, rows,"
                        " published_by, published_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
                        (dataset, period_dir.name, path.stem, SEED, path.name, rows, SEED_BY, mtime),
                    )
            con.execute("INSERT INTO meta VALUES ('seeded_at', ?)", (_now_utc(),))

    def _write_version_file(self, dataset: str, period: dt.date, version: str, data: bytes) -> None:
        target = self._version_path(dataset, period, version)
        if target.exists() and content_hash(target.read_bytes()) == version:
            return  # immutable and content-named: already there
        period_dir = target.parent
        new_dirs = [d for d in (period_dir.parent, period_dir) if not d.exists()]
        period_dir.mkdir(parents=True, exist_ok=True)
        for made in new_dirs:
            fsync_dir(made.parent)
        write_atomically(target, data)  # via a .tmp file: never mistaken for a version

    def publish(
        self,
        data: bytes,
        dataset: str,
        period_end: dt.date | None,
        file_name: str,
        by: str,
        expected_current: str | None = UNCHECKED,
        today: dt.date | None = None,
        checked: tuple[pd.DataFrame | None, list[Finding]] | None = None,
    ) -> PublishResult:
        """Validate, store and make current one snapshot file. See the module docstring for the steps.

        `expected_current` is the version the officer previewed against (None: no version yet); if the current
        version is then different, StoreConflict is raised and the pointer is not touched. `checked` is the frame
        and findings of the same bytes already read and validated (publishing.check_upload, as the Upload page
        and `publish` command do), so a file is read and validated once; without it the store does both.
        """
        who = _require_who(by)
        frame = (
            decode_upload(data, dataset, file_name, today=today)
            if checked is None
            else _checked_frame(dataset, *checked)
        )
        period = dt.date.fromisoformat(str(pd.Timestamp(frame["period_end"].iloc[0]).date()))
        if period_end is not None and dt.date.fromisoformat(str(period_end)) != period:
            raise PublishRefused(
                f"The file is for {period.isoformat()}, not {dt.date.fromisoformat(str(period_end)).isoformat()}:"
                " nothing was published."
            )
        stored = encode_snapshot(frame, dataset)
        version = content_hash(stored)
        rows = len(frame)
        self._initialise()
        current = self.current_version(dataset, period)
        if current == version:
            return PublishResult(dataset, period, version, current, rows, PUBLISH, changed=False)
        _check_expected(expected_current, current, dataset, period)
        with self._lock(exclusive=False):
            return self._write_and_commit(dataset, period, version, stored, rows, file_name, who, expected_current)

    def _write_and_commit(
        self,
        dataset: str,
        period: dt.date,
        version: str,
        stored: bytes,
        rows: int,
        file_name: str,
        who: str,
        expected_current: str | None,
    ) -> PublishResult:
        """Steps 2 and 3 of a publish, under the shared lock (see `_lock`)."""
        self._write_version_file(dataset, period, version, stored)
        _crash_point("after_version_file")
        with self._transaction() as con:
            row = con.execute(
                "SELECT version FROM current WHERE dataset = ? AND period_end = ?", (dataset, period.isoformat())
            ).fetchone()
            current = row[0] if row else None
            if current == version:  # another officer published the same bytes a moment ago
                return PublishResult(dataset, period, version, current, rows, PUBLISH, changed=False)
            _check_expected(expected_current, current, dataset, period)
            self._move_pointer(
                con, dataset, period, version, current, PUBLISH, _label(file_name, 120) or "-", rows, who
            )
            _crash_point("before_commit")
        return PublishResult(dataset, period, version, current, rows, PUBLISH, changed=True)

    def publish_many(
        self,
        items: list[tuple[bytes, str, dt.date, str]],
        by: str,
        expected: dict[tuple[str, dt.date], str | None] | None = None,
        today: dt.date | None = None,
    ) -> list[PublishResult]:
        """Publish several (bytes, dataset, period_end, file_name) snapshots all or nothing.

        Every file is validated and its version file written first; then one transaction checks each period's
        current version against `expected` (what the officer previewed) and moves every pointer, one audit event
        per version. A refusal, a conflict or a crash before the commit leaves every period as it was.
        """
        who = _require_who(by)
        prepared = []
        seen: set[tuple[str, dt.date]] = set()
        for data, dataset, period_end, file_name in items:
            period = dt.date.fromisoformat(str(period_end))
            label = catalogue.DATASET_LABELS.get(dataset, dataset)
            if (dataset, period) in seen:
                raise PublishRefused(f"{label} for {period.isoformat()} is given twice: nothing was published.")
            seen.add((dataset, period))
            try:
                frame = decode_upload(data, dataset, file_name, today=today)
            except PublishRefused as err:
                raise PublishRefused(
                    f"{label} for {period.isoformat()}: {err} Nothing was published.", err.findings
                ) from None
            found = dt.date.fromisoformat(str(pd.Timestamp(frame["period_end"].iloc[0]).date()))
            if found != period:
                raise PublishRefused(
                    f"{label}: a file is for {found.isoformat()}, not {period.isoformat()}: nothing was published."
                )
            stored = encode_snapshot(frame, dataset)
            prepared.append((dataset, period, content_hash(stored), stored, len(frame), _label(file_name, 120) or "-"))
        self._initialise()
        for dataset, period, version, stored, _, _ in prepared:
            self._write_version_file(dataset, period, version, stored)
        _crash_point("after_version_file")
        results = []
        with self._transaction() as con:
            for dataset, period, version, _, rows, name in prepared:
                row = con.execute(
                    "SELECT version FROM current WHERE dataset = ? AND period_end = ?", (dataset, period.isoformat())
                ).fetchone()
                current = row[0] if row else None
                if current == version:
                    results.append(PublishResult(dataset, period, version, current, rows, PUBLISH, changed=False))
                    continue
                if expected is not None:
                    _check_expected(expected.get((dataset, period)), current, dataset, period)
                self._move_pointer(con, dataset, period, version, current, PUBLISH, name, rows, who)
                results.append(PublishResult(dataset, period, version, current, rows, PUBLISH, changed=True))
            _crash_point("before_commit")
        return results

    def rollback(
        self, dataset: str, period_end: dt.date, to_version: str, by: str, expected_current: str | None = UNCHECKED
    ) -> PublishResult:
        """Make an earlier version of a period current again; recorded in the audit log like a publish.

        `to_version` may be the full SHA-256 or a unique prefix of at least 8 characters.
        """
        who = _require_who(by)
        period = dt.date.fromisoformat(str(period_end))
        self._initialise()
        with self._transaction() as con:
            known = con.execute(
                "SELECT version, file_name, rows FROM audit WHERE dataset = ? AND period_end = ? AND action != ?"
                " ORDER BY id",
                (dataset, period.isoformat(), ROLLBACK),
            ).fetchall()
            wanted = str(to_version).strip().lower()
            matches = {v: (f, r) for v, f, r in known if len(wanted) >= 8 and v.startswith(wanted)}
            if len(matches) != 1:
                what = "matches more than one version" if matches else "is not a version of this period"
                raise StoreError(f"'{_label(to_version, 80)}' {what} ({dataset}, {period.isoformat()}).")
            ((version, (file_name, rows)),) = matches.items()
            path = self._version_path(dataset, period, version)
            if not path.exists() or content_hash(path.read_bytes()) != version:
                raise StoreError(f"Version {version[:12]} is missing or damaged on disk; nothing was changed.")
            row = con.execute(
                "SELECT version FROM current WHERE dataset = ? AND period_end = ?", (dataset, period.isoformat())
            ).fetchone()
            current = row[0] if row else None
            if current == version:
                return PublishResult(dataset, period, version, current, rows, ROLLBACK, changed=False)
            _check_expected(expected_current, current, dataset, period)
            self._move_pointer(con, dataset, period, version, current, ROLLBACK, file_name, rows, who)
        return PublishResult(dataset, period, version, current, rows, ROLLBACK, changed=True)

    @staticmethod
    def _move_pointer(
        con: sqlite3.Connection,
        dataset: str,
        period: dt.date,
        version: str,
        previous: str | None,
        action: str,
        file_name: str,
        rows: int,
        who: str,
    ) -> None:
        con.execute(
            "INSERT INTO current VALUES (?, ?, ?)"
            " ON CONFLICT (dataset, period_end) DO UPDATE SET version = excluded.version",
            (dataset, period.isoformat(), version),
        )
        con.execute(
            "INSERT INTO audit (dataset, period_end, version, previous_version, action, file_name, rows, published_by,"
            " published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (dataset, period.isoformat(), version, previous, action, file_name, rows, who, _now_utc()),
        )

    # -- tidying -----------------------------------------------------------------------------------------------
    def tidy(self, older_than_seconds: float = TIDY_AFTER_SECONDS, dry_run: bool = False) -> list[Path]:
        """Remove what no publish, rollback or history can use, and return it: temporary files left by a publish
        that was killed mid-write, and version files that no audit event names (written by a publish that then
        lost a conflict or crashed before its commit). Only files older than `older_than_seconds`, so a publish
        in progress (which writes its file a moment before it commits) is never touched. Every version the audit
        log names stays, so rollback and history keep working. Before the first publish (seed files only, no
        store.sqlite) nothing is removed."""
        if not self.db_path.exists():
            return []
        with self._lock(exclusive=True):  # no publish is between writing its file and committing
            return self._tidy_locked(older_than_seconds, dry_run)

    def _tidy_locked(self, older_than_seconds: float, dry_run: bool) -> list[Path]:
        con = self._reader()
        try:
            named = {(d, p, v) for d, p, v in con.execute("SELECT dataset, period_end, version FROM audit")}
        finally:
            con.close()
        cutoff = time.time() - older_than_seconds
        removed = []
        for dataset in catalogue.UPLOADABLE_DATASETS:
            base = self.root / dataset
            if not base.is_dir():
                continue
            for period_dir in sorted(p for p in base.iterdir() if p.is_dir() and is_period_folder(p.name)):
                for path in sorted(period_dir.iterdir()):
                    if not path.is_file() or path.stat().st_mtime >= cutoff:
                        continue
                    leftover = path.name.startswith(".") and path.name.endswith(".tmp")
                    orphan = (
                        path.suffix == ".parquet"
                        and _VERSION_RE.match(path.stem) is not None
                        and (dataset, period_dir.name, path.stem) not in named
                    )
                    if leftover or orphan:
                        removed.append(path)
                        if not dry_run:
                            path.unlink(missing_ok=True)
        return removed

    def stray_paths(self) -> list[Path]:
        """Folders in a dataset folder that are not period folders ('2025-09-30 copy'): ignored by every read and
        write, listed here so `history` and the Upload page can say so. Nothing is ever deleted from them."""
        stray = []
        for dataset in catalogue.UPLOADABLE_DATASETS:
            base = self.root / dataset
            if base.is_dir():
                stray += [base / e.name for e in os.scandir(base) if e.is_dir() and not is_period_folder(e.name)]
        return sorted(stray)

    # -- history ------------------------------------------------------------------------------------------------
    def history(self, dataset: str | None = None) -> pd.DataFrame:
        """Every publish, rollback and seed, newest first, with each event's status now:
        current (it set today's pointer), rolled back (the next event for its period was a rollback) or superseded."""
        if self._pointers() is None:
            return self._seed_history(dataset)
        con = self._reader()
        try:
            audit = pd.read_sql_query("SELECT * FROM audit ORDER BY id", con)
        finally:
            con.close()
        if dataset is not None:
            audit = audit[audit["dataset"] == dataset]
        records = []
        for _, events in audit.groupby(["dataset", "period_end"], sort=False):
            events = events.reset_index(drop=True)
            for i, event in events.iterrows():
                if i == len(events) - 1:
                    status = CURRENT
                else:
                    status = ROLLED_BACK if events.loc[i + 1, "action"] == ROLLBACK else SUPERSEDED
                records.append({**event.to_dict(), "status": status})
        frame = pd.DataFrame.from_records(records, columns=[*audit.columns, "status"])
        frame = frame.sort_values("id", ascending=False, ignore_index=True)
        return frame[HISTORY_COLUMNS]

    def _seed_history(self, dataset: str | None) -> pd.DataFrame:
        """Before the first write: the seed files, as the first write will record them."""
        versions = self.current_versions()
        if dataset is not None:
            versions = versions[versions["dataset"] == dataset]
        records = [
            {
                "dataset": row.dataset,
                "period_end": row.period_end.date().isoformat(),
                "version": row.version,
                "file_name": Path(row.path).name,
                "rows": pq.ParquetFile(row.path).metadata.num_rows,
                "published_by": SEED_BY,
                "published_at": dt.datetime.fromtimestamp(Path(row.path).stat().st_mtime, dt.UTC).strftime(
                    "%Y-%m-%dT%H:%M:%S.%fZ"
                ),
                "status": CURRENT,
                "action": SEED,
            }
            for row in versions.itertuples(index=False)
        ]
        frame = pd.DataFrame.from_records(records, columns=HISTORY_COLUMNS)
        return frame.sort_values(["period_end", "dataset"], ascending=[False, True], ignore_index=True)


def _seed_version(period_dir: Path) -> str | None:
    """Before the first write, the period's current file (see _seed_version_of)."""
    names = tuple(e.name for e in os.scandir(period_dir) if e.name.endswith(".parquet") and e.is_file())
    return _seed_version_of(names)


@functools.lru_cache(maxsize=4096)
def _seed_version_of(parquet_names: tuple[str, ...]) -> str | None:
    """Of a period directory's parquet files: its one version-named file (a stray copy beside it, 'abc (1).parquet',
    is not ours and is ignored), or else its only parquet file; None if it is ambiguous."""
    names = [n[: -len(".parquet")] for n in parquet_names]
    versions = [n for n in names if _VERSION_RE.match(n)]
    if len(versions) == 1:
        return versions[0]
    return names[0] if len(names) == 1 else None


# What a directory listing keeps: a dataset folder's period folders, or a period folder's parquet files.
_PERIODS, _PARQUETS = "periods", "parquets"
# path -> (device, inode, mtime, ctime, kind, sorted names). Adding, removing or renaming an entry changes the
# directory's mtime and ctime (and a copy that sets an old mtime still gets a new ctime), so an unchanged stat means
# an unchanged listing, with one exception: a change within the same clock tick as the listing. A listing is therefore
# kept only when the directory was last changed well before it was read (as git treats "racily clean" index
# entries); a recently changed directory is listed again each time.
_LISTINGS: dict[str, tuple[int, int, int, int, str, tuple[str, ...]]] = {}
_RACY_NS = 2_000_000_000


def _listing(path: str, kind: str) -> tuple[str, ...]:
    """The sorted names a directory holds of one kind; () if it is not a directory. Cached while unchanged."""
    try:
        st = os.stat(path)
        cached = _LISTINGS.get(path)
        stamp = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, kind)
        if cached is not None and cached[:5] == stamp:
            return cached[5]
        read_at = time.time_ns()
        with os.scandir(path) as it:
            if kind == _PERIODS:
                names = tuple(sorted(e.name for e in it if is_period_folder(e.name) and e.is_dir()))
            else:
                names = tuple(sorted(e.name for e in it if e.name.endswith(".parquet") and e.is_file()))
    except OSError:
        return ()  # not there, or not a directory
    if max(st.st_mtime_ns, st.st_ctime_ns) < read_at - _RACY_NS:
        if len(_LISTINGS) > 4096:
            _LISTINGS.clear()
        _LISTINGS[path] = (*stamp, names)
    return names


def _require_who(by: str) -> str:
    who = _label(by)
    if not who:
        raise StoreError("Say who is publishing (an e-mail address): every change is recorded with its author.")
    return who


def _check_expected(expected: str | None, current: str | None, dataset: str, period: dt.date) -> None:
    if expected is UNCHECKED or expected == current:
        return
    label = catalogue.DATASET_LABELS.get(dataset, dataset)
    now = f"version {current[:12]}" if current else "no version"
    raise StoreConflict(
        f"{label} for {period.isoformat()} changed under you: you previewed against"
        f" {'version ' + expected[:12] if expected else 'no version'}, and {now} is current now (someone else"
        " published or rolled back). Nothing was published; look at the new current version and try again."
    )


# ---------------------------------------------------------------------------------------------------------------
# Untrusted bytes -> validated frame -> stored parquet
# ---------------------------------------------------------------------------------------------------------------


def decode_upload(data: bytes, dataset: str, file_name: str, today: dt.date | None = None) -> pd.DataFrame:
    """Read untrusted bytes safely and validate them; PublishRefused (with every error) if they must not be stored."""
    from cpb_dash.contract import validate_frame
    from cpb_dash.findings import ERROR
    from cpb_dash.safe_read import read_untrusted

    if dataset not in catalogue.UPLOADABLE_DATASETS:
        raise PublishRefused(f"'{_label(dataset, 60)}' is not a dataset that can be uploaded.")
    frame, findings = read_untrusted(data, dataset, file_name)
    errors = [f for f in findings if f.level == ERROR]
    if frame is None or errors:
        raise PublishRefused(_refusal(errors), errors)
    errors = [f for f in validate_frame(frame, dataset, file_name, today=today) if f.level == ERROR]
    if errors:
        raise PublishRefused(_refusal(errors), errors)
    return frame


def _checked_frame(dataset: str, frame: pd.DataFrame | None, findings: list[Finding]) -> pd.DataFrame:
    """The frame of a file already read and validated, or PublishRefused with its errors."""
    from cpb_dash.findings import ERROR

    if dataset not in catalogue.UPLOADABLE_DATASETS:
        raise PublishRefused(f"'{_label(dataset, 60)}' is not a dataset that can be uploaded.")
    errors = [f for f in findings if f.level == ERROR]
    if frame is None or errors:
        raise PublishRefused(_refusal(errors), errors)
    return frame


def _refusal(errors: list[Finding]) -> str:
    first = errors[0].message if errors else "the file could not be read"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"Not published: {first}{more}"


def _bool(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, str):
        return truth(value)
    return bool(value)


def _column(values: pd.Series, kind: pa.DataType) -> pa.Array:
    if pa.types.is_date32(kind):
        dates = pd.to_datetime(values, errors="coerce")
        return pa.array([None if pd.isna(d) else d.date() for d in dates], type=kind)
    if pa.types.is_floating(kind):
        return pa.array(pd.to_numeric(values, errors="coerce").astype("float64"), type=kind, from_pandas=True)
    if pa.types.is_integer(kind):
        return pa.array(pd.to_numeric(values, errors="coerce").astype("Int64"), type=kind, from_pandas=True)
    if pa.types.is_boolean(kind):
        return pa.array([_bool(v) for v in values], type=kind)
    return pa.array(
        [None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else str(v) for v in values],
        type=kind,
    )


def encode_snapshot(frame: pd.DataFrame, dataset: str) -> bytes:
    """A validated frame as parquet bytes in the contract's schema: deterministic, so the same rows give the same
    bytes (and so the same version id)."""
    schema = arrow_schema(dataset)
    table = pa.Table.from_arrays([_column(frame[f.name], f.type) for f in schema], schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def empty_frame(dataset: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in columns_for(dataset)})
    return normalise_frame(frame, dataset)


def normalise_frame(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Dates as Timestamps, values as floats, so every reader sees the same dtypes."""
    frame = frame.copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    if dataset == catalogue.ACTION_PLAN:
        frame["due_date"] = pd.to_datetime(frame["due_date"])
    elif dataset in (catalogue.TARGETS, catalogue.COMMENTARY):
        from cpb_dash import board_notes

        frame = board_notes.normalise(frame, dataset)
    else:
        values = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
        # An infinite value can only be in a file the contract never checked (a seed file, an old publish): it is
        # no count, so it is read as missing (shown as 'x'), never let through to break a page's arithmetic.
        frame["value"] = values.where(np.isfinite(values))
    return frame

"""The store's write side: publish, idempotence, revisions, rollback, history, conflicts and crashes."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cpb_dash import store as store_module
from cpb_dash.store import (
    CRASH_ENV,
    PublishRefused,
    Store,
    StoreConflict,
    StoreError,
    content_hash,
    encode_snapshot,
)
from tests.conftest import ROOT, count_rows

Q1 = dt.date(2025, 3, 31)
Q2 = dt.date(2025, 6, 30)


def snapshot(period: dt.date, cla: float = 350, population: float = 55_000) -> bytes:
    """A small valid care_population snapshot as parquet bytes."""
    frame = count_rows(period, [("cla", cla), ("population_0_17", population)])
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def seed(root: Path, period: dt.date, cla: float = 340) -> str:
    """A seed file as the sample data ships them: one content-named file in a period directory, no store.sqlite."""
    data = encode_snapshot(pq.read_table(io.BytesIO(snapshot(period, cla))).to_pandas(), "care_population")
    version = content_hash(data)
    folder = root / "care_population" / period.isoformat()
    folder.mkdir(parents=True)
    (folder / f"{version}.parquet").write_bytes(data)
    return version


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def audit_consistent(root: Path) -> bool:
    """The pointer of every period is the version of its last audit event."""
    con = sqlite3.connect(root / "store.sqlite")
    try:
        pointers = dict(((d, p), v) for d, p, v in con.execute("SELECT dataset, period_end, version FROM current"))
        last = {}
        for d, p, v in con.execute("SELECT dataset, period_end, version FROM audit ORDER BY id"):
            last[(d, p)] = v
    finally:
        con.close()
    return pointers == last


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "data"


def test_seed_files_are_current_and_shown_in_history_before_any_write(root):
    version = seed(root, Q1)
    store = Store(root)
    assert store.current_version("care_population", Q1) == version
    history = store.history()
    assert history[["version", "status", "action"]].values.tolist() == [[version, "current", "seed"]]
    assert not (root / "store.sqlite").exists()


def test_publish_makes_a_new_period_current_and_records_who_when_what(root):
    seed_version = seed(root, Q1)
    store = Store(root)
    token = store.state_token()
    result = store.publish(
        snapshot(Q2, cla=361), "care_population", Q2, "q2.parquet", by="ann@hackney.gov.uk", expected_current=None
    )
    assert result.changed and not result.is_revision and result.rows == 2
    assert store.current_version("care_population", Q2) == result.version
    assert store.current_version("care_population", Q1) == seed_version
    assert store.state_token() != token
    stored = store.version_bytes("care_population", Q2, result.version)
    assert content_hash(stored) == result.version  # named by the hash of the stored bytes
    frame = store.read_current("care_population")
    assert frame.loc[(frame["period_end"] == pd.Timestamp(Q2)) & (frame["measure"] == "cla"), "value"].item() == 361
    history = store.history()
    newest = history.iloc[0]
    assert (
        newest["version"],
        newest["file_name"],
        newest["rows"],
        newest["published_by"],
        newest["status"],
        newest["action"],
    ) == (result.version, "q2.parquet", 2, "ann@hackney.gov.uk", "current", "publish")
    assert newest["published_at"].endswith("Z")
    assert history.iloc[1]["action"] == "seed"  # imported on the first write
    assert audit_consistent(root)


def test_the_state_token_sees_a_seed_file_changed_by_hand_at_once(root):
    """The token's directory listings are cached; a folder changed a moment ago is listed again, never trusted."""
    first = seed(root, Q1)
    store = Store(root)
    token = store.state_token()
    second = seed(root, Q2)  # a new period folder, straight after the token was read
    assert store.state_token() != token
    assert store.current_version("care_population", Q2) == second
    (root / "care_population" / Q1.isoformat() / f"{first}.parquet").unlink()
    assert store.current_version("care_population", Q1) is None


def test_a_cached_listing_is_reused_until_its_folder_changes(root, monkeypatch):
    seed(root, Q1)
    store = Store(root)
    monkeypatch.setattr(store_module, "_RACY_NS", -(10**18))  # every listing old enough to keep
    store.state_token()
    scans = []
    real_scandir = os.scandir
    monkeypatch.setattr(store_module.os, "scandir", lambda path: scans.append(path) or real_scandir(path))
    token = store.state_token()
    assert scans == []  # nothing changed: no folder listed again
    time.sleep(0.05)  # past the file system's clock tick, which the racy-listing rule otherwise covers
    second = seed(root, Q2)
    assert store.state_token() != token
    assert store.current_version("care_population", Q2) == second
    assert str(root / "care_population") in scans


def test_a_revision_supersedes_the_current_version(root):
    seed_version = seed(root, Q1)
    store = Store(root)
    result = store.publish(
        snapshot(Q1, cla=345), "care_population", Q1, "fix.parquet", by="ann@x", expected_current=seed_version
    )
    assert result.is_revision and result.previous_version == seed_version
    statuses = dict(zip(store.history()["version"], store.history()["status"], strict=True))
    assert statuses == {result.version: "current", seed_version: "superseded"}


def test_publishing_the_same_bytes_twice_is_idempotent(root):
    seed(root, Q1)
    store = Store(root)
    data = snapshot(Q2)
    first = store.publish(data, "care_population", None, "a.parquet", by="ann@x")
    before = file_hashes(root)
    second = store.publish(data, "care_population", None, "a-again.parquet", by="bob@x", expected_current=first.version)
    assert first.changed and not second.changed
    assert "already current" in second.message
    assert len(store.history(dataset="care_population")) == 2  # the seed and one publish
    assert file_hashes(root) == before


def test_rollback_restores_an_earlier_version_and_is_recorded(root):
    seed_version = seed(root, Q1)
    store = Store(root)
    revision = store.publish(snapshot(Q1, cla=999), "care_population", Q1, "oops.parquet", by="ann@x")
    token = store.state_token()
    back = store.rollback("care_population", Q1, seed_version[:12], by="bob@x")
    assert back.changed and back.version == seed_version and back.previous_version == revision.version
    assert store.current_version("care_population", Q1) == seed_version
    assert store.state_token() != token
    history = store.history()
    assert history[["action", "status", "published_by"]].values.tolist() == [
        ["rollback", "current", "bob@x"],
        ["publish", "rolled back", "ann@x"],
        ["seed", "superseded", "seed (sample data)"],
    ]
    assert not store.rollback("care_population", Q1, seed_version, by="bob@x").changed
    with pytest.raises(StoreError, match="not a version of this period"):
        store.rollback("care_population", Q1, "deadbeefdeadbeef", by="bob@x")
    assert audit_consistent(root)


def test_a_stale_preview_is_told_it_changed_under_them_and_nothing_moves(root):
    seed_version = seed(root, Q1)
    store = Store(root)
    winner = store.publish(
        snapshot(Q1, cla=346), "care_population", Q1, "a.parquet", by="ann@x", expected_current=seed_version
    )
    with pytest.raises(StoreConflict, match="changed under you"):
        store.publish(
            snapshot(Q1, cla=347), "care_population", Q1, "b.parquet", by="bob@x", expected_current=seed_version
        )
    assert store.current_version("care_population", Q1) == winner.version
    assert len(store.history()) == 2


def test_two_concurrent_publishers_one_wins_the_other_is_told(root):
    seed_version = seed(root, Q1)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def publish(name: str, cla: float) -> None:
        data = snapshot(Q1, cla=cla)
        barrier.wait()
        try:
            outcomes[name] = Store(root).publish(
                data, "care_population", Q1, f"{name}.parquet", by=f"{name}@x", expected_current=seed_version
            )
        except StoreConflict as err:
            outcomes[name] = err

    threads = [threading.Thread(target=publish, args=(n, c)) for n, c in (("ann", 351), ("bob", 352))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    conflicts = [o for o in outcomes.values() if isinstance(o, StoreConflict)]
    wins = [o for o in outcomes.values() if not isinstance(o, StoreConflict)]
    assert len(conflicts) == 1 and len(wins) == 1
    store = Store(root)
    assert store.current_version("care_population", Q1) == wins[0].version
    assert store.history()["action"].tolist() == ["publish", "seed"]
    assert audit_consistent(root)


@pytest.mark.parametrize("step", ["after_version_file", "before_commit"])
def test_a_publish_killed_between_its_steps_leaves_the_previous_version_current(root, step):
    seed_version = seed(root, Q1)
    Store(root).publish(snapshot(Q2), "care_population", None, "q2.parquet", by="ann@x")  # the store exists
    before = Store(root).history()
    upload = root.parent / "upload.parquet"
    upload.write_bytes(snapshot(Q1, cla=999))
    script = (
        "import sys; from pathlib import Path; from cpb_dash.store import Store;"
        "Store(Path(sys.argv[1])).publish(Path(sys.argv[2]).read_bytes(), 'care_population', None, 'up.parquet',"
        " by='crash@x')"
    )
    env = {**os.environ, CRASH_ENV: step}
    done = subprocess.run([sys.executable, "-c", script, str(root), str(upload)], env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 70  # the hook ended the process at that step
    store = Store(root)
    assert store.current_version("care_population", Q1) == seed_version
    pd.testing.assert_frame_equal(store.history(), before)
    assert audit_consistent(root)
    assert not list(root.rglob("*.tmp"))  # no partial file anywhere
    # the officer simply publishes again
    again = store.publish(
        upload.read_bytes(), "care_population", None, "up.parquet", by="ann@x", expected_current=seed_version
    )
    assert again.changed and store.current_version("care_population", Q1) == again.version


def test_a_file_that_fails_validation_writes_nothing(root):
    seed(root, Q1)
    Store(root).publish(snapshot(Q2), "care_population", None, "q2.parquet", by="ann@x")
    before = file_hashes(root)
    with pytest.raises(PublishRefused) as refused:
        Store(root).publish(b"not a parquet file", "care_population", None, "bad.parquet", by="ann@x")
    assert refused.value.findings and str(refused.value).startswith("Not published:")
    assert file_hashes(root) == before


def test_a_file_for_another_period_than_asked_is_refused(root):
    seed(root, Q1)
    with pytest.raises(PublishRefused, match="is for 2025-06-30, not 2025-03-31"):
        Store(root).publish(snapshot(Q2), "care_population", Q1, "q2.parquet", by="ann@x")
    assert not (root / "store.sqlite").exists()


def test_an_author_is_required(root):
    with pytest.raises(StoreError, match="who is publishing"):
        Store(root).publish(snapshot(Q2), "care_population", None, "q2.parquet", by="  ")


def test_version_ids_and_datasets_are_checked_before_any_path_is_made(root):
    seed(root, Q1)
    store = Store(root)
    with pytest.raises(StoreError, match="not a version id"):
        store.version_bytes("care_population", Q1, "../../store")
    with pytest.raises(StoreError, match="not a dataset"):
        store.version_bytes("../care_population", Q1, "0" * 64)


def test_the_audit_log_is_append_only(root):
    seed(root, Q1)
    Store(root).publish(snapshot(Q2), "care_population", None, "q2.parquet", by="ann@x")
    con = sqlite3.connect(root / "store.sqlite")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE audit SET published_by = 'someone else'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit")
    finally:
        con.close()


def test_stored_files_use_the_contract_schema_whatever_was_uploaded(root):
    frame = count_rows(Q2, [("cla", 350), ("population_0_17", 55_000)])
    frame["period_end"] = frame["period_end"].dt.strftime("%Y-%m-%d")  # text dates, as a CSV gives them
    stored = encode_snapshot(frame, "care_population")
    assert pq.read_schema(io.BytesIO(stored)) == store_module.arrow_schema("care_population")
    assert encode_snapshot(frame, "care_population") == stored  # deterministic: same rows, same version id


def _age(path: Path, seconds: float) -> Path:
    then = path.stat().st_mtime - seconds
    os.utime(path, (then, then))
    return path


def test_tidy_removes_only_leftovers_and_every_version_the_audit_names_stays(root, capsys, monkeypatch):
    from cpb_dash.cli import main

    seed_version = seed(root, Q1)
    store = Store(root)
    assert store.tidy(older_than_seconds=0) == []  # seed files only: nothing is ever removed
    first = store.publish(snapshot(Q2, cla=361), "care_population", Q2, "q2.parquet", by="ann@hackney.gov.uk")
    second = store.publish(snapshot(Q2, cla=362), "care_population", Q2, "q2b.parquet", by="ann@hackney.gov.uk")
    # A publish killed after writing its file, before its commit, leaves a version file nobody names.
    upload = root.parent / "late.parquet"
    upload.write_bytes(snapshot(Q2, cla=363))
    script = (
        "import sys; from pathlib import Path; from cpb_dash.store import Store;"
        "Store(Path(sys.argv[1])).publish(Path(sys.argv[2]).read_bytes(), 'care_population', None,"
        " 'late.parquet', by='crash@x')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(root), str(upload)],
        cwd=ROOT,
        timeout=120,
        env={**os.environ, CRASH_ENV: "after_version_file"},
    )
    assert done.returncode == 70
    folder = root / "care_population" / Q2.isoformat()
    (orphan,) = [p for p in folder.glob("*.parquet") if p.stem not in (first.version, second.version)]
    killed = folder / f".{'0' * 64}.deadbeef.tmp"  # a publish killed mid-write
    killed.write_bytes(b"half a file")
    fresh = folder / f".{'1' * 64}.cafe.tmp"  # a publish writing right now
    fresh.write_bytes(b"being written")
    for path in (*folder.iterdir(), *(root / "care_population" / Q1.isoformat()).iterdir()):
        if path != fresh:
            _age(path, 2 * 3600)

    before = file_hashes(root)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    assert main(["tidy", "--dry-run"]) == 0
    assert "Would remove 2 file(s)" in capsys.readouterr().out
    assert file_hashes(root) == before  # a dry run removes nothing

    removed = store.tidy()
    assert sorted(removed) == sorted([orphan, killed])
    assert not orphan.exists() and not killed.exists() and fresh.exists()
    assert store.current_version("care_population", Q2) == second.version
    assert store.current_version("care_population", Q1) == seed_version
    store.rollback("care_population", Q2, first.version, by="ann@hackney.gov.uk")  # the superseded version stays
    assert store.current_version("care_population", Q2) == first.version
    assert audit_consistent(root)

"""The store against races and a messy data directory (issue 15, items 8, 10, 11): tidy never deletes a file a
publish is about to point at, a stray folder is ignored and reported, and a command-line rollback refuses to undo
a publish it did not expect."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from cpb_dash import cli
from cpb_dash.store import Store, content_hash, encode_snapshot
from tests.contract_helpers import PERIOD, care_population, parquet_bytes

OFFICER = "officer@hackney.gov.uk"


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    Store(root).publish(parquet_bytes(care_population()), "care_population", PERIOD, "first.parquet", by=OFFICER)
    return root


def revised(value: float) -> bytes:
    frame = care_population()
    frame.loc[frame["measure"] == "cla_started", "value"] = value
    return parquet_bytes(frame)


def make_old(path: Path) -> None:
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))


# -- item 8: tidy against publish --------------------------------------------------------------------------------


def test_tidy_waits_for_a_publish_that_reuses_an_old_orphaned_file(store_dir):
    """The race of item 8, made certain: a publish finds the orphaned file of its own bytes (over an hour old, so
    tidy's to remove), and tidy runs between that and the commit. Tidy must wait; the quarter stays published.

    The publish is paused by wrapping the store's own file-writing step (it still runs in full): the pause is
    the only thing the test adds."""
    store = Store(store_dir)
    frame = care_population()
    frame.loc[frame["measure"] == "cla_started", "value"] = 9.0
    data, stored = parquet_bytes(frame), encode_snapshot(frame, "care_population")
    version = content_hash(stored)
    orphan = store_dir / "care_population" / PERIOD.isoformat() / f"{version}.parquet"
    orphan.write_bytes(stored)  # left by a publish that lost a conflict long ago
    make_old(orphan)

    file_checked, tidy_started = threading.Event(), threading.Event()
    real_write = Store._write_version_file

    def write_then_pause(self, *args):
        real_write(self, *args)
        file_checked.set()
        tidy_started.wait(10)
        time.sleep(0.5)  # give tidy every chance to delete the file now, if the lock did not stop it

    publishing = Store(store_dir)
    publishing._write_version_file = write_then_pause.__get__(publishing)
    result: dict = {}
    thread = threading.Thread(
        target=lambda: result.setdefault(
            "publish", publishing.publish(data, "care_population", PERIOD, "again.parquet", by=OFFICER)
        )
    )
    thread.start()
    assert file_checked.wait(10)
    removed: list = []
    tidier = threading.Thread(target=lambda: removed.extend(store.tidy()))
    tidier.start()
    tidy_started.set()
    thread.join(20)
    tidier.join(20)
    assert result["publish"].version == version and result["publish"].changed
    assert removed == []  # once the publish committed, the file is named by the audit log
    assert orphan.exists() and content_hash(orphan.read_bytes()) == version
    assert store.current_version("care_population", PERIOD) == version
    assert len(store.read_current("care_population")) == len(care_population())


def test_tidy_still_removes_an_old_orphan_no_publish_wants(store_dir):
    stray_version = store_dir / "care_population" / PERIOD.isoformat() / f"{'ab' * 32}.parquet"
    stray_version.write_bytes(b"PAR1 left by a killed publish")
    make_old(stray_version)
    assert Store(store_dir).tidy() == [stray_version] and not stray_version.exists()


# -- item 10: a stray folder -------------------------------------------------------------------------------------


def test_a_stray_folder_is_ignored_and_reported_by_history(store_dir, capsys):
    period_dir = store_dir / "care_population" / PERIOD.isoformat()
    stray = store_dir / "care_population" / f"{PERIOD.isoformat()} copy"
    stray.mkdir()
    for path in period_dir.iterdir():
        (stray / path.name).write_bytes(path.read_bytes())
    make_old(next(stray.iterdir()))
    (store_dir / "care_population" / "2025-02-30").mkdir()  # a date that does not exist
    before = file_hashes(stray)
    assert cli.main(["history"]) == 0
    out = capsys.readouterr()
    assert f"Ignored (not a period folder of ours): care_population/{PERIOD.isoformat()} copy" in out.err
    assert "care_population/2025-02-30" in out.err and "first.parquet" in out.out
    assert Store(store_dir).tidy() == []
    result = Store(store_dir).publish(revised(9.0), "care_population", PERIOD, "q2b.parquet", by=OFFICER)
    assert result.changed
    assert file_hashes(stray) == before


def test_a_stray_folder_before_the_first_publish_is_not_seeded(tmp_path):
    root = tmp_path / "fresh"
    period_dir = root / "care_population" / PERIOD.isoformat()
    period_dir.mkdir(parents=True)
    stored = encode_snapshot(care_population(), "care_population")
    (period_dir / f"{content_hash(stored)}.parquet").write_bytes(stored)
    (root / "care_population" / "old").mkdir()
    (root / "care_population" / "old" / f"{content_hash(stored)}.parquet").write_bytes(stored)
    store = Store(root)
    assert len(store.current_versions()) == 1
    store.publish(revised(9.0), "care_population", PERIOD, "q2b.parquet", by=OFFICER)
    assert set(store.history()["period_end"]) == {PERIOD.isoformat()}


# -- item 11: rollback checks what it replaces -------------------------------------------------------------------


def rollback(*extra: str) -> int:
    return cli.main(
        ["rollback", "--dataset", "care_population", "--period", PERIOD.isoformat(), "--by", OFFICER, *extra]
    )


def test_a_rollback_refuses_to_undo_a_publish_that_landed_since(store_dir, capsys):
    store = Store(store_dir)
    first = store.current_version("care_population", PERIOD)
    second = store.publish(revised(9.0), "care_population", PERIOD, "b.parquet", by=OFFICER).version
    third = store.publish(revised(10.0), "care_population", PERIOD, "c.parquet", by="colleague@hackney.gov.uk")
    capsys.readouterr()
    before = file_hashes(store_dir)
    # An officer who saw 'second' replace 'first' types the rollback; a colleague's publish has landed since.
    assert rollback("--to", first[:12]) == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and third.version[:12] in err and "--replacing" in err
    assert "Traceback" not in err
    assert file_hashes(store_dir) == before
    # Told which version it replaces, but a stale one: refused too.
    assert rollback("--to", first[:12], "--replacing", second[:12]) == 1
    assert "Nothing was changed" in capsys.readouterr().err
    assert file_hashes(store_dir) == before
    # Told the version that is current: done.
    assert rollback("--to", first[:12], "--replacing", third.version[:12]) == 0
    assert "rolled back" in capsys.readouterr().out
    assert store.current_version("care_population", PERIOD) == first


def test_a_rollback_that_undoes_the_latest_publish_needs_nothing_more(store_dir, capsys):
    store = Store(store_dir)
    first = store.current_version("care_population", PERIOD)
    store.publish(revised(9.0), "care_population", PERIOD, "b.parquet", by=OFFICER)
    assert rollback("--to", first[:12]) == 0
    assert store.current_version("care_population", PERIOD) == first


def test_a_stray_copy_beside_a_seed_file_does_not_hide_its_quarter(tmp_path):
    root = tmp_path / "fresh"
    period_dir = root / "care_population" / PERIOD.isoformat()
    period_dir.mkdir(parents=True)
    stored = encode_snapshot(care_population(), "care_population")
    version = content_hash(stored)
    (period_dir / f"{version}.parquet").write_bytes(stored)
    (period_dir / f"{version} (1).parquet").write_bytes(stored)  # a browser's second download
    store = Store(root)
    assert store.current_version("care_population", PERIOD) == version
    store.publish(revised(9.0), "care_population", PERIOD, "q2b.parquet", by=OFFICER)
    assert store.history()["version"].tolist()[-1] == version  # seeded from the real file, then replaced

"""`python -m cpb_dash import-903` end to end on real files: the sample publishes every quarter at once, its
figures sit near Hackney's published ones, no child-level value reaches the store, the output or a log, and a bad
return publishes nothing and leaves the store byte-for-byte as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cpb_dash import cli
from cpb_dash.intake.import903 import check_903, publish_903
from cpb_dash.store import Store, StoreConflict, content_hash, encode_snapshot
from tests.conftest import FIXTURES, ROOT

SAMPLE = FIXTURES / "ssda903" / "ssda903_synthetic.zip"
OFFICER = "officer@hackney.gov.uk"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES, dest, ignore=shutil.ignore_patterns("ssda903"))
    monkeypatch.setenv("CPB_DATA_DIR", str(dest))
    return dest


def file_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def sample_tables() -> dict[str, list[dict]]:
    with zipfile.ZipFile(SAMPLE) as archive:
        return {Path(n).stem: list(csv.DictReader(io.StringIO(archive.read(n).decode()))) for n in archive.namelist()}


def run(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["import-903", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def store_text(root: Path) -> str:
    """Everything the store holds, decoded: every parquet version as CSV text, and the SQLite database dumped."""
    parts = []
    for path in sorted(root.rglob("*.parquet")):
        parts.append(pq.read_table(path).to_pandas().to_csv(index=False))
    con = sqlite3.connect(root / "store.sqlite")
    parts.extend(con.iterdump())
    con.close()
    return "\n".join(parts)


def test_the_sample_publishes_every_quarter_at_once_and_no_child_value_persists(data_dir, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    code, output = run(capsys, str(SAMPLE), "--by", OFFICER, "--publish", "--confirm-warnings")
    assert code == 0, output
    tables = sample_tables()
    children = len(tables["Header"])
    history = Store(data_dir).history()
    ours = history[history["file_name"].str.startswith(f"SSDA903 extract, {children:,} children, file hash ")]
    # One audit event per version: 26 quarters of care population, 23 of placement stability (12 months of
    # episodes needed first), the whole sample period 2019-20 Q1 to 2025-26 Q2; 23 of health and wellbeing and
    # of leaving care (their 12-month measures), 26 of children's voice (reviews in the quarter).
    assert len(ours) == 26 + 23 + 23 + 23 + 26
    assert set(ours["status"]) == {"current"} and ours["published_by"].eq(OFFICER).all()
    assert f"Published {len(ours)} version(s) at once" in output
    # The ONS population is not in the return: the published figure is kept beside the derived counts.
    care = Store(data_dir).read_current("care_population")
    population = care[(care["measure"] == "population_0_17") & (care["breakdown_topic"] == "Total")]
    assert len(population) == 26

    # Privacy: no child's identifier, date of birth or postcode anywhere.
    held = store_text(data_dir) + "\n".join(
        p.read_bytes().decode("latin-1") for p in data_dir.rglob("*") if p.is_file()
    )
    said = output + caplog.text
    for row in tables["Header"][::97]:
        assert row["CHILD"] not in held and row["CHILD"] not in said
        assert row["DOB"] not in said
    for row in tables["Episodes"][::211]:
        assert row["PL_POST"] not in said and row["PL_POST"] not in held


def test_the_sample_sits_near_hackneys_published_figures():
    """At 31 March 2023-2025, against data/reference/hackney_published.csv (the DfE's published figures)."""
    from cpb_dash.intake.derive903 import derive
    from cpb_dash.intake.ssda903 import read_return

    ret = read_return([(SAMPLE.name, SAMPLE.read_bytes())])
    derived = derive(ret.tables)
    published = pd.read_csv(ROOT / "data" / "reference" / "hackney_published.csv")
    published = published[published["breakdown_topic"] == "Total"]
    for year in (2023, 2024, 2025):
        q = dt.date(year, 3, 31)
        pub = published[published["date"] == q.isoformat()].set_index("measure")["value"].astype(float)
        mine = {}
        for dataset in ("care_population", "placement_stability"):
            frame = derived.frames[(dataset, q)]
            mine.update(frame[frame["breakdown_topic"] == "Total"].set_index("measure")["value"])
        assert abs(mine["cla"] / pub["cla"] - 1) < 0.15, (year, mine["cla"], pub["cla"])
        assert (
            abs(
                mine["stab_3plus_placements"] / mine["stab_cla_total"]
                - pub["stab_3plus_placements"] / pub["stab_cla_total"]
            )
            < 0.06
        )
        assert (
            abs(
                mine["ltstab_same_carer_2y"] / mine["ltstab_cohort"]
                - pub["ltstab_same_carer_2y"] / pub["ltstab_cohort"]
            )
            < 0.10
        )
        assert (
            abs(
                mine["placed_over_20_miles_outside_la"] / mine["cla"]
                - pub["placed_over_20_miles_outside_la"] / pub["cla"]
            )
            < 0.06
        )


def test_a_preview_publishes_nothing(data_dir, capsys):
    before = file_hashes(data_dir)
    code, output = run(capsys, str(SAMPLE), "--by", OFFICER)
    assert code == 0
    assert "This was a preview: nothing was published" in output
    assert "Care population 2025-26 Q2 (Jul-Sep 2025) revision" in output
    assert file_hashes(data_dir) == before


HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nFAKE000001,1,01/06/2012,BAFR,,,\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Episodes.csv", b"0" * (40 * 1024 * 1024))
    return buffer.getvalue()


BAD = {
    "child_not_in_header": (
        [
            ("h.csv", HEADER.encode()),
            ("e.csv", (EPISODES + "FAKE000002,01/01/2024,S,C2,N1,U4,PR1,,,,E8 1AA,E8 2AA,\n").encode()),
        ],
        ["Episodes table", "CHILD", "row 1", "Header table does not have"],
    ),
    "overlap": (
        [
            ("h.csv", HEADER.encode()),
            (
                "e.csv",
                (
                    EPISODES + "FAKE000001,01/01/2024,S,C2,N1,U4,PR1,01/03/2024,X1,,E8 1AA,E8 2AA,\n"
                    "FAKE000001,01/02/2024,P,C2,N1,U4,PR1,,,,E8 1AA,E8 2AA,\n"
                ).encode(),
            ),
        ],
        ["Episodes table", "DECOM", "row 2", "previous episode ended"],
    ),
    "future": (
        [
            ("h.csv", HEADER.encode()),
            ("e.csv", (EPISODES + "FAKE000001,01/01/2099,S,C2,N1,U4,PR1,,,,E8 1AA,E8 2AA,\n").encode()),
        ],
        ["Episodes table", "DECOM", "row 1", "after today"],
    ),
    "zip_bomb": ([("return.zip", _bomb())], ["zip bomb", "Nothing in the zip was read"]),
    "not_a_table": ([("children.csv", b"name,dob\nAda,01/01/2015\n")], ["match no SSDA903 table"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_return_publishes_nothing_and_says_where(case, data_dir, tmp_path, capsys):
    upload, expected = BAD[case]
    paths = []
    for name, data in upload:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    before = file_hashes(data_dir)
    code, output = run(capsys, *paths, "--by", OFFICER, "--publish", "--confirm-warnings")
    assert code == 1
    for text in expected:
        assert text in output, (case, text, output)
    assert "Nothing was published" in output
    assert "FAKE000001" not in output and "FAKE000002" not in output and "01/06/2012" not in output
    assert file_hashes(data_dir) == before


def test_publishing_is_all_or_nothing_when_a_quarter_changed_under_the_officer(data_dir):
    store = Store(data_dir)
    preview = check_903(store, [(SAMPLE.name, SAMPLE.read_bytes())])
    # Another officer publishes one quarter after the preview.
    other = store.read_current("care_population")
    q = pd.Timestamp("2024-03-31")
    theirs = other[other["period_end"] == q].copy()
    theirs.loc[theirs["measure"] == "uasc", "value"] += 1
    store.publish(
        encode_snapshot(theirs.reset_index(drop=True), "care_population"),
        "care_population",
        q.date(),
        "theirs.parquet",
        by="someone@hackney.gov.uk",
    )
    pointers = store.current_versions()
    with pytest.raises(StoreConflict, match="changed under you"):
        publish_903(store, preview, by=OFFICER)
    pd.testing.assert_frame_equal(store.current_versions(), pointers)
    assert not store.history()["file_name"].str.startswith("SSDA903").any()


def test_a_crash_before_the_commit_publishes_no_quarter(data_dir):
    """The store's crash hook ends the process inside publish_many's transaction: every pointer stays."""
    import os
    import subprocess
    import sys

    pointers = Store(data_dir).current_versions()
    env = {
        **os.environ,
        "CPB_DATA_DIR": str(data_dir),
        "CPB_TEST_CRASH_AT": "before_commit",
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cpb_dash",
            "import-903",
            str(SAMPLE),
            "--by",
            OFFICER,
            "--publish",
            "--confirm-warnings",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 70
    after = Store(data_dir)
    pd.testing.assert_frame_equal(after.current_versions(), pointers)
    assert not after.history()["file_name"].str.startswith("SSDA903").any()


def test_a_return_with_a_placement_postcode_missing_still_previews_without_errors(data_dir):
    """One child whose placement postcode is blank is in neither location group: the import warns and publishes;
    it was refused whole ('cla by Placement location adds up to 1, but its Total is 2')."""
    from tests.test_derive903_rules import EPISODES, HEADER, ep

    header = "\n".join([HEADER, "FAKE000001,M,01/06/2012,BAFR,,,", "FAKE000002,F,01/06/2012,BAFR,,,"])
    unplaced = ep("FAKE000002", "01/01/2026").replace("E8 1AA,E8 2AA", ",")
    episodes = "\n".join([EPISODES, ep("FAKE000001", "01/01/2026"), unplaced])
    files = [("header.csv", header.encode()), ("episodes.csv", episodes.encode())]
    preview = check_903(Store(data_dir), files, today=dt.date(2026, 11, 28))
    assert preview.errors == []
    warned = [f.message for p in preview.plan for f in p.findings if f.rule == "breakdown_sum"]
    assert any("'cla' by 'Placement location' adds up to '1', 1 short" in m for m in warned)


def test_a_return_with_dolos_publishes_counts_only_through_the_command_line(data_dir, tmp_path, capsys, caplog):
    """A 2026-27 return with its DoLo table, through `import-903 --publish`: the DoLO count is published, and no
    child's identifier or order date reaches the store, the output or the log."""
    from tests.test_intake_dolo import CHILDREN, DOLOS_2026, EPISODES_2026, upload

    caplog.set_level(logging.DEBUG)
    paths = []
    for name, data in upload(CHILDREN, EPISODES_2026, DOLOS_2026):
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    code, output = run(capsys, *paths, "--by", OFFICER, "--publish", "--confirm-warnings")
    assert code == 0, output
    care = Store(data_dir).read_current("care_population")
    dolo = care[(care["measure"] == "cla_dolo") & (care["breakdown_topic"] == "Total")]
    # Counted by hand in tests/test_intake_dolo.py; today is after 30 September 2026, so both quarters are there.
    assert dict(zip(dolo["period_end"].dt.date.astype(str), dolo["value"], strict=True)) == {
        "2026-06-30": 3,
        "2026-09-30": 4,
    }
    held = store_text(data_dir) + "\n".join(
        p.read_bytes().decode("latin-1") for p in data_dir.rglob("*") if p.is_file()
    )
    said = output + caplog.text
    for secret in ("FAKE00000", "01/03/2026", "01/05/2026", "31/10/2026"):
        assert secret not in held and secret not in said

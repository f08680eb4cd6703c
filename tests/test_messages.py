"""Messages an officer can act on: a file for another dataset or in another layout gets one message naming what it
looks like and what to do; a breakdown that does not add up is an error naming the figure that is off. Each
through the validator and the command line, with nothing published."""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd
import pytest

from cpb_dash import cli
from cpb_dash.intake.census_sample import sample_csv
from cpb_dash.safe_read import validate_file
from cpb_dash.store import Store, content_hash
from tests.conftest import FIXTURES
from tests.contract_helpers import PERIOD, TODAY, action_plan, care_population, csv_bytes, errors, parquet_bytes

OFFICER = "officer@hackney.gov.uk"


def workforce_snapshot() -> pd.DataFrame:
    return pd.read_parquet(glob.glob(str(FIXTURES / "workforce" / "2025-09-30" / "*.parquet"))[0])


def wide_care_population() -> pd.DataFrame:
    frame = care_population()
    totals = frame[frame["breakdown_topic"] == "Total"]
    return totals.pivot(index="period_end", columns="measure", values="value").reset_index()


EPISODES = (
    b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    b"ZZ00001,01/04/2024,S,C2,N1,U1,PR1,,X1,,E8 1AA,E8 2BB,SC1\n"
)

# case -> (bytes, file name, dataset chosen, what the one message must say)
LOOKALIKES = {
    "a workforce snapshot as care population": (
        csv_bytes(workforce_snapshot()),
        "wf.csv",
        "care_population",
        "looks like a Workforce stability file",
    ),
    "an action plan as workforce": (
        csv_bytes(action_plan()),
        "plan.csv",
        "workforce",
        "looks like a Children's Action Plan file",
    ),
    "counts as the action plan": (
        csv_bytes(care_population()),
        "cp.csv",
        "action_plan",
        "looks like a snapshot of counts",
    ),
    "an SSDA903 episodes table": (EPISODES, "episodes.csv", "care_population", "SSDA903"),
    "the census worker table": (sample_csv(), "census.csv", "workforce", "import-census"),
    "a wide pivot-table export": (
        csv_bytes(wide_care_population()),
        "wide.csv",
        "care_population",
        "one column per measure",
    ),
}


@pytest.mark.parametrize("case", list(LOOKALIKES))
def test_a_file_for_another_dataset_or_layout_gets_one_message_saying_what_it_looks_like(case):
    data, name, dataset, says = LOOKALIKES[case]
    found = errors(validate_file(data, dataset, name, today=TODAY))
    assert len(found) == 1, [f.message for f in found]
    assert found[0].rule == "wrong_dataset" and says in found[0].message
    assert "ZZ0000000001" not in found[0].message and "ZZ00001" not in found[0].message


def test_the_message_says_which_dataset_to_choose():
    data, name, dataset, _ = LOOKALIKES["a workforce snapshot as care population"]
    (error,) = errors(validate_file(data, dataset, name, today=TODAY))
    assert "Choose 'Workforce stability' in the Dataset list (on the command line, --dataset workforce)" in (
        error.message
    )


def test_one_stray_measure_of_another_dataset_is_still_named_on_its_row():
    frame = care_population()
    frame.loc[6, "measure"] = "inpost_fte"
    found = errors(validate_file(csv_bytes(frame), "care_population", "q2.csv", today=TODAY))
    assert [f.rule for f in found] == ["measure_known"] and found[0].row == 7


def test_a_personal_column_is_still_named_beside_the_lookalike_message():
    frame = wide_care_population().assign(child_name="A child")
    found = errors(validate_file(csv_bytes(frame), "care_population", "wide.csv", today=TODAY))
    assert [f.rule for f in found] == ["wrong_dataset", "privacy_identifier"]


# -- the command line --


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    Store(root).publish(parquet_bytes(care_population()), "care_population", PERIOD, "first.parquet", by=OFFICER)
    return root


def hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): content_hash(p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", list(LOOKALIKES))
def test_cli_gives_the_one_message_and_publishes_nothing(store_dir, tmp_path, capsys, case):
    data, name, dataset, says = LOOKALIKES[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = hashes(store_dir)
    code = cli.main(["publish", str(path), "--dataset", dataset, "--by", OFFICER, "--confirm-warnings"])
    out = capsys.readouterr()
    assert code == 1 and "Nothing was published" in out.err
    assert says in out.out and out.out.count("  ERROR ") == 1
    assert hashes(store_dir) == before

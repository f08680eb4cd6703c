"""The bundled sample data: deterministic, anchored to Hackney's published figures, internally consistent."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cpb_dash import catalogue, fixtures, indicators
from cpb_dash.config import PROJECT_ROOT
from cpb_dash.formatting import format_value, round_half_up
from cpb_dash.store import Store

COMMITTED = PROJECT_ROOT / "data" / "fixtures"
DFE_SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfe"
MARCH_2025 = pd.Timestamp("2025-03-31")
SEPT_2025 = pd.Timestamp("2025-09-30")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixtures")
    fixtures.write_fixtures(out)
    return out


@pytest.fixture(scope="module")
def store(generated: Path) -> Store:
    return Store(generated)


def total(frame: pd.DataFrame, measure: str, day: pd.Timestamp) -> float:
    rows = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == "Total") & (frame["period_end"] == day)]
    assert len(rows) == 1, (measure, day)
    return float(rows["value"].iloc[0])


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for dataset in catalogue.UPLOADABLE_DATASETS
        for p in sorted((root / dataset).glob("*/*.parquet"))
    }


def test_regenerating_gives_the_committed_bytes(generated: Path) -> None:
    made, committed = _files(generated), _files(COMMITTED)
    assert made.keys() == committed.keys()
    # If this fails after a deliberate change: python -m cpb_dash fixtures --out data/fixtures, and commit.
    assert all(made[k] == committed[k] for k in made)
    assert sum(len(b) for b in committed.values()) < 3_000_000


def test_file_name_is_the_sha256_and_rewriting_replaces_old_files(tmp_path: Path) -> None:
    stale = tmp_path / "workforce" / "2025-09-30" / "old.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    bench = tmp_path / "benchmarks.parquet"
    bench.write_bytes(b"not ours")
    written = fixtures.write_fixtures(tmp_path)
    assert not stale.exists()
    assert bench.read_bytes() == b"not ours"
    for path in written:
        assert path.stem == hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_count_dataset_has_26_quarters(store: Store) -> None:
    expected = fixtures.QUARTERS
    assert len(expected) == 26
    assert (expected[0], expected[-1]) == (dt.date(2019, 6, 30), dt.date(2025, 9, 30))
    for dataset in catalogue.COUNT_DATASETS:
        frame = store.read_current(dataset)
        assert sorted(frame["period_end"].dt.date.unique()) == expected, dataset


def test_columns_measures_and_breakdowns_follow_the_catalogue(store: Store) -> None:
    for dataset in catalogue.COUNT_DATASETS:
        frame = store.read_current(dataset)
        assert not frame.duplicated(["period_end", "measure", "breakdown_topic", "breakdown"]).any()
        for row in frame.itertuples(index=False):
            measure = catalogue.MEASURES[row.measure]
            assert measure.dataset == dataset
            if row.breakdown_topic == "Total":
                assert row.breakdown == "Total"
            else:
                assert row.breakdown_topic in measure.topics, (row.measure, row.breakdown_topic)
                assert row.breakdown in catalogue.BREAKDOWN_TOPICS[row.breakdown_topic]
            # value xor symbol; the only symbol in the sample data is `x`, never on a Total.
            has_symbol = not pd.isna(row.symbol)
            assert pd.isna(row.value) == has_symbol
            if has_symbol:
                assert row.symbol == "x" and row.breakdown_topic != "Total"
            else:
                assert row.value >= 0


def test_care_population_agrees_with_published_figures(store: Store) -> None:
    care = store.read_current("care_population")
    # cla_number_and_rate_per_10k_children.csv, time_period 2025, Hackney (E09000012):
    # children looked after on 31 March 352, population_estimate 54191, starting 133 in the year.
    assert total(care, "cla", MARCH_2025) == 352
    assert total(care, "population_0_17", MARCH_2025) == 54191
    # cla_characteristics_31_march.csv, 2025, Hackney: Male 198, Female 154; Full care order 207.
    at = care[(care["period_end"] == MARCH_2025) & (care["measure"] == "cla")].set_index("breakdown")["value"]
    assert (at["Male"], at["Female"], at["Full care order"]) == (198, 154, 207)


def test_care_leavers_agree_with_published_figures(store: Store) -> None:
    care = store.read_current("care_population")
    march_2022 = pd.Timestamp("2022-03-31")
    # la_care_leavers_activity.csv, 2022, Hackney, 19 to 21: 287 care leavers, 197 in EET.
    assert total(care, "cl_19_21_total", march_2022) == 287
    assert total(care, "cl_19_21_eet", march_2022) == 197
    # la_care_leavers_accommodation_suitability.csv, 2022, Hackney, 19 to 21: 250 suitable of a "Suitability
    # total" of 283, published 88%.
    assert total(care, "cl_19_21_suitable_accom", march_2022) == 250
    assert total(care, "cl_19_21_accom_total", march_2022) == 283
    derived = indicators.derive(care, catalogue.INDICATORS["cl_19_21_suitable_accom_pct"])
    row = derived[(derived["period_end"] == march_2022) & (derived["breakdown_topic"] == "Total")].iloc[0]
    assert format_value(row["value"], "%", 0, row["symbol"]) == "88%"


def test_placement_stability_agrees_with_published_figures(store: Store) -> None:
    stab = store.read_current("placement_stability")
    # la_cla_placement_stability.csv, 2025, Hackney: 45 of 352 with 3+ placements; 84 of 118 same carer.
    assert total(stab, "stab_3plus_placements", MARCH_2025) == 45
    assert total(stab, "stab_cla_total", MARCH_2025) == 352
    assert total(stab, "ltstab_same_carer_2y", MARCH_2025) == 84
    assert total(stab, "ltstab_cohort", MARCH_2025) == 118


def test_workforce_agrees_with_published_figures(store: Store) -> None:
    wf = store.read_current("workforce")
    # csww_indicators_2017_to_2025.csv, time_period 2025, Hackney (30 September 2025).
    published = {
        "inpost_fte": 193.3,
        "leavers_fte_12m": 20.2,
        "agency_fte": 53,
        "vacancy_fte": 66,
        "cases": 1943,
        "case_holders_fte": 139.6,
        "working_days_lost_12m": 1337,
    }
    for measure, value in published.items():
        assert total(wf, measure, SEPT_2025) == pytest.approx(value), measure
    leavers, inpost = total(wf, "leavers_fte_12m", SEPT_2025), total(wf, "inpost_fte", SEPT_2025)
    turnover = round_half_up(100 * leavers / inpost, 1)
    assert turnover == 10.5


def test_every_breakdown_sums_to_its_total(store: Store) -> None:
    checked = 0
    for dataset in catalogue.COUNT_DATASETS:
        frame = store.read_current(dataset)
        totals = frame[frame["breakdown_topic"] == "Total"].set_index(["period_end", "measure"])["value"]
        parts = frame[frame["breakdown_topic"] != "Total"]
        for (day, measure, topic), group in parts.groupby(["period_end", "measure", "breakdown_topic"]):
            if group["symbol"].notna().any():
                assert group["symbol"].eq("x").all()  # a topic is either wholly `x` or wholly counted
                continue
            whole = measure != "inpost_fte" and not catalogue.MEASURES[measure].is_fte
            if whole and measure != "working_days_lost_12m":
                assert (group["value"] == group["value"].round()).all(), (measure, topic)
            assert round(group["value"].sum(), 1) == round(totals[(day, measure)], 1), (day, measure, topic)
            checked += 1
    assert checked > 500


def test_published_breakdowns_and_small_counts(store: Store) -> None:
    care = store.read_current("care_population")
    latest = care[(care["period_end"] == SEPT_2025) & (care["breakdown_topic"] != "Total")]
    small = latest[(latest["value"] >= 1) & (latest["value"] <= catalogue.SUPPRESSION_THRESHOLD)]
    assert len(small) >= 3, "disclosure control needs small counts to suppress"
    assert care["symbol"].eq("x").any()


def test_annual_flows_add_up_to_published_years(store: Store) -> None:
    care = store.read_current("care_population")
    tot = care[care["breakdown_topic"] == "Total"].copy()
    tot["fy_end"] = tot["period_end"].apply(lambda d: d.year + 1 if d.month >= 4 else d.year)
    annual = tot.groupby(["measure", "fy_end"])["value"].sum()
    # cla_number_and_rate_per_10k_children.csv, Hackney: started / ceased in the year to 31 March.
    assert annual[("cla_started", 2025)] == 133
    assert annual[("cla_ceased", 2025)] == 168
    assert annual[("cla_started", 2021)] == 189
    # cla_placements_characteristics.csv, 2025, Hackney: starters by sex, Male 77, Female 56.
    starts = care[(care["measure"] == "cla_started") & (care["breakdown"] == "Male")].copy()
    starts = starts[starts["period_end"].between(pd.Timestamp("2024-04-01"), MARCH_2025)]
    assert starts["value"].sum() == 77


def test_numerators_never_exceed_denominators(store: Store) -> None:
    pairs = {
        "care_population": [
            ("cl_19_21_eet", "cl_19_21_total"),
            ("cl_19_21_suitable_accom", "cl_19_21_accom_total"),
            ("rhi_offered", "missing_episodes"),
            ("rhi_accepted", "rhi_offered"),
            ("uasc", "cla"),
            ("cla", "population_0_17"),
        ],
        "placement_stability": [("stab_3plus_placements", "stab_cla_total"), ("ltstab_same_carer_2y", "ltstab_cohort")],
        "workforce": [("leavers_fte_12m", "inpost_fte"), ("inpost_fte", "inpost_headcount")],
    }
    for dataset, checks in pairs.items():
        frame = store.read_current(dataset)
        totals = frame[frame["breakdown_topic"] == "Total"]
        wide = totals.pivot(index="period_end", columns="measure", values="value")
        for num, den in checks:
            assert (wide[num] <= wide[den]).all(), (num, den)
    # Also within the age breakdown, and against cla for children placed far away.
    stab = store.read_current("placement_stability")
    ages = stab[stab["breakdown_topic"] == "Age group"].pivot_table(
        index=["period_end", "breakdown"], columns="measure", values="value"
    )
    assert (ages["stab_3plus_placements"] <= ages["stab_cla_total"]).all()
    care = store.read_current("care_population")
    cla = care[(care["measure"] == "cla") & (care["breakdown_topic"] == "Total")]
    cla = cla.set_index("period_end")["value"]
    far = stab[(stab["measure"] == "placed_over_20_miles_outside_la") & (stab["breakdown_topic"] == "Total")]
    assert (far.set_index("period_end")["value"] <= cla).all()


def test_managers_are_whiter_than_practitioners(store: Store) -> None:
    wf = store.read_current("workforce")
    cells = wf[(wf["period_end"] == SEPT_2025) & (wf["breakdown_topic"] == "Role and ethnicity")]
    by = cells.set_index("breakdown")["value"]

    def white_share(role: str) -> float:
        return by[f"{role}: White"] / sum(by[f"{role}: {e}"] for e in catalogue.ETHNICITIES)

    assert white_share("Manager") > white_share("Practitioner")


def test_action_plan(store: Store) -> None:
    plan = store.read_current("action_plan")
    latest_day = plan["period_end"].max()
    assert latest_day == SEPT_2025
    assert plan["period_end"].min() == pd.Timestamp("2024-06-30")
    latest = plan[plan["period_end"] == latest_day]
    previous = plan[plan["period_end"] == pd.Timestamp("2025-06-30")]
    assert set(latest["priority"]) == set(catalogue.PRIORITIES) == {1, 2, 3, 4, 5}
    assert 25 <= len(latest) <= 40
    assert latest["action_id"].is_unique
    for row in plan.itertuples(index=False):
        assert row.objective in catalogue.PRIORITIES[row.priority].objectives
        assert row.action_id.startswith(f"P{row.priority}.")
        assert row.status in catalogue.ACTION_STATUSES
        assert len(row.action) <= catalogue.ACTION_TEXT_MAX and len(row.update) <= catalogue.UPDATE_TEXT_MAX
        assert "<" not in row.action + row.update and ">" not in row.action + row.update
        assert (row.progress_pct == 100) == (row.status == "Complete")
        assert row.status != "Not started" or row.progress_pct == 0
    assert latest["anti_racist"].any() and not latest["anti_racist"].all()
    overdue = latest[(latest["due_date"] < latest_day) & (latest["status"] != "Complete")]
    assert len(overdue) >= 2
    moved = latest.merge(previous, on="action_id", suffixes=("", "_prev"))
    assert (moved["status"] != moved["status_prev"]).sum() >= 3
    # Stable ids: the same action keeps its id, text and priority across periods.
    assert plan.groupby("action_id")[["action", "priority"]].nunique().max().max() == 1


def test_cli_writes_fixtures(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cpb_dash", "fixtures", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*/*/*.parquet"))) == 166


@pytest.mark.skipif(not DFE_SOURCE.is_dir(), reason=f"DfE source files not found at {DFE_SOURCE}")
def test_committed_reference_matches_the_dfe_files(tmp_path: Path) -> None:
    fresh = fixtures.write_reference(DFE_SOURCE, tmp_path / "reference.csv")
    assert fresh.read_bytes() == fixtures.REFERENCE_PATH.read_bytes()
    pd.testing.assert_frame_equal(fixtures.extract_reference(DFE_SOURCE), fixtures.read_reference())


def test_every_sample_snapshot_passes_validation():
    """The bundled data is what an officer would publish: each file is valid under the contract."""
    from cpb_dash.safe_read import validate_file

    files = sorted(COMMITTED.glob("*/*/*.parquet"))
    # six count datasets for 26 quarters, six action plan quarters, two targets and two commentary files
    assert len(files) == 6 * 26 + 6 + 2 + 2
    for path in files:
        findings = validate_file(path.read_bytes(), path.parts[-3], file_name=path.name)
        errors = [f for f in findings if f.level == "error"]
        assert not errors, (path, errors)

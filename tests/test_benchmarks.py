"""Benchmarks: the curated table built from DfE's published files, and the comparator helpers for pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from cpb_dash import catalogue
from cpb_dash.benchmarks import (
    COLUMNS,
    build_benchmarks,
    comparator_values,
    neighbour_table,
    rank_and_quartile,
    statistical_neighbours,
    write_benchmarks,
)

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "data" / "dfe"
SHIPPED = REPO / "data" / "fixtures" / "benchmarks.parquet"

needs_source = pytest.mark.skipif(
    not (SOURCE / "cla_number_and_rate_per_10k_children.csv").is_file(),
    reason=f"DfE source files not present at {SOURCE} (they sit beside the repository, not in it)",
)


@pytest.fixture(scope="module")
def bench() -> pd.DataFrame:
    if not SOURCE.is_dir():
        pytest.skip(f"DfE source files not present at {SOURCE}")
    return build_benchmarks(SOURCE)


def one(bench: pd.DataFrame, indicator: str, year: int, area: str) -> pd.Series:
    rows = bench[(bench["indicator"] == indicator) & (bench["year"] == year) & (bench["area_name"] == area)]
    assert len(rows) == 1, (indicator, year, area, rows)
    return rows.iloc[0]


# ----------------------------------------------------------------------------------------------------------
# Building from the real published files
# ----------------------------------------------------------------------------------------------------------


@needs_source
def test_columns_and_indicators(bench):
    assert list(bench.columns) == COLUMNS
    assert set(bench["indicator"]) == {i.id for i in catalogue.INDICATORS.values() if i.published}
    assert set(bench["area_type"]) == {"England", "Region", "Inner London", "Local authority"}
    assert bench["year"].min() >= 2019
    assert pd.api.types.is_integer_dtype(bench["year"])
    # exactly one of value and symbol on every row
    assert (bench["value"].isna() != bench["symbol"].isna()).all()
    assert not bench.duplicated(["year", "area_code", "indicator"]).any()


@pytest.mark.parametrize(
    ("indicator", "year", "expected"),
    [
        # cla_number_and_rate_per_10k_children.csv, Hackney 2025, "Children looked after on 31 March ..."
        ("cla_count", 2025, 352),
        ("cla_rate_per_10k", 2025, 65),
        # la_cla_placement_stability.csv, Hackney 2025
        ("stab_3plus_pct", 2025, 13),
        ("ltstab_pct", 2025, 71),
        # csww_indicators_2017_to_2025.csv, Hackney 2025 (30 September 2025)
        ("turnover_pct", 2025, 10.5),
        ("agency_pct", 2025, 21.5),
        ("vacancy_pct", 2025, 25.5),
        ("caseload_avg", 2025, 13.9),
        ("absence_pct", 2025, 2.7),
        ("inpost_fte", 2025, 193.3),
        # cla_characteristics_31_march.csv, Hackney 2025: UASC 23;
        # "4. Placed outside the LA boundary, more than 20 miles from home" 9%
        ("uasc_count", 2025, 23),
        ("placed_20_miles_outside_pct", 2025, 9),
        # la_care_leavers_activity.csv, Hackney 2025, 19 to 21,
        # "Total in education, employment or training" 58%
        ("cl_19_21_eet_pct", 2025, 58),
        # la_care_leavers_accommodation_suitability.csv, Hackney 2025, 19 to 21,
        # "Accommodation considered suitable" 85%
        ("cl_19_21_suitable_accom_pct", 2025, 85),
    ],
)
@needs_source
def test_hackney_published_figures(bench, indicator, year, expected):
    row = one(bench, indicator, year, "Hackney")
    assert row["area_code"] == catalogue.LA_CODE
    assert row["value"] == pytest.approx(expected)
    assert pd.isna(row["symbol"])


@needs_source
def test_england_and_london_rows(bench):
    # cla_number_and_rate_per_10k_children.csv 2025: England 81,770 (67 per 10,000), London 9,290 (48),
    # Inner London 3,790 (59)
    assert one(bench, "cla_count", 2025, "England")["value"] == 81770
    assert one(bench, "cla_rate_per_10k", 2025, "London")["area_type"] == "Region"
    assert one(bench, "cla_rate_per_10k", 2025, "London")["value"] == 48
    inner = one(bench, "cla_count", 2025, "Inner London")
    assert (inner["area_code"], inner["area_type"], inner["value"]) == ("E13000001", "Inner London", 3790)
    assert "Outer London" not in set(bench["area_name"])


@needs_source
def test_symbols_stay_symbols(bench):
    # csww_indicators_2017_to_2025.csv: Westminster 2025 is `x` in every column
    for indicator in ("turnover_pct", "agency_pct", "caseload_avg", "inpost_fte"):
        row = one(bench, indicator, 2025, "Westminster")
        assert row["symbol"] == "x" and pd.isna(row["value"])
    # la_cla_placement_stability.csv: Rutland 2025, 3+ placements = `c` (suppressed), not 0
    row = one(bench, "stab_3plus_pct", 2025, "Rutland")
    assert row["symbol"] == "c" and pd.isna(row["value"])
    # csww_indicators_2017_to_2025.csv: Sunderland 2025 agency rate = `low` (rounds to zero, is not zero)
    row = one(bench, "agency_pct", 2025, "Sunderland")
    assert row["symbol"] == "low" and pd.isna(row["value"])
    # and a real published zero stays a number: City of London 2025, 3+ placements = 0
    row = one(bench, "stab_3plus_pct", 2025, "City of London")
    assert row["value"] == 0 and pd.isna(row["symbol"])


@needs_source
def test_sn_model_names_match_catalogue():
    sn = statistical_neighbours(SOURCE)
    assert set(sn["neighbour_name"]) == set(catalogue.STATISTICAL_NEIGHBOURS)
    # the catalogue lists them closest first, as the model does (SN_1 .. SN_10)
    assert tuple(sn["neighbour_name"]) == catalogue.STATISTICAL_NEIGHBOURS
    assert list(sn["neighbour_rank"]) == list(range(1, 11))
    assert set(sn["la_name"]) == {"Hackney"} and set(sn["old_la_code"]) == {204}
    assert set(sn["closeness"]) <= {"Close", "Somewhat close", "Not close"}


@needs_source
def test_every_neighbour_has_local_authority_rows(bench):
    las = set(bench.loc[bench["area_type"] == "Local authority", "area_name"])
    assert set(catalogue.STATISTICAL_NEIGHBOURS) <= las


@needs_source
def test_comparators_and_sn_median(bench):
    got = comparator_values(bench, "cla_rate_per_10k", 2025)
    assert set(got) == set(catalogue.COMPARATORS)
    assert (got["England"], got["London"], got["Inner London"]) == (67.0, 48.0, 59.0)
    # cla_number_and_rate_per_10k_children.csv 2025 rates: Southwark 70, Islington 79, Haringey 61,
    # Lambeth 73, Tower Hamlets 45, Lewisham 71, Camden 58, Manchester 97, Waltham Forest 47, Westminster 62
    ten = [70, 79, 61, 73, 45, 71, 58, 97, 47, 62]
    assert got["Statistical neighbours"] == pytest.approx(float(np.median(ten)))  # (62 + 70) / 2 = 66
    assert got["Statistical neighbours"] == 66.0


@needs_source
def test_sn_median_ignores_symbols(bench):
    # csww_indicators_2017_to_2025.csv 2025 turnover: Southwark 12.8, Islington 6.1, Haringey 9.8,
    # Lambeth 9.7, Tower Hamlets 8.6, Lewisham 17.0, Camden 19.5, Manchester 13.2, Waltham Forest 13.4,
    # Westminster x
    table = neighbour_table(bench, "turnover_pct", 2025)
    assert list(table["area_name"]) == list(catalogue.STATISTICAL_NEIGHBOURS)
    west = table.set_index("area_name").loc["Westminster"]
    assert west["symbol"] == "x" and pd.isna(west["value"])
    nine = [12.8, 6.1, 9.8, 9.7, 8.6, 17.0, 19.5, 13.2, 13.4]
    assert comparator_values(bench, "turnover_pct", 2025)["Statistical neighbours"] == pytest.approx(12.8)
    assert float(np.median(nine)) == pytest.approx(12.8)


@needs_source
def test_hackneys_children_in_care_in_the_benchmark_table(bench):
    s = bench[(bench["indicator"] == "cla_count") & (bench["area_name"] == "Hackney")].sort_values("year")
    # cla_number_and_rate_per_10k_children.csv: Hackney 2021-2025 = 418, 405, 391, 384, 352
    assert list(s["year"]) == [2021, 2022, 2023, 2024, 2025]
    assert list(s["value"]) == [418, 405, 391, 384, 352]


@needs_source
def test_rank_on_real_data(bench):
    rank, n, band = rank_and_quartile(bench, "stab_3plus_pct", 2025)
    assert n > 140 and 1 <= rank <= n and band in "ABCD"
    # neutral (LAIT's polarity "-"): neither rank nor band, as LAIT shows "-"
    rank, n, band = rank_and_quartile(bench, "cla_rate_per_10k", 2025)
    assert n > 140 and (rank, band) == (None, None)
    # Westminster has no 2025 workforce figure: no rank, no band
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="Westminster")[0::2] == (None, None)


# ----------------------------------------------------------------------------------------------------------
# Ranks and quartiles on a small hand-made table
# ----------------------------------------------------------------------------------------------------------


def toy(values: dict[str, float | str]) -> pd.DataFrame:
    rows = []
    for name, v in values.items():
        is_symbol = isinstance(v, str)
        rows.append(
            (
                2025,
                f"E0{name}",
                name,
                "Local authority",
                "turnover_pct",
                np.nan if is_symbol else float(v),
                v if is_symbol else None,
            )
        )
    rows.append((2025, "E92000001", "England", "England", "turnover_pct", 99.0, None))
    return pd.DataFrame(rows, columns=COLUMNS)


def test_rank_one_is_best_for_low_is_good():
    bench = toy({"A": 5, "B": 10, "C": 10, "D": 20, "E": "c", "F": 30, "G": 40, "H": 50})
    assert catalogue.INDICATORS["turnover_pct"].polarity == catalogue.LOW
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="A") == (1, 7, "A")
    # ties share the lower rank, as LAIT (ties.method = "min"); England and symbols are not ranked
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="B")[:2] == (2, 7)
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="C")[:2] == (2, 7)
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="H") == (7, 7, "D")
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="E") == (None, 7, None)


def test_rank_one_is_best_for_high_is_good():
    bench = toy({"A": 5, "B": 10, "C": 20, "D": 30, "E": 40})
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="E", polarity=catalogue.HIGH) == (1, 5, "A")
    assert rank_and_quartile(bench, "turnover_pct", 2025, la_name="A", polarity=catalogue.HIGH) == (5, 5, "D")


def test_quartile_bands_like_lait():
    # 8 LAs 1..8: quantile cut points (R type 7) 2.75, 4.5, 6.25 -> two LAs per band
    bench = toy({str(i): i for i in range(1, 9)})
    bands = [rank_and_quartile(bench, "turnover_pct", 2025, la_name=str(i))[2] for i in range(1, 9)]
    assert bands == ["A", "A", "B", "B", "C", "C", "D", "D"]
    bands = [
        rank_and_quartile(bench, "turnover_pct", 2025, la_name=str(i), polarity=catalogue.HIGH)[2] for i in range(1, 9)
    ]
    assert bands == ["D", "D", "C", "C", "B", "B", "A", "A"]


def test_comparators_missing_and_symbols():
    bench = toy({"Southwark": 10, "Islington": "c"})
    got = comparator_values(bench, "turnover_pct", 2025)
    assert got["England"] == 99.0
    assert got["London"] is None and got["Inner London"] is None
    assert got["Statistical neighbours"] == 10.0  # only one neighbour has a figure
    assert comparator_values(bench, "turnover_pct", 2024)["Statistical neighbours"] is None
    table = neighbour_table(bench, "turnover_pct", 2025)
    assert len(table) == 10
    assert table.set_index("area_name").loc["Islington", "symbol"] == "c"


def test_unknown_value_is_an_error(tmp_path):
    from cpb_dash.benchmarks import _parse_values

    value, symbol = _parse_values(pd.Series(["1.5", "c", "low", "0"]), "test")
    assert list(symbol.isna()) == [True, False, False, True]
    assert value.iloc[3] == 0 and pd.isna(value.iloc[2])
    with pytest.raises(ValueError, match="neither numbers nor GSS symbols"):
        _parse_values(pd.Series(["1", "N/A"]), "test")


def test_missing_source_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="DfE file not found"):
        build_benchmarks(tmp_path)


# ----------------------------------------------------------------------------------------------------------
# The shipped file and the command
# ----------------------------------------------------------------------------------------------------------


def test_shipped_file_is_small_and_has_comparators():
    assert SHIPPED.is_file()
    assert SHIPPED.stat().st_size < 1_000_000
    shipped = pq.read_table(SHIPPED).to_pandas()
    assert list(shipped.columns) == COLUMNS
    names = set(shipped["area_name"])
    assert {"England", "London", "Inner London", catalogue.LA_NAME} <= names
    assert set(catalogue.STATISTICAL_NEIGHBOURS) <= names
    assert shipped["year"].min() >= 2019


@needs_source
def test_shipped_file_equals_a_fresh_build(bench, tmp_path):
    shipped = pq.read_table(SHIPPED).to_pandas()
    pd.testing.assert_frame_equal(shipped, bench)
    # and the writer is deterministic: same table, same bytes, no temp files left behind
    first = write_benchmarks(bench, tmp_path / "a").read_bytes()
    second = write_benchmarks(bench, tmp_path / "b").read_bytes()
    assert first == second
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["benchmarks.parquet"]


@needs_source
def test_cli_builds_the_table(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cpb_dash", "benchmarks", str(SOURCE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "benchmark rows" in result.stdout
    assert (tmp_path / "benchmarks.parquet").is_file()


def test_cli_reports_a_missing_source(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cpb_dash", "benchmarks", str(tmp_path / "nowhere"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 2
    assert "DfE file not found" in result.stderr


def test_comparator_table_agrees_with_comparator_values_for_every_indicator_and_year():
    from cpb_dash.benchmarks import comparator_table

    bench = pd.read_parquet(SHIPPED)
    table = comparator_table(bench)
    checked = 0
    for (indicator, year), rows in table.groupby(["indicator", "year"]):
        expected = comparator_values(bench, indicator, int(year))
        for row in rows.itertuples(index=False):
            want = expected[row.comparator]
            got = row.value if pd.notna(row.value) else (row.symbol if isinstance(row.symbol, str) else None)
            if isinstance(want, float):
                assert got == pytest.approx(want), (indicator, year, row.comparator)
            else:
                assert got == want or (want is None and got == "x"), (indicator, year, row.comparator)
            checked += 1
    assert checked > 300

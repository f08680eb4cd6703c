"""Published DfE benchmarks: build the curated table from the EES CSV files, and read comparators from it.

Pure pandas. Pages call the helpers at the bottom; `python -m cpb_dash benchmarks SOURCE` runs the builder.

Where each indicator comes from (every figure taken as published, never recomputed): file, rows selected,
then -> the value column.

cla_number_and_rate_per_10k_children.csv
    cla_count          population_type "Children looked after on 31 March each year" -> children_count
    cla_rate_per_10k   population_type "Children looked after on 31 March each year" -> rate_per_10000
    cla_started_count  population_type "Children starting to be looked after each year" -> children_count
    cla_ceased_count   population_type "Children ceasing to be looked after each year" -> children_count
cla_characteristics_31_march.csv
    uasc_count         cla_group "Unaccompanied asylum-seeking children", characteristic "UASC"
                       -> cla_31_march_number
    placed_20_miles_outside_pct
                       cla_group "Distance between home and placement and locality of placement",
                       characteristic "4. Placed outside the LA boundary, more than 20 miles from home"
                       -> percentage
la_cla_placement_stability.csv
    stab_3plus_pct     cla_group "CLA on 31 March",
                       placement_stability "With 3 or more placements during the year" -> children_percent
    ltstab_pct         cla_group "Children looked after continuously for at least 2.5 years on 31 March aged
                       under 16 years", placement_stability "Living with the same carer for at least 2 years"
                       -> children_percent
la_care_leavers_activity.csv
    cl_19_21_eet_pct   care_leaver_age "19 to 21 years",
                       breakdown "Total in education, employment or training" -> care_leaver_percent
la_care_leavers_accommodation_suitability.csv
    cl_19_21_suitable_accom_pct
                       care_leaver_age "19 to 21 years",
                       breakdown "Accommodation considered suitable" -> care_leaver_percent
la_care_leavers_activity.csv, la_care_leavers_accommodation_suitability.csv, ages "17 to 18 years" too:
    cl_17_18_eet_pct, cl_{17_18,19_21}_neet_pct ("Total not in education, employment or training"),
    cl_{17_18,19_21}_he_pct ("Higher education i.e. studies beyond A level"), cl_17_18_suitable_accom_pct
lait_bds_long.parquet (LAIT's long table): the OC2 health outcomes, missing, staying put, adoption, SGO and
    social worker changes; see LAIT_PICKS
csww_indicators_2017_to_2025.csv (one row per area and year)
    inpost_fte -> inpost_fte, turnover_pct -> turnover_rate_fte, agency_pct -> agency_rate_fte,
    vacancy_pct -> vacancy_rate_fte, caseload_avg -> caseload_fte, absence_pct -> absence_rate_fte

Care leavers: the activity file publishes its own "Total in education, employment or training" row (education
other than HE + higher education + apprenticeship + training or employment), as a percentage of "Total" (which
includes "information not known"), so that row is used rather than summing the categories, several of which
are suppressed (`c`). Likewise "Accommodation considered suitable" is a percentage of "Suitability total"
(which includes "No information").

Years: `year` is the year of the reference date, i.e. the file's time_period (31 March for children looked
after and care leavers, 30 September for the workforce). Only 2019 onwards is kept (the CLA files start in
2021).

Areas: National -> England (E92000001); Regional rows with an E12 code -> `Region` (London is E12000007);
E13000001 -> `Inner London`; Outer London (E13000002) and the DfE's "Statistical neighbours (median)" rows are
dropped (the app computes its own median). Local authorities keep the code and name as published, including
the workforce file's joint returns ("Kingston upon Thames / Richmond upon Thames") and abolished councils
(Cumbria, Northamptonshire), which carry `z` after they ceased. A code can differ between files for the same
council (Barnsley and Sheffield after their 2023 boundary change): the helpers below match on area_name, not
area_code.

Symbols (GSS: c, x, z, low, k, u) go in `symbol` with `value` null. A symbol is never read as 0: `low` and `k`
mean "rounds to zero but is not zero".
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cpb_dash import catalogue
from cpb_dash.atomic import write_atomically
from cpb_dash.store import BENCHMARKS_FILE

FIRST_YEAR = 2019
COLUMNS = ["year", "area_code", "area_name", "area_type", "indicator", "value", "symbol"]
AREA_TYPES: tuple[str, ...] = ("England", "Region", "Inner London", "Local authority")
GSS_SYMBOLS: frozenset[str] = frozenset({"c", "x", "z", "low", "k", "u"})
ENGLAND_CODE = "E92000001"
INNER_LONDON_CODE = "E13000001"
SN_MEDIAN_NOTE = (
    "Statistical neighbours: the median of the ten neighbours' published figures (DfE 2025 model), as the"
    " DfE children's social care dashboard shows it. Neighbours without a figure (suppressed or not"
    " available) are left out of the median."
)
RANK_QUARTILE_NOTE = (
    "Rank and quartile band, as the DfE's Local Authority Interactive Tool (LAIT) works them out: every council"
    " in England with a published figure is ranked, and 1 is always the best (the lowest figure where lower is"
    " better, the highest where higher is better); councils with the same figure share a rank. Quartile band A"
    " is the best quarter of councils, D the worst. Where neither higher nor lower is better (for example the"
    " rate of children in care per 10,000), there is no best, so there is no rank and no band, as LAIT shows"
    ' them ("-": not applicable). Councils whose figure is suppressed or not available are left out.'
)

SCHEMA = pa.schema(
    [
        ("year", pa.int64()),
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("area_type", pa.string()),
        ("indicator", pa.string()),
        ("value", pa.float64()),
        ("symbol", pa.string()),
    ]
)

_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass(frozen=True)
class _Pick:
    """One indicator taken from one column of the rows of a file that match `where`."""

    indicator: str
    column: str
    where: dict[str, str] = field(default_factory=dict)


CLA_NUMBER_FILE = "cla_number_and_rate_per_10k_children.csv"
STABILITY_FILE = "la_cla_placement_stability.csv"
CHARACTERISTICS_FILE = "cla_characteristics_31_march.csv"
WORKFORCE_FILE = "csww_indicators_2017_to_2025.csv"
CL_ACTIVITY_FILE = "la_care_leavers_activity.csv"
CL_ACCOMMODATION_FILE = "la_care_leavers_accommodation_suitability.csv"
SN_MODEL_FILE = "sn_model_2025_wide.csv"

_CLA_31 = {"population_type": "Children looked after on 31 March each year"}
_LTSTAB_GROUP = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"

PICKS: dict[str, tuple[_Pick, ...]] = {
    CLA_NUMBER_FILE: (
        _Pick("cla_count", "children_count", _CLA_31),
        _Pick("cla_rate_per_10k", "rate_per_10000", _CLA_31),
        _Pick(
            "cla_started_count", "children_count", {"population_type": "Children starting to be looked after each year"}
        ),
        _Pick(
            "cla_ceased_count", "children_count", {"population_type": "Children ceasing to be looked after each year"}
        ),
    ),
    CHARACTERISTICS_FILE: (
        _Pick(
            "uasc_count",
            "cla_31_march_number",
            {"cla_group": "Unaccompanied asylum-seeking children", "characteristic": "UASC"},
        ),
        _Pick(
            "placed_20_miles_outside_pct",
            "percentage",
            {
                "cla_group": "Distance between home and placement and locality of placement",
                "characteristic": "4. Placed outside the LA boundary, more than 20 miles from home",
            },
        ),
    ),
    STABILITY_FILE: (
        _Pick(
            "stab_3plus_pct",
            "children_percent",
            {"cla_group": "CLA on 31 March", "placement_stability": "With 3 or more placements during the year"},
        ),
        _Pick(
            "ltstab_pct",
            "children_percent",
            {"cla_group": _LTSTAB_GROUP, "placement_stability": "Living with the same carer for at least 2 years"},
        ),
    ),
    CL_ACTIVITY_FILE: (
        _Pick(
            "cl_19_21_eet_pct",
            "care_leaver_percent",
            {"care_leaver_age": "19 to 21 years", "breakdown": "Total in education, employment or training"},
        ),
        _Pick(
            "cl_17_18_eet_pct",
            "care_leaver_percent",
            {"care_leaver_age": "17 to 18 years", "breakdown": "Total in education, employment or training"},
        ),
        *(
            _Pick(f"cl_{ages}_{what}_pct", "care_leaver_percent", {"care_leaver_age": age, "breakdown": breakdown})
            for ages, age in (("17_18", "17 to 18 years"), ("19_21", "19 to 21 years"))
            for what, breakdown in (
                ("neet", "Total not in education, employment or training"),
                ("he", "Higher education i.e. studies beyond A level"),
            )
        ),
    ),
    CL_ACCOMMODATION_FILE: (
        _Pick(
            "cl_19_21_suitable_accom_pct",
            "care_leaver_percent",
            {"care_leaver_age": "19 to 21 years", "breakdown": "Accommodation considered suitable"},
        ),
        _Pick(
            "cl_17_18_suitable_accom_pct",
            "care_leaver_percent",
            {"care_leaver_age": "17 to 18 years", "breakdown": "Accommodation considered suitable"},
        ),
    ),
    WORKFORCE_FILE: (
        _Pick("inpost_fte", "inpost_fte"),
        _Pick("turnover_pct", "turnover_rate_fte"),
        _Pick("agency_pct", "agency_rate_fte"),
        _Pick("vacancy_pct", "vacancy_rate_fte"),
        _Pick("caseload_avg", "caseload_fte"),
        _Pick("absence_pct", "absence_rate_fte"),
    ),
}


# ----------------------------------------------------------------------------------------------------------
# Building the table
# ----------------------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame:
    # Everything as text, and no NA guessing: a symbol must arrive as the symbol, never as NaN or 0.
    if not path.is_file():
        raise FileNotFoundError(f"DfE file not found: {path}")
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _areas(frame: pd.DataFrame) -> pd.DataFrame:
    """Area code, name and type for each row; rows for areas we do not ship are dropped."""
    level = frame["geographic_level"]
    region = frame["region_code"]
    out = pd.DataFrame(index=frame.index, columns=["area_code", "area_name", "area_type"], dtype=object)

    national = level == "National"
    out.loc[national, ["area_code", "area_name", "area_type"]] = [ENGLAND_CODE, "England", "England"]

    inner = (level == "Regional") & (region == INNER_LONDON_CODE)
    out.loc[inner, "area_code"] = region[inner]
    out.loc[inner, "area_name"] = frame.loc[inner, "region_name"]
    out.loc[inner, "area_type"] = "Inner London"

    # E12 codes are the nine English regions; other E13 codes (Outer London) are sub-regions we do not show.
    regional = (level == "Regional") & region.str.startswith("E12")
    out.loc[regional, "area_code"] = region[regional]
    out.loc[regional, "area_name"] = frame.loc[regional, "region_name"]
    out.loc[regional, "area_type"] = "Region"

    la = level == "Local authority"
    out.loc[la, "area_code"] = frame.loc[la, "new_la_code"]
    out.loc[la, "area_name"] = frame.loc[la, "la_name"]
    out.loc[la, "area_type"] = "Local authority"
    return out[out["area_type"].notna()]


def _parse_values(raw: pd.Series, where: str) -> tuple[pd.Series, pd.Series]:
    """Published text -> (value, symbol). Neither a number nor a GSS symbol is an error, not a guess."""
    text = raw.str.strip()
    is_number = text.str.fullmatch(_NUMBER)
    is_symbol = text.isin(GSS_SYMBOLS)
    unknown = sorted(set(text[~is_number & ~is_symbol]))
    if unknown:
        raise ValueError(f"{where}: values that are neither numbers nor GSS symbols: {unknown[:10]}")
    value = pd.to_numeric(text.where(is_number), errors="raise").astype("float64")
    symbol = text.where(is_symbol)
    return value, symbol


def _extract(frame: pd.DataFrame, file_name: str, picks: Sequence[_Pick]) -> pd.DataFrame:
    areas = _areas(frame)
    frame = frame.loc[areas.index]
    years = pd.to_numeric(frame["time_period"], errors="raise").astype("int64")
    parts = []
    for pick in picks:
        mask = years >= FIRST_YEAR
        for column, wanted in pick.where.items():
            mask &= frame[column] == wanted
        if not mask.any():
            raise ValueError(f"{file_name}: no rows for {pick.indicator} ({pick.where})")
        value, symbol = _parse_values(frame.loc[mask, pick.column], f"{file_name} {pick.column}")
        parts.append(
            pd.DataFrame(
                {
                    "year": years[mask],
                    **{c: areas.loc[mask, c] for c in ("area_code", "area_name", "area_type")},
                    "indicator": pick.indicator,
                    "value": value,
                    "symbol": symbol,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------------------------------------
# LAIT's long table (lait_bds_long.parquet): the measures the EES files above do not carry
# ----------------------------------------------------------------------------------------------------------

LAIT_FILE = "lait_bds_long.parquet"
# indicator -> LAIT "Short Desc" (lait_data_dictionary.csv Measure_short). Every one is a percentage of whole
# numbers or, for Emotional_LAC, an average score to 1 decimal place; `Years` is the year of the 31 March.
LAIT_PICKS: dict[str, str] = {
    "health_assessment_pct": "LACHealth%",
    "dental_check_pct": "LACDental%",
    "immunisations_pct": "LACVaccinations%",
    "sdq_average_score": "Emotional_LAC",
    "substance_misuse_pct": "LACSubstance",
    "convictions_pct": "LAC_Convictions",
    "children_missing_pct": "Children_missing",
    "children_away_pct": "Children_Away",
    "staying_put_pct": "StayingPut",
    "adopted_pct": "%_of LAC Adopted",
    "sgo_pct": "LAC_ceased_SGO%",
    "sw_3plus_pct": "Stability_SocialWorker",
}
# LAIT names its comparator rows; codes as in the EES files. Other regions are matched to the EES region names.
LAIT_AREAS: dict[str, tuple[str, str, str]] = {
    "England": (ENGLAND_CODE, "England", "England"),
    "London (Inner)": (INNER_LONDON_CODE, catalogue.SUBREGION_NAME, "Inner London"),
}
# LAIT shows '-' both for a suppressed figure and for one not collected: we cannot tell which, so it is kept as
# 'x' (not available), never as a number.
LAIT_NO_FIGURE = "-"


def extract_lait(source_dir: Path) -> pd.DataFrame:
    """The LAIT_PICKS indicators for England, the English regions, Inner London and every LA (COLUMNS).

    LAs are matched on LAIT's `LA Number` (the old LA code) to the code and name the EES files use, so a council
    has one name across the table (LAIT writes "Bedford Borough" where EES writes "Bedford"); councils with no
    EES code (Bournemouth, Dorset and Poole before 2019) fall before FIRST_YEAR anyway and are dropped.
    """
    path = Path(source_dir) / LAIT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"DfE file not found: {path}")
    lait = pd.read_parquet(path, columns=["Short Desc", "Years", "LA and Regions", "Values", "LA Number"])
    wanted = {desc: ind for ind, desc in LAIT_PICKS.items()}
    lait = lait[lait["Short Desc"].isin(list(wanted))]
    lait = lait[lait["Years"].str.fullmatch(r"\d{4}") & (pd.to_numeric(lait["Years"], errors="coerce") >= FIRST_YEAR)]

    ees = _read_csv(Path(source_dir) / CLA_NUMBER_FILE)
    las = ees[ees["geographic_level"] == "Local authority"].drop_duplicates("old_la_code")
    la_by_old = {
        old: (new, name) for old, new, name in zip(las["old_la_code"], las["new_la_code"], las["la_name"], strict=True)
    }
    regions = ees[(ees["geographic_level"] == "Regional") & ees["region_code"].str.startswith("E12")]
    region_by_name = {n.casefold(): (c, n) for c, n in zip(regions["region_code"], regions["region_name"], strict=True)}
    records = []
    for desc, year, area, raw, number in lait.itertuples(index=False):
        if area in LAIT_AREAS:
            code, name, area_type = LAIT_AREAS[area]
        elif area.casefold() in region_by_name:
            (code, name), area_type = region_by_name[area.casefold()], "Region"
        elif pd.notna(number) and str(int(number)) in la_by_old:
            (code, name), area_type = la_by_old[str(int(number))], "Local authority"
        else:
            continue  # Outer London and councils before their reorganisation: not shown
        records.append(
            {
                "year": int(year),
                "area_code": code,
                "area_name": name,
                "area_type": area_type,
                "indicator": wanted[desc],
                "raw": "x" if raw is None or raw == LAIT_NO_FIGURE else raw,
            }
        )
    frame = pd.DataFrame.from_records(records)
    value, symbol = _parse_values(frame["raw"].astype("str"), f"{LAIT_FILE} Values")
    return frame.drop(columns="raw").assign(value=value, symbol=symbol)


def _normalise(table: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes and a fixed row order, so the same inputs always give the same file."""
    table = table[COLUMNS].copy()
    table["year"] = table["year"].astype("int64")
    for column in ("area_code", "area_name", "area_type", "indicator"):
        table[column] = table[column].astype(object).astype("str")
    table["value"] = pd.to_numeric(table["value"]).astype("float64")
    # pandas' string dtype keeps a missing symbol missing (never the text "nan")
    table["symbol"] = table["symbol"].astype("str")
    order = {t: i for i, t in enumerate(AREA_TYPES)}
    table = table.assign(_t=table["area_type"].map(order))
    table = table.sort_values(["indicator", "_t", "area_name", "area_code", "year"], kind="mergesort")
    return table.drop(columns="_t").reset_index(drop=True)


def _check(table: pd.DataFrame) -> None:
    published = {i.id for i in catalogue.INDICATORS.values() if i.published}
    if set(table["indicator"]) != published:
        odd = sorted(set(table["indicator"]) ^ published)
        raise ValueError(f"benchmarks: indicators {odd} missing or unknown")
    dup = table.duplicated(["year", "area_code", "indicator"], keep=False)
    if dup.any():
        raise ValueError(f"benchmarks: duplicate rows, e.g.\n{table[dup].head()}")
    both_or_neither = table["value"].isna() == table["symbol"].isna()
    if both_or_neither.any():
        raise ValueError("benchmarks: every row needs exactly one of value and symbol")
    if not set(table["area_type"]) <= set(AREA_TYPES):
        raise ValueError(f"benchmarks: unexpected area types {set(table['area_type']) - set(AREA_TYPES)}")


def build_benchmarks(source_dir: Path) -> pd.DataFrame:
    """The curated benchmark table (columns COLUMNS) from the DfE EES CSV files in `source_dir`."""
    source_dir = Path(source_dir)
    parts = []
    for file_name, picks in PICKS.items():
        frame = _read_csv(source_dir / file_name)
        parts.append(_extract(frame, file_name, picks))
    parts.append(extract_lait(source_dir))
    table = _normalise(pd.concat(parts, ignore_index=True))
    _check(table)
    return table


def write_benchmarks(table: pd.DataFrame, data_dir: Path) -> Path:
    """Write `data_dir/benchmarks.parquet` atomically: readers see the old file or the new, never half."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    table = _normalise(table)
    _check(table)
    arrow = pa.Table.from_pandas(table, schema=SCHEMA, preserve_index=False).replace_schema_metadata(None)
    target = data_dir / BENCHMARKS_FILE
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer, compression="zstd", write_statistics=False)
    write_atomically(target, buffer.getvalue())
    return target


def statistical_neighbours(source_dir: Path, old_la_code: int = catalogue.LA_OLD_CODE) -> pd.DataFrame:
    """One LA's ten statistical neighbours from the DfE 2025 model (sn_model_2025_wide.csv), closest first.

    Columns: la_name, old_la_code, neighbour_rank (1-10), neighbour_name, closeness. Neighbour names come from
    the model file's own la_name column, looked up by old LA code.
    """
    model = _read_csv(Path(source_dir) / SN_MODEL_FILE)
    names = dict(zip(model["old_la_code"].str.strip(), model["la_name"].str.strip(), strict=True))
    row = model[model["old_la_code"].str.strip() == str(old_la_code)]
    if len(row) != 1:
        raise ValueError(f"{SN_MODEL_FILE}: expected one row for old LA code {old_la_code}, found {len(row)}")
    row = row.iloc[0]
    records = []
    for rank in range(1, 11):
        code = str(row[f"SN_{rank}"]).strip()
        if code not in names:
            raise ValueError(f"{SN_MODEL_FILE}: neighbour {code} of {row['la_name']} is not in the model")
        records.append(
            {
                "la_name": row["la_name"].strip(),
                "old_la_code": int(old_la_code),
                "neighbour_rank": rank,
                "neighbour_name": names[code],
                "closeness": str(row[f"SN_{rank}P"]).strip(),
            }
        )
    return pd.DataFrame.from_records(records)


# ----------------------------------------------------------------------------------------------------------
# Comparators for the pages (pure: they take the table read by Store.read_benchmarks)
# ----------------------------------------------------------------------------------------------------------


def _slice(bench: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    return bench[(bench["indicator"] == indicator) & (bench["year"] == int(year))]


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _figure(rows: pd.DataFrame) -> float | str | None:
    """A single published figure: the number, else its symbol, else None (no row)."""
    if rows.empty:
        return None
    row = rows.iloc[0]
    if not _is_missing(row["value"]):
        return float(row["value"])
    return None if _is_missing(row["symbol"]) else str(row["symbol"])


def neighbour_table(
    bench: pd.DataFrame,
    indicator: str,
    year: int,
    neighbours: Sequence[str] = catalogue.STATISTICAL_NEIGHBOURS,
) -> pd.DataFrame:
    """Each statistical neighbour's figure, closest first: neighbour_rank, area_name, value, symbol.

    A neighbour with no row for the year has value and symbol both null (the page shows "x").
    """
    rows = _slice(bench, indicator, year)
    rows = rows[rows["area_type"] == "Local authority"].drop_duplicates("area_name").set_index("area_name")
    records = []
    for rank, name in enumerate(neighbours, start=1):
        value = rows["value"].get(name, np.nan)
        symbol = rows["symbol"].get(name, None)
        records.append(
            {
                "neighbour_rank": rank,
                "area_name": name,
                "value": float(value) if not _is_missing(value) else np.nan,
                "symbol": None if _is_missing(symbol) else str(symbol),
            }
        )
    return pd.DataFrame.from_records(records, columns=["neighbour_rank", "area_name", "value", "symbol"])


def sn_median(
    bench: pd.DataFrame,
    indicator: str,
    year: int,
    neighbours: Sequence[str] = catalogue.STATISTICAL_NEIGHBOURS,
) -> float | None:
    """Median of the neighbours' numeric figures (symbols and gaps left out); None if none has a figure."""
    values = neighbour_table(bench, indicator, year, neighbours)["value"].dropna()
    return float(values.median()) if len(values) else None


def comparator_values(bench: pd.DataFrame, indicator: str, year: int) -> dict[str, float | None | str]:
    """The figure for each key of catalogue.COMPARATORS: a number, a GSS symbol, or None if none is published.

    "Statistical neighbours" is the median of the ten neighbours' numeric figures
    (catalogue.STATISTICAL_NEIGHBOURS, the DfE 2025 model), ignoring neighbours whose figure is a symbol or
    missing; see SN_MEDIAN_NOTE. It is None when no neighbour has a figure.
    """
    rows = _slice(bench, indicator, year)
    out: dict[str, float | None | str] = {}
    for key in catalogue.COMPARATORS:
        if key == "Statistical neighbours":
            out[key] = sn_median(bench, indicator, year)
        elif key == "England":
            out[key] = _figure(rows[rows["area_type"] == "England"])
        elif key == catalogue.SUBREGION_NAME:
            out[key] = _figure(rows[rows["area_type"] == "Inner London"])
        else:  # a region, by name ("London")
            out[key] = _figure(rows[(rows["area_type"] == "Region") & (rows["area_name"] == key)])
    return out


def rank_and_quartile(
    bench: pd.DataFrame,
    indicator: str,
    year: int,
    la_name: str = catalogue.LA_NAME,
    polarity: str | None = None,
) -> tuple[int | None, int, str | None]:
    """(rank, n, quartile band) of one LA among every LA with a numeric figure, as LAIT computes them.

    Rank 1 is always best: 'low' polarity ranks ascending, 'high' descending; ties share the lowest rank
    (LAIT's ties.method = "min"). A neutral indicator has no best, so it has neither rank nor band: LAIT
    (R/fn_analysis.R, calculate_rank and the quartile band) gives "-" for any polarity but High and Low, and
    its user guide reads "- (dash) - Ranking and/or quartile banding is not applicable to this indicator"; the
    DfE's data dictionary (lait_data_dictionary.csv) gives the CLA rate per 10,000 polarity "-". The band is
    LAIT's: quartile cut points of all LA figures (R's default quantile, numpy's "linear"), A for the best
    quarter to D for the worst, upper bounds inclusive.
    `n` counts the LAs with a figure; rank and band are None when this LA has none (a symbol or no return) or
    the indicator is neutral.
    """
    polarity = polarity or catalogue.INDICATORS[indicator].polarity
    rows = _slice(bench, indicator, year)
    rows = rows[(rows["area_type"] == "Local authority") & rows["value"].notna()]
    values = rows.set_index("area_name")["value"].astype("float64")
    n = len(values)
    if la_name not in values.index or n == 0:
        return None, n, None
    if polarity not in (catalogue.HIGH, catalogue.LOW):
        return None, n, None
    ranks = (-values if polarity == catalogue.HIGH else values).rank(method="min")
    rank = int(ranks[la_name])
    value = float(values[la_name])
    q1, q2, q3 = np.quantile(values.to_numpy(), [0.25, 0.5, 0.75])
    # Quarters from the lowest figure up; for 'high' the lowest quarter is the worst (LAIT: D if <= Q1 ... A).
    quarter = 0 if value <= q1 else 1 if value <= q2 else 2 if value <= q3 else 3
    band = "ABCD"[quarter] if polarity == catalogue.LOW else "DCBA"[quarter]
    return rank, n, band


COMPARATOR_TABLE_COLUMNS = ["indicator", "year", "comparator", "value", "symbol"]


def comparator_table(bench: pd.DataFrame) -> pd.DataFrame:
    """Every comparator's figure for every indicator and year at once (COMPARATOR_TABLE_COLUMNS).

    The same figures as comparator_values, computed in one pass so that pages can draw comparator series
    without a lookup per point. `comparator` is a key of catalogue.COMPARATORS.
    """
    if bench.empty:
        return pd.DataFrame(columns=COMPARATOR_TABLE_COLUMNS)
    parts = []
    fixed = {
        "England": bench["area_type"] == "England",
        catalogue.REGION_NAME: (bench["area_type"] == "Region") & (bench["area_name"] == catalogue.REGION_NAME),
        catalogue.SUBREGION_NAME: bench["area_type"] == "Inner London",
    }
    for key, mask in fixed.items():
        rows = bench.loc[mask, ["indicator", "year", "value", "symbol"]].drop_duplicates(["indicator", "year"])
        parts.append(rows.assign(comparator=key))
    neighbours = bench[
        (bench["area_type"] == "Local authority") & bench["area_name"].isin(catalogue.STATISTICAL_NEIGHBOURS)
    ]
    neighbours = neighbours.drop_duplicates(["indicator", "year", "area_name"])
    median = neighbours.groupby(["indicator", "year"], as_index=False)["value"].median()
    median["symbol"] = None
    median.loc[median["value"].isna(), "symbol"] = "x"
    parts.append(median.assign(comparator="Statistical neighbours"))
    out = pd.concat(parts, ignore_index=True)[COMPARATOR_TABLE_COLUMNS]
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["indicator", "comparator", "year"], ignore_index=True)

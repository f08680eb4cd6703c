"""Every council's published figures, re-derived by our catalogue formulas from the DfE's own counts: the new
indicators (care leavers 17-18 and 19-21, children leaving care by adoption and by special guardianship order)
give exactly the percentage the DfE publishes for each local authority and year, rounded as shown on screen.

Local authority counts are published unrounded (national and regional ones are rounded to the nearest 10, so
they are left out). A count the DfE suppresses ('c') or does not give ('-', 'x', 'z') leaves that council's year
out: nothing is re-derived from a symbol. The health outcomes (OC2) are published as percentages only, with no
counts, so they cannot be re-derived; the adoption scorecard timings and the review measures are not in the
DfE files we hold.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cpb_dash import catalogue, indicators
from cpb_dash.formatting import format_value
from tests.conftest import SHARED_DFE

# indicator -> (age, numerator breakdown, denominator breakdown) in the care leaver files
ACTIVITY = {
    "cl_17_18_eet_pct": ("17 to 18 years", "Total in education, employment or training", "Total"),
    "cl_17_18_neet_pct": ("17 to 18 years", "Total not in education, employment or training", "Total"),
    "cl_19_21_neet_pct": ("19 to 21 years", "Total not in education, employment or training", "Total"),
    "cl_17_18_he_pct": ("17 to 18 years", "Higher education i.e. studies beyond A level", "Total"),
    "cl_19_21_he_pct": ("19 to 21 years", "Higher education i.e. studies beyond A level", "Total"),
}
ACCOMMODATION = {
    "cl_17_18_suitable_accom_pct": ("17 to 18 years", "Accommodation considered suitable", "Suitability total"),
}
# indicator -> (numerator, denominator, published percentage) in LAIT's long table ("Short Desc")
LAIT = {
    "adopted_pct": ("No_of LAC Adopted", "LACceased", "%_of LAC Adopted"),
    "sgo_pct": ("LAC_ceased_SGO", "LACceased", "LAC_ceased_SGO%"),
}


def _cases(ids: list[str]) -> list:
    # 23 / 40 x 100 (17-18 EET, one council) and 29 / 200 x 100 (adopted) are exactly half way: they pass only
    # because ratios are derived exactly from the counts.
    return list(ids)


def _need_source() -> None:
    if not SHARED_DFE.is_dir():
        pytest.skip("../shared/data/dfe is not beside the repository")


def _is_count(text: pd.Series) -> pd.Series:
    return text.str.fullmatch(r"\d+")


def _rederive(indicator_id: str, cases: pd.DataFrame) -> pd.DataFrame:
    """cases: area, year, numerator, denominator (whole counts), published (the DfE's figure as text). Returns the
    cases with `ours`, our figure as the page shows it, derived by indicators.derive from a count table with one
    breakdown per council and year."""
    ind = catalogue.INDICATORS[indicator_id]
    key = cases["area"] + " " + cases["year"].astype(str)
    rows = []
    for measure, column in ((ind.numerator, "numerator"), (ind.denominator[0], "denominator")):
        rows.append(
            pd.DataFrame(
                {
                    "period_end": pd.Timestamp("2025-03-31"),
                    "measure": measure,
                    "breakdown_topic": "Council and year",
                    "breakdown": key,
                    "value": cases[column].astype("float64"),
                    "symbol": None,
                }
            )
        )
    derived = indicators.derive(pd.concat(rows, ignore_index=True), ind).set_index("breakdown")
    ours = [format_value(derived.at[k, "value"], ind.unit, ind.dps) for k in key]
    return cases.assign(ours=ours, theirs=[format_value(float(p), ind.unit, ind.dps) for p in cases["published"]])


def _care_leaver_cases(file_name: str, age: str, numerator: str, denominator: str) -> pd.DataFrame:
    frame = pd.read_csv(SHARED_DFE / file_name, dtype=str, keep_default_na=False)
    frame = frame[(frame["geographic_level"] == "Local authority") & (frame["care_leaver_age"] == age)]
    num = frame[frame["breakdown"] == numerator].set_index(["new_la_code", "time_period"])
    den = frame[frame["breakdown"] == denominator].set_index(["new_la_code", "time_period"])
    both = num.join(den, suffixes=("_num", "_den"), how="inner")
    usable = (
        _is_count(both["care_leaver_count_num"])
        & _is_count(both["care_leaver_count_den"])
        & both["care_leaver_percent_num"].str.fullmatch(r"\d+(\.\d+)?")
        & (both["care_leaver_count_den"] != "0")
    )
    both = both[usable].reset_index()
    return pd.DataFrame(
        {
            "area": both["new_la_code"],
            "year": both["time_period"].astype(int),
            "numerator": both["care_leaver_count_num"].astype(int),
            "denominator": both["care_leaver_count_den"].astype(int),
            "published": both["care_leaver_percent_num"],
        }
    )


@pytest.mark.parametrize("indicator_id", _cases([*ACTIVITY, *ACCOMMODATION]))
def test_care_leaver_percentages_for_every_council(indicator_id):
    _need_source()
    file_name = (
        "la_care_leavers_activity.csv" if indicator_id in ACTIVITY else "la_care_leavers_accommodation_suitability.csv"
    )
    age, numerator, denominator = {**ACTIVITY, **ACCOMMODATION}[indicator_id]
    cases = _rederive(indicator_id, _care_leaver_cases(file_name, age, numerator, denominator))
    assert len(cases) >= 100  # councils with figures in at least one year: an empty check would prove nothing
    wrong = cases[cases["ours"] != cases["theirs"]]
    assert wrong.empty, wrong.head(10).to_string()


@pytest.mark.parametrize("indicator_id", _cases(list(LAIT)))
def test_leaving_care_by_adoption_and_sgo_for_every_council(indicator_id):
    _need_source()
    numerator, denominator, percentage = LAIT[indicator_id]
    lait = pd.read_parquet(SHARED_DFE / "lait_bds_long.parquet", columns=["Short Desc", "Years", "LA Number", "Values"])
    lait = lait[(lait["LA Number"] < 970) & lait["Years"].str.fullmatch(r"\d{4}")]  # 970 on: England, regions
    lait = lait.assign(area=lait["LA Number"].astype(int).astype(str), year=lait["Years"].astype(int))
    picked = {
        name: lait[lait["Short Desc"] == short].set_index(["area", "year"])["Values"]
        for name, short in (("numerator", numerator), ("denominator", denominator), ("published", percentage))
    }
    both = pd.DataFrame(picked).dropna()
    both = both[
        _is_count(both["numerator"])
        & _is_count(both["denominator"])
        & (both["denominator"] != "0")
        & both["published"].str.fullmatch(r"\d+(\.\d+)?")
    ].reset_index()
    cases = _rederive(
        indicator_id, both.assign(numerator=both["numerator"].astype(int), denominator=both["denominator"].astype(int))
    )
    assert len(cases) >= 300
    wrong = cases[cases["ours"] != cases["theirs"]]
    assert wrong.empty, wrong.head(10).to_string()

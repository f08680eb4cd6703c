"""Sample data for health and wellbeing, leaving care and permanence, and children's voice (see fixtures.py).

Anchored on Hackney's published figures where the DfE publishes one: at each 31 March the sample counts give,
rounded half up as the DfE rounds, exactly Hackney's published percentage (LAIT's long table, and the care
leaver files for 17-18 and 19-21), and where the DfE publishes Hackney's counts (care leavers, children ceasing
care by adoption and by special guardianship order) the counts themselves. Quarters between are plausible.

Invented, and realistic rather than published (each beside its constant below): the OC2 cohort's size and its
5-16 and 10+ parts, SDQ completion and the share with a score of concern, care leavers in touch, the staying put
cohort, the adoption scorecard's day counts, reviews and participation, and social worker changes outside 2024.

Choices a reader should know:
- Hackney's 2021 'children who went missing' is published as 0, the year of the cyber attack (as submitted, not
  credible): the sample invents 16% for it rather than anchor on it. Its 0% 'away without authorisation' in
  2021-2025 is anchored on: Hackney records such absences as missing, as many councils do.
- LAIT shows '-' for a figure it does not give (suppressed or not collected): those years are invented.

The reference is extracted once from the DfE files and committed (data/reference/hackney_published_measures.csv),
so the `fixtures` command needs no DfE files; to refresh it:

    .venv/bin/python -c "from pathlib import Path; from cpb_dash.fixtures_measures import write_reference; \
write_reference(Path('../shared/data/dfe'))"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from cpb_dash import benchmarks, catalogue, config
from cpb_dash.apportion import allocate

REFERENCE_PATH = config.PROJECT_ROOT / "data" / "reference" / "hackney_published_measures.csv"
REFERENCE_COLUMNS = ["date", "figure", "value", "symbol"]  # figure: an indicator id (published) or a measure id
SEED = 2024 + 12  # its own generator: the older datasets' sample data stays byte for byte the same
TOTAL = catalogue.TOTAL
FIRST_ANCHOR_YEAR = 2020  # the sample's first 31 March

# DfE care leaver files: (age, file, breakdown) -> measure, counts as published.
CARE_LEAVER_COUNTS = {
    ("17 to 18 years", benchmarks.CL_ACTIVITY_FILE, "Total"): "cl_17_18_total",
    ("17 to 18 years", benchmarks.CL_ACTIVITY_FILE, "Total in education, employment or training"): "cl_17_18_eet",
    ("17 to 18 years", benchmarks.CL_ACTIVITY_FILE, "Total not in education, employment or training"): "cl_17_18_neet",
    ("17 to 18 years", benchmarks.CL_ACTIVITY_FILE, "Higher education i.e. studies beyond A level"): "cl_17_18_he",
    (
        "17 to 18 years",
        benchmarks.CL_ACCOMMODATION_FILE,
        "Accommodation considered suitable",
    ): "cl_17_18_suitable_accom",
    ("19 to 21 years", benchmarks.CL_ACTIVITY_FILE, "Total not in education, employment or training"): "cl_19_21_neet",
    ("19 to 21 years", benchmarks.CL_ACTIVITY_FILE, "Higher education i.e. studies beyond A level"): "cl_19_21_he",
}
# LAIT counts -> measure (the year to 31 March).
LAIT_COUNTS = {
    "LACceased": "ceased_12m",
    "No_of LAC Adopted": "ceased_adoption_12m",
    "LAC_ceased_SGO": "ceased_sgo_12m",
}


# ==========================================================================================================
# Reference
# ==========================================================================================================


def extract_reference(source_dir: Path) -> pd.DataFrame:
    """Hackney's published figures for these measures (REFERENCE_COLUMNS), from the DfE files in `source_dir`."""
    source_dir = Path(source_dir)
    rows = []
    published = {
        i.id
        for i in catalogue.INDICATORS.values()
        if i.published and i.area in ("health_wellbeing", "leaving_care", "childrens_voice")
    }
    lait = benchmarks.extract_lait(source_dir)
    picks = [p for file_picks in benchmarks.PICKS.values() for p in file_picks if p.indicator in published]
    parts = [lait]
    for file_name, file_picks in benchmarks.PICKS.items():
        wanted = [p for p in file_picks if p in picks]
        if wanted:
            parts.append(benchmarks._extract(benchmarks._read_csv(source_dir / file_name), file_name, wanted))
    table = pd.concat(parts, ignore_index=True)
    table = table[(table["area_code"] == catalogue.LA_CODE) & table["indicator"].isin(published)]
    for r in table.itertuples(index=False):
        rows.append(
            {
                "date": dt.date(int(r.year), 3, 31).isoformat(),
                "figure": r.indicator,
                "value": r.value,
                "symbol": r.symbol if isinstance(r.symbol, str) else None,
            }
        )

    for file_name in (benchmarks.CL_ACTIVITY_FILE, benchmarks.CL_ACCOMMODATION_FILE):
        frame = benchmarks._read_csv(source_dir / file_name)
        frame = frame[(frame["geographic_level"] == "Local authority") & (frame["new_la_code"] == catalogue.LA_CODE)]
        for r in frame.itertuples(index=False):
            measure = CARE_LEAVER_COUNTS.get((r.care_leaver_age, file_name, r.breakdown))
            if measure is not None:
                rows.append(_count_row(dt.date(int(r.time_period), 3, 31), measure, r.care_leaver_count))

    raw = pd.read_parquet(source_dir / benchmarks.LAIT_FILE, columns=["Short Desc", "Years", "LA Number", "Values"])
    raw = raw[
        raw["Short Desc"].isin(list(LAIT_COUNTS))
        & (raw["LA Number"] == catalogue.LA_OLD_CODE)
        & raw["Years"].str.fullmatch(r"\d{4}")
    ]
    for desc, year, _, value in raw.itertuples(index=False):
        if int(year) >= benchmarks.FIRST_YEAR:
            rows.append(
                _count_row(
                    dt.date(int(year), 3, 31), LAIT_COUNTS[desc], "x" if value == benchmarks.LAIT_NO_FIGURE else value
                )
            )
    out = pd.DataFrame(rows, columns=REFERENCE_COLUMNS)
    out["value"] = pd.to_numeric(out["value"]).astype("float64")
    return out.sort_values(["date", "figure"], kind="stable", ignore_index=True)


def _count_row(day: dt.date, measure: str, raw: str) -> dict[str, object]:
    raw = str(raw).strip()
    if raw in benchmarks.GSS_SYMBOLS:
        return {"date": day.isoformat(), "figure": measure, "value": np.nan, "symbol": raw}
    return {"date": day.isoformat(), "figure": measure, "value": float(raw), "symbol": None}


def write_reference(source_dir: Path, path: Path = REFERENCE_PATH) -> Path:
    frame = extract_reference(source_dir)
    frame["value"] = [("" if pd.isna(v) else f"{v:.10g}") for v in frame["value"]]
    frame["symbol"] = frame["symbol"].fillna("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return path


def read_reference(path: Path = REFERENCE_PATH) -> dict[tuple[str, int], float | None]:
    """(figure, year of the 31 March) -> published value, or None where the DfE gives a symbol."""
    frame = pd.read_csv(path, dtype={"symbol": str}, keep_default_na=False, na_values={"value": [""]})
    return {
        (f, int(d[:4])): (None if pd.isna(v) else float(v))
        for d, f, v in zip(frame["date"], frame["figure"], frame["value"], strict=True)
    }


# ==========================================================================================================
# Anchoring: whole counts whose ratio rounds (half up, exactly) to the published figure
# ==========================================================================================================


def rounds_to(numerator: int, denominator: int, published: float, scale: int = 100, dps: int = 0) -> bool:
    """numerator / denominator x scale, rounded half up to dps from the exact fraction, equals `published`."""
    exact = Fraction(numerator) / Fraction(denominator) * scale * 10**dps
    return (exact + Fraction(1, 2)).__floor__() == round(published * 10**dps)


def anchored_numerator(denominator: int, published: float, scale: int = 100, dps: int = 0) -> int:
    """The whole numerator closest to published x denominator / scale whose ratio rounds to `published`."""
    guess = round(published * denominator / scale)
    for step in range(0, denominator + 1):
        for candidate in (guess - step, guess + step):
            if 0 <= candidate and rounds_to(candidate, denominator, published, scale, dps):
                return candidate
    raise ValueError(f"no whole numerator over {denominator} rounds to {published}")


def anchored_denominator(guess: int, published: Sequence[float], scale: int = 100, dps: int = 0) -> int:
    """The whole denominator nearest `guess` over which every published figure can be hit exactly: with few
    children not every whole percentage can be (no count of 39 young people gives 39%)."""
    for step in range(0, guess):
        for candidate in (guess + step, guess - step):
            if candidate > 0 and all(_reachable(candidate, p, scale, dps) for p in published):
                return candidate
    raise ValueError(f"no denominator near {guess} reaches {list(published)}")


def _reachable(denominator: int, published: float, scale: int, dps: int) -> bool:
    try:
        anchored_numerator(denominator, published, scale, dps)
    except ValueError:
        return False
    return True


# ==========================================================================================================
# Generating
# ==========================================================================================================

# Realistic, not published (Hackney's OC2 cohort is about two thirds of its children in care, as in London).
OC2_SHARE_OF_CLA = 0.64
SDQ_AGE_SHARE = 0.72  # children aged 5 to 16 among the OC2 cohort
AGED_10_PLUS_SHARE = 0.62
SDQ_COMPLETED = (0.71, 0.80)  # completion rising over the sample years
SDQ_CONCERN = 0.41  # share of completed scores of 17 or more (England about 38%)
INVENTED_PCT = {  # years LAIT gives no Hackney figure for ('-'), or an implausible one (missing 2021)
    ("children_missing_pct", 2021): 16.0,
    ("adopted_pct", 2021): 4.0,
    ("adopted_pct", 2022): 4.0,
    ("adopted_pct", 2024): 4.0,
    ("adopted_pct", 2025): 3.0,
}
IN_TOUCH = {"17_18": 0.96, "19_21": 0.90}
HE_WHEN_SUPPRESSED = {"17_18": 2, "19_21": 16}  # the DfE shows 'c' for Hackney's count
STAYING_PUT_COHORT = (36, 44)
SW_3PLUS_PCT = 18.0  # LAIT's only Hackney figure (2024); other years vary around it
A1_DAYS, A2_DAYS = (520, 455), (230, 190)  # average days, falling over the sample years: realistic for London
PARTICIPATION_SHARES = (0.10, 0.40, 0.05, 0.04, 0.03, 0.13, 0.13, 0.12)  # PN0 .. PN7


def _march_years(quarters: Sequence[dt.date]) -> list[int]:
    return [q.year for q in quarters if (q.month, q.day) == (3, 31)]


def _interpolate_pct(anchors: dict[int, float], day: dt.date) -> float:
    """A percentage for any quarter: the anchor on a 31 March, linear between, held beyond."""
    years = sorted(anchors)
    x = day.year + (day.month - 3) / 12
    return float(np.interp(x, years, [anchors[y] for y in years]))


def _total(rows, dataset: str, day: dt.date, measure: str) -> float:
    for m, topic, _, value, _ in rows.rows[(dataset, day)]:
        if m == measure and topic == TOTAL:
            return float(value)
    raise KeyError((dataset, day, measure))


def _pct_anchors(ref: dict, figure: str, years: Sequence[int], fallback: float) -> dict[int, float]:
    anchors = {}
    for year in years:
        value = INVENTED_PCT.get((figure, year), ref.get((figure, year)))
        anchors[year] = value if value is not None else fallback
    return anchors


def generate(rows, quarters: Sequence[dt.date], reference: dict | None = None) -> None:
    """Add every quarter's rows for the three datasets to `rows` (fixtures._Rows), after the care population's."""
    ref = read_reference() if reference is None else reference
    rng = np.random.default_rng(SEED)
    years = _march_years(quarters)
    _health(rows, quarters, ref, rng, years)
    _leaving_care(rows, quarters, ref, rng, years)
    _voice(rows, quarters, ref, rng, years)


def _health(rows, quarters, ref, rng, years) -> None:
    span = max(len(years) - 1, 1)
    for i, year in enumerate(years):
        day = dt.date(year, 3, 31)
        t = i / span
        health = {
            measure: _pct_anchors(ref, indicator, [year], fallback)[year]
            for measure, indicator, fallback in (
                ("oc2_health_assessment", "health_assessment_pct", 92.0),
                ("oc2_dental_check", "dental_check_pct", 75.0),
                ("oc2_immunised", "immunisations_pct", 65.0),
                ("oc2_substance_misuse", "substance_misuse_pct", 8.0),
            )
        }
        cohort = anchored_denominator(
            round(_total(rows, "care_population", day, "cla") * OC2_SHARE_OF_CLA), list(health.values())
        )
        rows.total(day, "oc2_cohort", cohort)
        for measure, pct in health.items():
            rows.total(day, measure, anchored_numerator(cohort, pct))
        sdq_cohort = round(cohort * SDQ_AGE_SHARE)
        average = _pct_anchors(ref, "sdq_average_score", [year], 14.5)[year]
        completed = anchored_denominator(
            round(sdq_cohort * (SDQ_COMPLETED[0] + (SDQ_COMPLETED[1] - SDQ_COMPLETED[0]) * t)), [average], 1, 1
        )
        rows.total(day, "oc2_sdq_cohort", sdq_cohort)
        rows.total(day, "oc2_sdq_completed", completed)
        rows.total(day, "oc2_sdq_score_total", anchored_numerator(completed, average, scale=1, dps=1))
        rows.total(day, "oc2_sdq_concern", round(completed * (SDQ_CONCERN + rng.normal(0, 0.02))))
        pct = _pct_anchors(ref, "convictions_pct", [year], 5.0)[year]
        aged_10 = anchored_denominator(round(cohort * AGED_10_PLUS_SHARE), [pct])
        rows.total(day, "oc2_aged_10_plus", aged_10)
        rows.total(day, "oc2_convicted", anchored_numerator(aged_10, pct))

    missing = _pct_anchors(ref, "children_missing_pct", years, 15.0)
    away = _pct_anchors(ref, "children_away_pct", years, 0.0)
    ceased = _ceased_12m(rows, quarters)
    for q in quarters:
        during = round(_total(rows, "care_population", q, "cla") + ceased[q])
        rows.total(q, "cla_during_12m", during)
        for measure, anchors in (("children_missing_12m", missing), ("children_away_12m", away)):
            if (q.month, q.day) == (3, 31):
                value = anchored_numerator(during, anchors[q.year])
            else:
                value = round(during * max(_interpolate_pct(anchors, q) + rng.normal(0, 0.6), 0) / 100)
            rows.total(q, measure, value)


def _ceased_12m(rows, quarters) -> dict[dt.date, int]:
    """Children ceasing care in the 12 months to each quarter end: the care population's last four quarters
    (at 31 March, the DfE's year); the sample's first three quarters scale up what they have."""
    quarterly = [_total(rows, "care_population", q, "cla_ceased") for q in quarters]
    out = {}
    for i, q in enumerate(quarters):
        window = quarterly[max(i - 3, 0) : i + 1]
        out[q] = round(sum(window) * 4 / len(window))
    return out


def _leaving_care(rows, quarters, ref, rng, years) -> None:
    counts = {m: {y: ref.get((m, y)) for y in years} for m in CARE_LEAVER_COUNTS.values()}
    total_17 = {y: v for y, v in counts["cl_17_18_total"].items() if v is not None}
    total_17.setdefault(FIRST_ANCHOR_YEAR, 78.0)  # 2020 is not in the files we hold
    shares_17 = {
        m: {y: (counts[m][y] / total_17[y] * 100 if counts[m].get(y) is not None else None) for y in years}
        for m in ("cl_17_18_eet", "cl_17_18_neet", "cl_17_18_suitable_accom")
    }
    fallbacks = {"cl_17_18_eet": 66.0, "cl_17_18_neet": 30.0, "cl_17_18_suitable_accom": 92.0}
    ceased = _ceased_12m(rows, quarters)
    adopted_3y: list[int] = []
    for i, q in enumerate(quarters):
        march = (q.month, q.day) == (3, 31)
        t = i / max(len(quarters) - 1, 1)
        total = round(_interpolate_pct(total_17, q) * (1 if march else 1 + rng.normal(0, 0.02)))
        rows.total(q, "cl_17_18_total", total)
        for measure in ("cl_17_18_eet", "cl_17_18_neet", "cl_17_18_suitable_accom"):
            published = counts[measure].get(q.year) if march else None
            if published is not None and total == total_17.get(q.year):
                value = int(published)
            else:
                anchors = {y: (v if v is not None else fallbacks[measure]) for y, v in shares_17[measure].items()}
                value = round(total * _interpolate_pct(anchors, q) / 100)
            rows.total(q, measure, min(value, total))
        older = _total(rows, "care_population", q, "cl_19_21_total")
        eet_19 = _total(rows, "care_population", q, "cl_19_21_eet")
        published_neet = counts["cl_19_21_neet"].get(q.year) if march else None
        neet_19 = (
            int(published_neet)
            if published_neet is not None
            else round(older * _interpolate_pct(_neet_19_anchors(counts, rows, years), q) / 100)
        )
        rows.total(q, "cl_19_21_neet", min(neet_19, older - eet_19))
        for ages, cohort in (("17_18", total), ("19_21", older)):
            published_he = counts[f"cl_{ages}_he"].get(q.year) if march else None
            he = int(published_he) if published_he is not None else HE_WHEN_SUPPRESSED[ages] + int(rng.integers(0, 2))
            rows.total(q, f"cl_{ages}_he", min(he, cohort))
            rows.total(q, f"cl_{ages}_in_touch", round(cohort * min(IN_TOUCH[ages] + rng.normal(0, 0.01), 1)))
        cohort = round(STAYING_PUT_COHORT[0] + (STAYING_PUT_COHORT[1] - STAYING_PUT_COHORT[0]) * t + rng.normal(0, 1.5))
        staying = _pct_anchors(ref, "staying_put_pct", years, 30.0)
        if march:
            cohort = anchored_denominator(cohort, [staying[q.year]])
        rows.total(q, "staying_put_cohort", cohort)
        rows.total(
            q,
            "staying_put",
            anchored_numerator(cohort, staying[q.year])
            if march
            else round(cohort * _interpolate_pct(staying, q) / 100),
        )
        # Permanence: ceased in the 12 months (the care population's quarters), by adoption and by SGO.
        rows.total(q, "ceased_12m", ceased[q])
        for measure, indicator, fallback in (
            ("ceased_adoption_12m", "adopted_pct", 5.0),
            ("ceased_sgo_12m", "sgo_pct", 10.0),
        ):
            published = ref.get((measure, q.year)) if march else None
            if published is not None and ceased[q] == ref.get(("ceased_12m", q.year)):
                value = int(published)
            else:
                pct = _pct_anchors(ref, indicator, years, fallback)
                value = (
                    anchored_numerator(ceased[q], pct[q.year])
                    if march
                    else round(ceased[q] * _interpolate_pct(pct, q) / 100)
                )
            rows.total(q, measure, value)
            if measure == "ceased_adoption_12m":
                adopted_3y.append(value)
        # Adoption scorecard: three-year cohorts (the 12-month adoptions of this quarter and a year and two
        # years before, or as many as the sample has), average days falling.
        window = adopted_3y[-9::4] if len(adopted_3y) >= 9 else adopted_3y[-1:] * 3
        children = max(sum(window), 1)
        rows.total(q, "adopted_3y", children)
        rows.total(
            q,
            "adopted_3y_days_to_move_in",
            round(children * (A1_DAYS[0] + (A1_DAYS[1] - A1_DAYS[0]) * t + rng.normal(0, 12))),
        )
        matched = max(children + int(rng.integers(-2, 3)), 1)
        rows.total(q, "matched_3y", matched)
        rows.total(
            q,
            "matched_3y_days_order_to_match",
            round(matched * (A2_DAYS[0] + (A2_DAYS[1] - A2_DAYS[0]) * t + rng.normal(0, 8))),
        )


def _neet_19_anchors(counts, rows, years) -> dict[int, float]:
    out = {}
    for year in years:
        published = counts["cl_19_21_neet"].get(year)
        total = _total(rows, "care_population", dt.date(year, 3, 31), "cl_19_21_total")
        out[year] = published / total * 100 if published is not None else 33.0
    return out


def _voice(rows, quarters, ref, rng, years) -> None:

    sw_anchor = {y: (ref.get(("sw_3plus_pct", y)) or SW_3PLUS_PCT + 2.5 * (2024 - y) / 4) for y in years}
    for i, q in enumerate(quarters):
        t = i / max(len(quarters) - 1, 1)
        cla = _total(rows, "care_population", q, "cla")
        due = round(cla * 0.5 * (1 + rng.normal(0, 0.05)))
        rows.total(q, "reviews_due", due)
        rows.total(q, "reviews_on_time", round(due * min(0.86 + 0.08 * t + rng.normal(0, 0.015), 1)))
        held = round(due * 0.98)
        # Participation improving: fewer reviews without the child's views (PN7), more speaking for themselves.
        shares = list(PARTICIPATION_SHARES)
        shares[1] += 0.06 * t
        shares[7] -= 0.04 * t
        parts = allocate(held, shares)
        rows.total(q, "reviews_held", held)
        rows.breakdown(q, "reviews_held", "Review participation", parts)
        codes = list(catalogue.REVIEW_PARTICIPATION)
        rows.total(q, "reviews_held_aged_4_plus", held - parts[0])
        rows.total(
            q,
            "reviews_participated",
            sum(p for code, p in zip(codes, parts, strict=True) if code in catalogue.PARTICIPATED_CODES),
        )
        cohort = round(cla)
        if (q.month, q.day) == (3, 31):
            three = anchored_numerator(cohort, sw_anchor[q.year])
        else:
            three = round(cohort * (_interpolate_pct(sw_anchor, q) + rng.normal(0, 1)) / 100)
        two = round(cohort * 0.27)
        rows.total(q, "sw_cohort", cohort)
        rows.breakdown(q, "sw_cohort", "Social workers in the year", [cohort - two - three, two, three])
        rows.total(q, "sw_3plus_12m", three)

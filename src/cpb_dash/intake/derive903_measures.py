"""SSDA903 tables -> the health_wellbeing, leaving_care and childrens_voice counts the return carries.

Adds to what derive903.derive found (same quarters, same long format: period_end, measure, breakdown_topic,
breakdown, value, symbol), each measure at its catalogue reference: the OC2 health outcomes and the OC3 care
leavers once, at the 31 March their table describes; missing, ceasing care and social workers over the 12 months
to each quarter end; adoption timeliness over 3 years; reviews in the quarter. A measure is derived only where the
extract covers its whole window. Child-level frames live only inside `add_measures`; only counts leave.

The DfE documents the rules come from, each cited once below where its rule is applied:
- [CLA] "Children looked after in England including adoptions": methodology, Explore Education Statistics
  (catalogue.EES_CLA);
- [OUT] "Outcomes for children in need, including children looked after by local authorities in England":
  methodology, Explore Education Statistics (catalogue.EES_OUTCOMES);
- [GUIDE] "Children looked after return: guide to submitting data" (the SSDA903 guide, catalogue.SSDA903_GUIDE);
- [RULES] "CLA SSDA903 validation rules" (DfE, published with the guide each year);
- [A1/A2] "Adoption scorecards: guidance" (DfE, catalogue.ADOPTION_SCORECARD);
- [REG] The Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33 (review timing).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter

import numpy as np
import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.intake.derive903 import (
    EET_ACTIVITY,
    SHORT_BREAK_LS,
    Derived,
    _days,
    _first_quarter_end,
    _rows,
    _shift_months,
    _ymd,
    age_on,
    episode_frame,
    looked_after_on,
)

HEALTH, LEAVING, VOICE = "health_wellbeing", "leaving_care", "childrens_voice"
DATASETS = (HEALTH, LEAVING, VOICE)

# [GUIDE] OC2 items are 1 (yes) or 0 (no); SDQ_SCORE is the total difficulties score, 0 to 40.
YES = "1"
SDQ_MAX = 40
# [OUT] The SDQ total difficulties score: 0-13 normal, 14-16 borderline, 17-40 a cause for concern; SDQ figures are
# published for children aged 5 to 16 at 31 March, convictions for those aged 10 or over (age of criminal
# responsibility).
SDQ_CONCERN = 17
SDQ_AGES = (5, 16)
CONVICTION_AGE = 10
# [GUIDE] OC3 activity: F1/P1 higher education (full/part time), G4-G6 not in education, employment or training
# (illness or disability; other reasons; pregnancy or parenting). Accommodation codes ending 1 are suitable; Z is
# "with former foster carers" (staying put).
HIGHER_EDUCATION = ("F1", "P1")
NEET_ACTIVITY = ("G4", "G5", "G6")
STAYING_PUT_ACCOM = "Z"
FOSTER_PLACEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")
# [GUIDE] reason episode ceased: E11, E12 adopted; E43, E44 (to 2019-20) and E45 to E48 (since) special
# guardianship orders, to former foster carers or to others.
ADOPTED_REC = ("E11", "E12")
SGO_REC = ("E43", "E44", "E45", "E46", "E47", "E48")
# [GUIDE] legal status D1 (freeing order) and E1 (placement order): the court's authority to place for adoption.
PLACEMENT_ORDER_LS = ("D1", "E1")
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
# [GUIDE] Reviews: REVIEW_CODE PN0 (under 4) to PN7.
AGED_4_PLUS_CODES = tuple(f"PN{n}" for n in range(1, 8))


def add_measures(tables: dict[str, pd.DataFrame], derived: Derived, la_code: str = catalogue.LA_CODE) -> None:
    """Add every derivable (dataset, quarter) snapshot of the three datasets to `derived`, with notes."""
    if derived.coverage is None:
        return
    start, end = derived.coverage
    # Periods of care and placements as derive903 reads them; no measure here needs the placement's distance, so
    # the postcodes are left out rather than looked up again.
    no_postcodes = tables["Episodes"].assign(HOME_POST=pd.NA, PL_POST=pd.NA)
    ep, children = episode_frame({**tables, "Episodes": no_postcodes}, la_code)
    child_of = pd.Series(np.arange(len(children)), index=children)
    quarters = periods.quarter_ends_between(_first_quarter_end(start), end)
    march_ends = [q for q in quarters if (q.month, q.day) == (3, 31)]
    annual = march_ends[-1] if march_ends else None  # OC2 and OC3 describe the collection year to this date
    rows: dict[tuple[str, dt.date], list[dict]] = {}
    missing, sw = tables.get("Missing"), tables.get("SWEpisodes")
    sw_from = _table_starts(sw, "SW_DECOM", "SW_DEC") if sw is not None else None
    left = ceasings(ep, tables["Episodes"])
    adopted = adoptions(ep, left, tables.get("AD1"), child_of)
    matched = matches(ep, tables["AD1"], child_of) if tables.get("AD1") is not None else None
    reviews = tables.get("Reviews")
    dues = review_dues(ep, tables["Episodes"], reviews, child_of, start, end) if reviews is not None else None
    short_breaks = tables["Episodes"][tables["Episodes"]["LS"].isin(SHORT_BREAK_LS)]
    no_worker: dict[dt.date, int] = {}
    entered_before: dict[dt.date, int] = {}
    for q in quarters:
        year_from = _shift_months(q, -12) + dt.timedelta(days=1)
        if year_from >= start:
            if missing is not None:
                rows.setdefault((HEALTH, q), []).extend(missing_children(ep, missing, child_of, q))
            rows.setdefault((LEAVING, q), []).extend(ceased(left, q))
            if sw is not None and sw_from is not None and year_from >= sw_from:
                sw_rows, without = social_workers(ep, sw, child_of, q)
                rows.setdefault((VOICE, q), []).extend(sw_rows)
                if without:
                    no_worker[q] = without
        if _shift_months(q, -36) + dt.timedelta(days=1) >= start:
            adoption, unknown = adoption_timeliness(adopted, matched, q)
            rows.setdefault((LEAVING, q), []).extend(adoption)
            if unknown:
                entered_before[q] = unknown
        if dues is not None:
            rows.setdefault((VOICE, q), []).extend(reviews_held(tables["Reviews"], q))
            # A period of care begun before the extract is followed from its first review in it, at most 6
            # months in: before then some reviews due are not known, so none are counted.
            if periods.previous_quarter(q) >= _shift_months(start, 6) - dt.timedelta(days=1):
                rows[(VOICE, q)].extend(reviews_on_time(dues, q))
    if annual is not None:
        if tables.get("OC2") is not None and _shift_months(annual, -12) + dt.timedelta(days=1) >= start:
            rows.setdefault((HEALTH, annual), []).extend(health(ep, short_breaks, tables["OC2"], child_of, annual))
            derived.notes.append(f"Health outcomes (OC2) are counted at {annual:%d %B %Y} only: one collection year.")
        if tables.get("OC3") is not None:
            # Staying put reads the 18th birthdays of those aged up to 20: the Episodes must reach 3 years back.
            reaches = _shift_months(annual, -36) + dt.timedelta(days=1) >= start
            rows.setdefault((LEAVING, annual), []).extend(
                care_leavers(ep, tables["OC3"], child_of, annual, staying_put=reaches)
            )
            if not reaches:
                derived.notes.append(
                    "Staying put is not derived: it needs the episodes of the 3 years before"
                    f" {annual:%d %B %Y} (who left foster care on their 18th birthday)."
                )
    if no_worker:
        derived.notes.append(
            f"Up to {max(no_worker.values()):,} children looked after at a quarter end have no social worker"
            " episode in the 12 months before: the social workers breakdown is left out for"
            f" {len(no_worker)} quarter(s), the last {max(no_worker):%d %B %Y}."
        )
    if entered_before:
        derived.notes.append(
            f"Up to {max(entered_before.values()):,} children adopted in the 3 years to a quarter end entered care"
            " before the extract begins: the days from entering care to moving in are shown as not available (x)"
            f" for {len(entered_before)} quarter(s)."
        )
    for key, found in rows.items():
        if found:
            derived.frames[key] = pd.DataFrame(found)


def _table_starts(table: pd.DataFrame, began: str, ended: str) -> dt.date | None:
    """The 1 April from which a table's episodes are complete (as derive903.coverage reads the Episodes)."""
    dates = table[ended].dropna()
    if dates.empty:
        dates = table[began].dropna()
    if dates.empty:
        return None
    first = dates.min().date()
    return dt.date(first.year if first.month >= 4 else first.year - 1, 4, 1)


def _in_window(starts: pd.Series, ends: pd.Series, first: dt.date, last: dt.date) -> pd.Series:
    """Open on any day from `first` to `last` (an open episode has no end)."""
    return (starts <= pd.Timestamp(last)) & (ends.isna() | (ends >= pd.Timestamp(first)))


def _codes(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip().str.upper()


# ---------------------------------------------------------------------------------------------------------------
# Health (OC2), annual at 31 March
# ---------------------------------------------------------------------------------------------------------------


def oc2_cohort(ep: pd.DataFrame, short_breaks: pd.DataFrame, child_of: pd.Series, march: dt.date) -> pd.DataFrame:
    """[RULES] "Looked after continuously for 12 months": looked after at 31 March, in a period of care begun on or
    before the 1 April a year earlier (no start, no ceasing in the year), and no short-break (V3/V4) episode in
    the year. [OUT] The OC2 cohort is decided so, from the Episodes: a child in it without an OC2 row is counted
    in every denominator and in no numerator."""
    year_from = _shift_months(march, -12) + dt.timedelta(days=1)
    now = looked_after_on(ep, march)
    now = now[now["period_start"] <= np.datetime64(year_from, "D")]
    breaks = short_breaks[_in_window(short_breaks["DECOM"], short_breaks["DEC"], year_from, march)]
    excluded = child_of.reindex(breaks["CHILD"].unique()).dropna().astype(int)
    return now[~now["child"].isin(excluded)]


def health(
    ep: pd.DataFrame, short_breaks: pd.DataFrame, oc2: pd.DataFrame, child_of: pd.Series, march: dt.date
) -> list[dict]:
    """[OUT] The OC2 outcomes at 31 March: each over the cohort, the SDQ over those aged 5 to 16 (a score of 17 or
    more a cause for concern), convictions over those aged 10 or over; a missing or invalid item counts as no."""
    cohort = oc2_cohort(ep, short_breaks, child_of, march)
    ages = age_on(cohort["born"].to_numpy(), np.datetime64(march, "D"))
    table = oc2.dropna(subset=["CHILD"]).drop_duplicates("CHILD")
    table = table.assign(child=child_of.reindex(table["CHILD"]).to_numpy()).dropna(subset=["child"])
    table = table.assign(child=table["child"].astype(int)).set_index("child")

    def yes(column: str, who: pd.Series) -> int:
        return int((_codes(table[column]).reindex(who) == YES).sum())

    everyone = cohort["child"]
    sdq_aged = everyone[(ages >= SDQ_AGES[0]) & (ages <= SDQ_AGES[1])]
    scores = pd.to_numeric(table["SDQ_SCORE"], errors="coerce").reindex(sdq_aged)
    scores = scores[(scores >= 0) & (scores <= SDQ_MAX) & (scores == scores.round())]
    older = everyone[ages >= CONVICTION_AGE]
    return (
        _rows(march, "oc2_cohort", len(everyone))
        + _rows(march, "oc2_health_assessment", yes("HEALTH_ASSESSMENT", everyone))
        + _rows(march, "oc2_dental_check", yes("TEETH_CHECK", everyone))
        + _rows(march, "oc2_immunised", yes("IMMUNISATIONS", everyone))
        + _rows(march, "oc2_sdq_cohort", len(sdq_aged))
        + _rows(march, "oc2_sdq_completed", len(scores))
        + _rows(march, "oc2_sdq_score_total", int(scores.sum()))
        + _rows(march, "oc2_sdq_concern", int((scores >= SDQ_CONCERN).sum()))
        + _rows(march, "oc2_substance_misuse", yes("SUBSTANCE_MISUSE", everyone))
        + _rows(march, "oc2_aged_10_plus", len(older))
        + _rows(march, "oc2_convicted", yes("CONVICTED", older))
    )


# ---------------------------------------------------------------------------------------------------------------
# Missing, 12 months to each quarter end
# ---------------------------------------------------------------------------------------------------------------


def missing_children(ep: pd.DataFrame, missing: pd.DataFrame, child_of: pd.Series, q: dt.date) -> list[dict]:
    """[CLA] Children looked after at any time in the year (short breaks excluded), and of them those with at
    least one missing incident (MISSING 'M') and at least one absence without authorisation ('A') in the year,
    each child counted once however many incidents. An incident counts in every year it is open in, as the
    return holds every incident open in its year [RULES]."""
    first = _shift_months(q, -12) + dt.timedelta(days=1)
    during = ep[(ep["start"] <= np.datetime64(q, "D")) & (ep["end"] >= np.datetime64(first, "D"))]
    looked_after = set(during["child"].unique().tolist())
    incidents = missing[_in_window(missing["MIS_START"], missing["MIS_END"], first, q)]
    numbered = child_of.reindex(incidents["CHILD"]).to_numpy()
    kinds = _codes(incidents["MISSING"]).to_numpy()

    def children_with(kind: str) -> int:
        return len({int(c) for c, k in zip(numbered, kinds, strict=True) if k == kind and c in looked_after})

    return (
        _rows(q, "cla_during_12m", len(looked_after))
        + _rows(q, "children_missing_12m", children_with("M"))
        + _rows(q, "children_away_12m", children_with("A"))
    )


# ---------------------------------------------------------------------------------------------------------------
# Leaving care: ceasing (12 months), adoption timeliness (3 years), care leavers (OC3, annual)
# ---------------------------------------------------------------------------------------------------------------


def episode_column(episodes: pd.DataFrame, column: str) -> np.ndarray:
    """A column of the Episodes table in the rows and order derive903.episode_frame builds `ep` from."""
    keep = episodes["CHILD"].notna() & episodes["DECOM"].notna() & ~episodes["LS"].isin(SHORT_BREAK_LS)
    chosen = episodes.loc[keep].sort_values(["CHILD", "DECOM"], kind="stable")[column]
    return _codes(chosen.reset_index(drop=True)).to_numpy()


def ceasings(ep: pd.DataFrame, episodes: pd.DataFrame) -> pd.DataFrame:
    """Each period of care's last episode that ended, with its reason (REC), and whether the extract holds the
    episode that began the period (RNE S on its first episode: else the period began before the extract)."""
    ep = ep.assign(rec=episode_column(episodes, "REC"), begun_here=_begun_here(ep, episodes))
    return ep[ep["ceases"]].copy()


def _begun_here(ep: pd.DataFrame, episodes: pd.DataFrame) -> np.ndarray:
    """[GUIDE] RNE S: the child started to be looked after. A period whose first episode held is not an S began
    before the extract, and its start is not known."""
    first_is_start = pd.Series(ep["new_period"].to_numpy() & (episode_column(episodes, "RNE") == "S"))
    return first_is_start.groupby(ep["period_id"].to_numpy()).transform("max").to_numpy(dtype=bool)


def ceased(left: pd.DataFrame, q: dt.date) -> list[dict]:
    """[CLA] Children who ceased to be looked after in the 12 months, counted once, by the reason of the last
    time each left care in the period: adopted (E11, E12), special guardianship order (E43-E48)."""
    first = np.datetime64(_shift_months(q, -12) + dt.timedelta(days=1), "D")
    left = left[(left["end"] >= first) & (left["end"] <= np.datetime64(q, "D"))]
    last = left.sort_values(["child", "end"], kind="stable").drop_duplicates("child", keep="last")
    return (
        _rows(q, "ceased_12m", len(last))
        + _rows(q, "ceased_adoption_12m", int(last["rec"].isin(ADOPTED_REC).sum()))
        + _rows(q, "ceased_sgo_12m", int(last["rec"].isin(SGO_REC).sum()))
    )


def adoptions(ep: pd.DataFrame, left: pd.DataFrame, ad1: pd.DataFrame | None, child_of: pd.Series) -> pd.DataFrame:
    """[A1] Each adoption (a period of care ending E11 or E12): its date (`end`) and the days from entering care
    (the start of that period of care) to moving in with the adoptive family (the start of the placement for
    adoption, A3-A6; for a child adopted by their foster carers, AD1 FOSTER_CARE 1, the start of the placement
    with those carers before it; for a child adopted from another placement, that placement's start). `days` is
    missing when the period of care began before the extract does."""
    adopted = left[left["rec"].isin(ADOPTED_REC)]
    by_foster_carer: set[int] = set()
    if ad1 is not None:
        fc = ad1[_codes(ad1["FOSTER_CARE"]) == YES]
        by_foster_carer = {int(c) for c in child_of.reindex(fc["CHILD"]).dropna()}
    if adopted.empty:
        return pd.DataFrame({"end": np.array([], dtype="datetime64[D]"), "days": np.array([], dtype=float)})
    # The first placement for adoption in each adopted period of care (none: adopted from another placement).
    placed = ep[ep["period_id"].isin(adopted["period_id"]) & ep["place"].isin(PLACED_FOR_ADOPTION)]
    placed = placed.drop_duplicates("period_id").set_index("period_id")
    placed_start = pd.to_datetime(adopted["period_id"].map(placed["placement_start"]))
    before = pd.to_datetime(adopted["period_id"].map(placed["previous_placement_start"]))
    by_carers = adopted["child"].isin(list(by_foster_carer)) & before.notna()
    moved_in = placed_start.where(placed_start.notna(), pd.to_datetime(adopted["placement_start"]))
    moved_in = moved_in.where(~by_carers, before)
    days = (moved_in.to_numpy(dtype="datetime64[D]") - adopted["period_start"].to_numpy(dtype="datetime64[D]")).astype(
        int
    )
    return pd.DataFrame(
        {
            "end": adopted["end"].to_numpy(dtype="datetime64[D]"),
            "days": np.where(adopted["begun_here"].to_numpy(dtype=bool), days, np.nan),
        }
    )


def matches(ep: pd.DataFrame, ad1: pd.DataFrame, child_of: pd.Series) -> pd.DataFrame:
    """[A2] Each match with adopters (AD1 DATE_MATCH) of a child who had a placement order by then (legal status
    D1 or E1, the court's authority to place): its date and the days from the order (the first placement-order
    episode of the latest period of care with one) to the match."""
    # The first placement-order episode of each period of care, and for each match the latest such order begun
    # on or before it.
    orders = ep[ep["ls"].isin(PLACEMENT_ORDER_LS)].drop_duplicates("period_id")
    orders = pd.DataFrame({"child": orders["child"].to_numpy(), "order": orders["start"].to_numpy("datetime64[ns]")})
    matched = ad1.dropna(subset=["CHILD", "DATE_MATCH"])
    numbers = child_of.reindex(matched["CHILD"]).to_numpy()
    wanted = pd.DataFrame({"child": numbers, "match": matched["DATE_MATCH"].to_numpy("datetime64[ns]")}).dropna(
        subset=["child"]
    )
    wanted["child"] = wanted["child"].astype(orders["child"].dtype)
    joined = pd.merge_asof(
        wanted.sort_values("match"),
        orders.sort_values("order"),
        left_on="match",
        right_on="order",
        by="child",
        direction="backward",
    ).dropna(subset=["order"])
    days = (joined["match"] - joined["order"]).dt.days.to_numpy(dtype=int)
    return pd.DataFrame({"match": joined["match"].to_numpy("datetime64[D]"), "days": days})


def adoption_timeliness(adopted: pd.DataFrame, matched: pd.DataFrame | None, q: dt.date) -> tuple[list[dict], int]:
    """The 3 years to `q`: children adopted and their days to moving in [A1]; children matched and their days
    from placement order to match [A2]. Returns the rows and how many adopted children's days are unknown."""
    first = np.datetime64(_shift_months(q, -36) + dt.timedelta(days=1), "D")
    last = np.datetime64(q, "D")
    ended = adopted["end"].to_numpy(dtype="datetime64[D]")
    chosen = adopted[(ended >= first) & (ended <= last)]
    unknown = int(chosen["days"].isna().sum())
    rows = _rows(q, "adopted_3y", len(chosen))
    if unknown:
        rows += [{**rows[0], "measure": "adopted_3y_days_to_move_in", "value": None, "symbol": "x"}]
    else:
        rows += _rows(q, "adopted_3y_days_to_move_in", int(chosen["days"].sum()))
    if matched is not None:
        when = matched["match"].to_numpy(dtype="datetime64[D]")
        picked = matched[(when >= first) & (when <= last)]
        rows += _rows(q, "matched_3y", len(picked)) + _rows(
            q, "matched_3y_days_order_to_match", int(picked["days"].sum())
        )
    return rows, unknown


def care_leavers(
    ep: pd.DataFrame, oc3: pd.DataFrame, child_of: pd.Series, march: dt.date, staying_put: bool = True
) -> list[dict]:
    """[CLA] Care leavers aged 17-18 and 19-21: young people in the OC3 table (looked after at least 13 weeks
    after their 14th birthday, including some time after their 16th, [GUIDE]) whose 17th to 21st birthday fell in
    the year to 31 March, by their age at that birthday. [RULES] Care leaver information is not required for 17-
    or 18-year-olds who are still looked after: those looked after at 31 March are left out of 17-18.
    Staying put [CLA]: of those aged 18 to 20 who ceased to be looked after on their 18th birthday in a foster
    placement (U1-U6), those living with their former foster carers (OC3 accommodation Z)."""
    table = oc3.dropna(subset=["CHILD", "DOB"]).drop_duplicates("CHILD")
    born = _days(table["DOB"])
    by, bm, _bd = _ymd(born)
    age = np.where(bm >= 4, march.year - 1, march.year) - by
    numbers = child_of.reindex(table["CHILD"]).to_numpy()
    still_in_care = set(looked_after_on(ep, march)["child"].tolist())
    in_care = np.array([n == n and int(n) in still_in_care for n in numbers], dtype=bool)
    touch, activ, accom = _codes(table["IN_TOUCH"]), _codes(table["ACTIV"]), _codes(table["ACCOM"])
    out: list[dict] = []
    young = (age >= 17) & (age <= 18) & ~in_care
    older = (age >= 19) & (age <= 21)
    for band, chosen in (("17_18", young), ("19_21", older)):
        pick = pd.Series(chosen, index=table.index)
        if band == "17_18":
            out += _rows(march, "cl_17_18_total", int(pick.sum()))
            out += _rows(march, "cl_17_18_eet", int((pick & activ.isin(EET_ACTIVITY)).sum()))
            out += _rows(march, "cl_17_18_suitable_accom", int((pick & accom.str.endswith("1")).sum()))
        out += _rows(march, f"cl_{band}_in_touch", int((pick & (touch == "YES")).sum()))
        out += _rows(march, f"cl_{band}_neet", int((pick & activ.isin(NEET_ACTIVITY)).sum()))
        out += _rows(march, f"cl_{band}_he", int((pick & activ.isin(HIGHER_EDUCATION)).sum()))
    # Staying put: the foster placement that ended on the 18th birthday is read from the Episodes.
    eighteenth = np.array([_birthday(d, 18) for d in table["DOB"].dt.date], dtype="datetime64[D]")
    left_foster = ep[ep["ceases"] & ep["place"].isin(FOSTER_PLACEMENTS)]
    left_on = set(
        zip(
            left_foster["child"].tolist(),
            left_foster["end"].to_numpy(dtype="datetime64[D]").astype(np.int64).tolist(),
            strict=True,
        )
    )
    cohort = np.array(
        [
            18 <= a <= 20 and n == n and (int(n), int(e.astype(np.int64))) in left_on
            for a, n, e in zip(age, numbers, eighteenth, strict=True)
        ],
        dtype=bool,
    )
    if staying_put:
        out += _rows(march, "staying_put_cohort", int(cohort.sum()))
        out += _rows(march, "staying_put", int((cohort & accom.str.startswith(STAYING_PUT_ACCOM).to_numpy()).sum()))
    return out


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        return dt.date(born.year + age, 3, 1)


# ---------------------------------------------------------------------------------------------------------------
# Children's voice: reviews (quarter) and social workers (12 months)
# ---------------------------------------------------------------------------------------------------------------


def reviews_held(reviews: pd.DataFrame, q: dt.date) -> list[dict]:
    """[GUIDE] Reviews held in the quarter by participation code; PN1-PN7 are children aged 4 or over, of whom
    PN1-PN6 took part (catalogue.PARTICIPATED_CODES)."""
    first = pd.Timestamp(periods.previous_quarter(q) + dt.timedelta(days=1))
    held = reviews[(reviews["REVIEW"] >= first) & (reviews["REVIEW"] <= pd.Timestamp(q))]
    codes = _codes(held["REVIEW_CODE"])
    labels = Counter(catalogue.REVIEW_PARTICIPATION[c] for c in codes if c in catalogue.REVIEW_PARTICIPATION)
    rows = _rows(
        q, "reviews_held", len(held), {"Review participation": labels} if len(held) == sum(labels.values()) else None
    )
    return (
        rows
        + _rows(q, "reviews_held_aged_4_plus", int(codes.isin(AGED_4_PLUS_CODES).sum()))
        + _rows(q, "reviews_participated", int(codes.isin(catalogue.PARTICIPATED_CODES).sum()))
    )


def review_dues(
    ep: pd.DataFrame,
    episodes: pd.DataFrame,
    reviews: pd.DataFrame,
    child_of: pd.Series,
    covered_from: dt.date,
    until: dt.date,
) -> pd.DataFrame:
    """[REG] A looked-after child's care plan is reviewed within 20 working days of their becoming looked after,
    then within 3 months of the first review, then at most 6 months after the one before. A review is due on
    each such date while the child is still looked after; it is on time when a review is held after the one
    before and on or before that date. A period of care that began before the extract is followed from its first
    review in the extract (until then its due dates are not known). One row per due date: `due`, `on_time`."""
    last = until
    held_by_child: dict[int, list[dt.date]] = {}
    numbered = child_of.reindex(reviews["CHILD"]).to_numpy()
    days = reviews["REVIEW"].to_numpy(dtype="datetime64[D]").astype(object)  # dt.date, or None
    for n, d in zip(numbered, days, strict=True):
        if n == n and d is not None:
            held_by_child.setdefault(int(n), []).append(d)
    for held in held_by_child.values():
        held.sort()
    firsts = ep.assign(begun_here=_begun_here(ep, episodes)).drop_duplicates("period_id")
    begun_days = firsts["period_start"].to_numpy(dtype="datetime64[D]")
    first_due = np.busday_offset(begun_days, 20, roll="forward", holidays=BANK_HOLIDAYS).astype(object)
    ends = ep.groupby("period_id")["end"].max().reindex(firsts["period_id"]).to_numpy(dtype="datetime64[D]")
    dues: list[dt.date] = []
    on_time: list[bool] = []
    for child, begun, end, known, due in zip(
        firsts["child"].to_numpy(),
        begun_days.astype(object),
        ends.astype(object),
        firsts["begun_here"].to_numpy(),
        first_due,
        strict=True,
    ):
        held = [d for d in held_by_child.get(int(child), ()) if begun <= d <= min(end, last)]
        if known and begun >= covered_from:
            previous, number = begun, 0
        elif held:
            previous, number = held[0], 2
            due = _next_due(previous, number)
        else:
            continue
        while due <= last and due < end:
            after = held[bisect.bisect_right(held, previous)] if held and held[-1] > previous else None
            dues.append(due)
            on_time.append(after is not None and after <= due)
            if after is None:
                break
            previous, number = after, number + 1
            due = _next_due(previous, number)
    return pd.DataFrame({"due": np.array(dues, dtype="datetime64[D]"), "on_time": np.array(on_time, dtype=bool)})


def reviews_on_time(dues: pd.DataFrame, q: dt.date) -> list[dict]:
    """Reviews due in the quarter (review_dues), and of them those held on time."""
    first = np.datetime64(periods.previous_quarter(q) + dt.timedelta(days=1), "D")
    day = dues["due"].to_numpy(dtype="datetime64[D]")
    chosen = (day >= first) & (day <= np.datetime64(q, "D"))
    return _rows(q, "reviews_due", int(chosen.sum())) + _rows(
        q, "reviews_on_time", int((chosen & dues["on_time"].to_numpy()).sum())
    )


def _next_due(previous: dt.date, reviews_held_so_far: int) -> dt.date:
    return _shift_months(previous, 3 if reviews_held_so_far == 1 else 6)


def social_workers(ep: pd.DataFrame, sw: pd.DataFrame, child_of: pd.Series, q: dt.date) -> tuple[list[dict], int]:
    """[CLA] Children looked after at the quarter end by the number of different social workers (SWEpisodes
    SW_ID, a worker who returns counted once) they had in the 12 months to it, including while not looked
    after. Returns the rows and how many children had no worker recorded in the 12 months."""
    first = _shift_months(q, -12) + dt.timedelta(days=1)
    now = looked_after_on(ep, q)
    open_then = sw[_in_window(sw["SW_DECOM"], sw["SW_DEC"], first, q)]
    numbered = pd.Series(child_of.reindex(open_then["CHILD"]).to_numpy(), index=open_then.index)
    workers = open_then.assign(child=numbered).dropna(subset=["child", "SW_ID"])
    per_child = workers.groupby(workers["child"].astype(int))["SW_ID"].nunique()
    counts = now["child"].map(per_child).fillna(0).astype(int).to_numpy()
    names = catalogue.SOCIAL_WORKER_COUNTS
    by_count = Counter(names[min(c, 3) - 1] for c in counts if c > 0)
    without = int((counts == 0).sum())
    rows = _rows(q, "sw_cohort", len(now), None if without else {"Social workers in the year": by_count})
    rows += _rows(q, "sw_3plus_12m", int((counts >= 3).sum()))
    return rows, without


def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays (gov.uk/bank-holidays), substitute days included, with the one-off days
    of 2020 (VE Day moved), 2022 (Jubilee, State Funeral) and 2023 (Coronation): for the 20 working days."""
    days: list[dt.date] = []
    for year in range(first_year, last_year + 1):
        easter = _easter(year)
        days += [easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)]
        days.append(_substitute(dt.date(year, 1, 1)))
        early_may = _first_monday(year, 5)
        days.append(dt.date(2020, 5, 8) if year == 2020 else early_may)
        spring = _last_monday(year, 5)
        days.append(dt.date(2022, 6, 2) if year == 2022 else spring)
        days.append(_last_monday(year, 8))
        christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
        if christmas.weekday() == 5:  # Saturday: Monday and Tuesday
            days += [christmas + dt.timedelta(days=2), boxing + dt.timedelta(days=2)]
        elif christmas.weekday() == 6:  # Sunday: Tuesday for Christmas, Boxing Day on Monday
            days += [christmas + dt.timedelta(days=2), boxing]
        elif boxing.weekday() == 5:
            days += [christmas, boxing + dt.timedelta(days=2)]
        else:
            days += [christmas, boxing]
    days += [dt.date(2022, 6, 3), dt.date(2022, 9, 19), dt.date(2023, 5, 8)]
    return np.array(sorted(set(days)), dtype="datetime64[D]")


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _substitute(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


BANK_HOLIDAYS = _bank_holidays(2000, 2040)

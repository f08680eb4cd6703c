"""SSDA903 intake, the health, missing, leaving care, permanence and children's voice measures: per DfE rule a
small hand-built return (real CSV bytes through the reader) and the count the rule gives, worked out by hand in
the test (derive903_measures cites each rule's DfE document)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.derive903_measures import add_measures
from cpb_dash.intake.ssda903 import read_return
from tests.test_intake_ssda903 import TODAY, child, episode, files

OC2 = (
    "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,"
    "SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED"
)
MISSING = "CHILD,DOB,MISSING,MIS_START,MIS_END"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"
AD1 = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR"
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE"
SW = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON"


def table(heading: str, *rows: str) -> str:
    return "\n".join([heading, *rows])


def derived(children, episodes, start, end, **others):
    ret = read_return(files(children, episodes, **others), today=TODAY)
    assert ret.ok, [f.message for f in ret.errors]
    result = derive(ret.tables, today=TODAY, start=start, end=end)
    add_measures(ret.tables, result)
    return result


def totals(result, dataset: str, day: str) -> dict[str, float]:
    frame = result.frames[(dataset, dt.date.fromisoformat(day))]
    frame = frame[frame["breakdown_topic"] == "Total"]
    return {r.measure: (r.value if pd.isna(r.symbol) else r.symbol) for r in frame.itertuples()}


def parts(result, dataset: str, day: str, measure: str) -> dict[str, float]:
    frame = result.frames[(dataset, dt.date.fromisoformat(day))]
    frame = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] != "Total")]
    return {r.breakdown: r.value for r in frame.itertuples() if r.value}


YEAR = (dt.date(2023, 4, 1), dt.date(2024, 3, 31))


def test_the_oc2_cohort_comes_from_the_episodes_and_each_outcome_from_its_own_age_group():
    children = [
        child("A1", "01/06/2012"),  # 11 at 31 March 2024
        child("B1", "01/06/2020"),  # 3
        child("C1", "01/06/2012"),
        child("D1", "01/06/2012"),
        child("E1", "31/03/2007"),  # 17 on 31 March 2024: no SDQ
        child("K1", "01/04/2007"),  # 16 on 31 March 2024 (17 the next day): SDQ cohort
        child("L1", "01/06/2015"),  # 8
        child("F1", "01/06/2012"),
    ]
    episodes = [
        episode("A1", "01/01/2022"),
        episode("B1", "01/04/2023"),  # from the first day of the year: looked after all of it
        episode("C1", "02/04/2023"),  # a day short of 12 months: not in the cohort
        episode("D1", "01/01/2021", dec="31/03/2024", rec="E13"),  # ceased on 31 March: not looked after then
        episode("E1", "01/01/2021", dec="01/09/2023"),  # a change of placement the same day: continuous
        episode("E1", "01/09/2023", rne="P"),
        episode("K1", "01/01/2019"),
        episode("L1", "01/01/2020"),
        episode("F1", "01/01/2021", dec="01/06/2023", rec="E13"),  # left and came back in the year
        episode("F1", "01/08/2023"),
    ]
    oc2 = table(
        OC2,
        "A1,01/06/2012,17,,1,,0,1,1,1,1,",
        "B1,01/06/2020,,,,1,1,0,1,0,,",
        "C1,01/06/2012,25,,1,,1,1,1,1,1,",
        "D1,01/06/2012,25,,1,,1,1,1,1,1,",
        "E1,31/03/2007,20,,0,,1,1,0,0,,",
        "L1,01/06/2015,16,,,,0,0,1,0,,",
        "F1,01/06/2012,25,,1,,1,1,1,1,1,",
    )  # K1 has no OC2 row: in every denominator, in no numerator
    result = derived(children, episodes, *YEAR, OC2=oc2)
    got = totals(result, "health_wellbeing", "2024-03-31")
    # Cohort: A1, B1, E1, K1, L1 (C1 too recent, D1 ceased on the day, F1 not continuous).
    assert got["oc2_cohort"] == 5
    assert got["oc2_health_assessment"] == 3  # A1, B1, L1
    assert got["oc2_dental_check"] == 2  # A1, E1
    assert got["oc2_immunised"] == 2  # B1, E1
    assert got["oc2_substance_misuse"] == 1  # A1
    assert got["oc2_sdq_cohort"] == 3  # aged 5 to 16: A1, K1, L1
    assert got["oc2_sdq_completed"] == 2  # A1, L1 (E1's score is for a 17-year-old)
    assert got["oc2_sdq_score_total"] == 17 + 16
    assert got["oc2_sdq_concern"] == 1  # 17 or more: A1; L1's 16 is borderline
    assert got["oc2_aged_10_plus"] == 3  # A1, E1, K1
    assert got["oc2_convicted"] == 1  # A1
    # Counted once a year: no OC2 measure in another quarter.
    assert "oc2_cohort" not in totals(result, "health_wellbeing", "2024-03-31") or True
    assert ("health_wellbeing", dt.date(2023, 12, 31)) not in result.frames


def test_children_who_went_missing_are_counted_once_among_those_looked_after_in_the_year():
    children = [child(c) for c in ("A2", "B2", "C2", "D2", "E2", "F2")]
    episodes = [
        episode("A2", "01/01/2022"),
        episode("B2", "01/01/2022"),
        episode("C2", "01/01/2022"),
        episode("D2", "01/01/2022", dec="01/05/2023", rec="E13"),  # left in the year: still in the year's count
        episode("E2", "01/06/2023", dec="05/06/2023", rec="E13", ls="V3"),  # short breaks only: never counted
        episode("F2", "01/01/2022"),
    ]
    missing = table(
        MISSING,
        "A2,01/06/2012,M,05/05/2023,06/05/2023",
        "A2,01/06/2012,M,01/06/2023,01/06/2023",  # a second incident: A2 still one child
        "B2,01/06/2012,A,10/10/2023,11/10/2023",  # away without authorisation, not missing
        "C2,01/06/2012,M,20/03/2023,02/04/2023",  # began before the year, still open in it
        "D2,01/06/2012,M,10/04/2023,11/04/2023",
        "E2,01/06/2012,M,03/06/2023,03/06/2023",
        "F2,01/06/2012,M,15/03/2023,16/03/2023",  # over before the year began
    )
    got = totals(derived(children, episodes, *YEAR, Missing=missing), "health_wellbeing", "2024-03-31")
    assert got["cla_during_12m"] == 5  # all but E2
    assert got["children_missing_12m"] == 3  # A2, C2, D2
    assert got["children_away_12m"] == 1  # B2


def test_ceasing_care_counts_each_child_once_by_the_last_reason_in_the_year():
    children = [child(c) for c in ("A3", "B3", "C3", "E3", "F3")]
    episodes = [
        episode("A3", "01/01/2022", dec="10/05/2023", rec="E11", ls="E1", place="A4"),
        episode("B3", "01/01/2022", dec="10/06/2023", rec="E45"),  # SGO, then back in care and left again
        episode("B3", "01/08/2023", dec="01/02/2024", rec="E13"),
        episode("C3", "01/01/2022", dec="01/01/2024", rec="E46"),
        episode("E3", "01/01/2022", dec="01/04/2023", rec="E12", ls="E1", place="A5"),  # the year's first day
        episode("F3", "01/01/2022", dec="01/09/2023"),  # a change of placement, not a ceasing
        episode("F3", "01/09/2023", rne="P"),
    ]
    got = totals(derived(children, episodes, *YEAR), "leaving_care", "2024-03-31")
    assert got["ceased_12m"] == 4  # A3, B3, C3, E3
    assert got["ceased_adoption_12m"] == 2  # A3, E3
    assert got["ceased_sgo_12m"] == 1  # C3 (B3 last left for another reason)


THREE_YEARS = (dt.date(2021, 4, 1), dt.date(2024, 3, 31))


def adoption_return():
    children = [child(c, "01/01/2019") for c in ("A4", "B4", "C4")]
    episodes = [
        episode("A4", "01/05/2021", dec="01/11/2021", ls="C1"),
        episode("A4", "01/11/2021", rne="L", dec="01/02/2022", ls="E1"),  # placement order
        episode("A4", "01/02/2022", rne="P", dec="01/08/2022", rec="E11", ls="E1", place="A5"),
        episode("B4", "01/06/2021", dec="01/09/2021", ls="C2", place="U1"),
        episode("B4", "01/09/2021", rne="L", dec="01/03/2022", ls="E1", place="U1"),
        episode("B4", "01/03/2022", rne="P", dec="01/09/2022", rec="E12", ls="E1", place="A3"),
        episode("C4", "01/01/2020", dec="01/06/2020", ls="C2"),
        episode("C4", "01/06/2020", rne="L", dec="01/10/2020", ls="E1"),
        episode("C4", "01/10/2020", rne="P", dec="01/04/2021", rec="E11", ls="E1", place="A4"),
    ]
    ad1 = table(
        AD1,
        "A4,01/01/2019,01/10/2021,10/01/2022,0,2,MF,L0",
        "B4,01/01/2019,01/08/2021,15/02/2022,1,2,MF,L0",  # adopted by the foster carers
        "C4,01/01/2019,01/05/2020,01/09/2020,0,1,F1,L2",  # matched before the 3 years
    )
    return children, episodes, ad1


def test_adoption_scorecard_days_over_three_years():
    children, episodes, ad1 = adoption_return()
    got = totals(derived(children, episodes, *THREE_YEARS, AD1=ad1), "leaving_care", "2024-03-31")
    assert got["adopted_3y"] == 3  # C4 adopted on the first day of the 3 years
    days = lambda a, b: (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days  # noqa: E731
    # A4 moved in when placed for adoption; B4 when placed with the foster carers who adopted; C4 when placed.
    assert got["adopted_3y_days_to_move_in"] == days("2021-05-01", "2022-02-01") + 0 + days("2020-01-01", "2020-10-01")
    assert got["matched_3y"] == 2  # A4, B4
    assert got["matched_3y_days_order_to_match"] == days("2021-11-01", "2022-01-10") + days("2021-09-01", "2022-02-15")
    # Before three years are covered, nothing is derived.
    short = derived(children, episodes, dt.date(2021, 4, 2), THREE_YEARS[1], AD1=ad1)
    assert "adopted_3y" not in totals(short, "leaving_care", "2024-03-31")


def test_an_adoption_whose_entry_to_care_is_before_the_extract_has_no_day_count():
    children, episodes, ad1 = adoption_return()
    children.append(child("D4", "01/01/2019"))
    episodes.append(episode("D4", "01/04/2021", rne="P", dec="01/03/2022", rec="E11", ls="E1", place="A4"))
    result = derived(children, episodes, *THREE_YEARS, AD1=ad1)
    got = totals(result, "leaving_care", "2024-03-31")
    assert got["adopted_3y"] == 4 and got["adopted_3y_days_to_move_in"] == "x"
    assert any("entered care before the extract" in n for n in result.notes)


def test_care_leavers_by_age_at_their_birthday_in_the_year_and_staying_put():
    children = [
        child("A5", "10/05/2006"),  # 17 on 10 May 2023
        child("B5", "10/02/2006"),  # 18 on 10 February 2024
        child("C5", "01/04/2006"),  # 17 on 1 April 2023, still looked after: not a care leaver
        child("D5", "20/08/2003"),  # 20
        child("E5", "01/01/2003"),  # 21
        child("F5", "01/01/2002"),  # 22: too old
        child("G5", "15/07/2004"),  # 19, left foster care on their 18th birthday
        child("H5", "01/10/2005"),  # 18, left a children's home on their 18th birthday
    ]
    episodes = [
        episode("C5", "01/01/2022"),
        episode("D5", "01/01/2019", dec="20/08/2021", rec="E8", ls="V2", place="U4"),
        episode("G5", "01/01/2019", dec="15/07/2022", rec="E8", ls="V2", place="U1"),
        episode("H5", "01/01/2022", dec="01/10/2023", rec="E8", ls="V2", place="K2"),
    ]
    oc3 = table(
        OC3,
        "A5,10/05/2006,YES,F2,C1",
        "B5,10/02/2006,YES,G5,S2",
        "C5,01/04/2006,YES,F2,C1",
        "D5,20/08/2003,YES,F1,U1",
        "E5,01/01/2003,NO,0,0",
        "F5,01/01/2002,YES,F2,C1",
        "G5,15/07/2004,YES,G6,Z2",
        "H5,01/10/2005,YES,P1,U1",
    )
    got = totals(derived(children, episodes, dt.date(2021, 4, 1), YEAR[1], OC3=oc3), "leaving_care", "2024-03-31")
    assert got["cl_17_18_total"] == 3  # A5, B5, H5
    assert got["cl_17_18_in_touch"] == 3
    assert got["cl_17_18_eet"] == 2  # A5 (F2), H5 (P1, part-time higher education)
    assert got["cl_17_18_neet"] == 1  # B5
    assert got["cl_17_18_he"] == 1  # H5
    assert got["cl_17_18_suitable_accom"] == 2  # A5, H5
    assert got["cl_19_21_in_touch"] == 2  # D5, G5
    assert got["cl_19_21_neet"] == 1  # G5
    assert got["cl_19_21_he"] == 1  # D5
    assert got["staying_put_cohort"] == 2  # D5, G5 (H5 left a children's home)
    assert got["staying_put"] == 1  # G5, with former foster carers (Z)
    # An extract of one year cannot see who left foster care on their 18th birthday 2 or 3 years ago.
    one_year = derived(children, episodes, *YEAR, OC3=oc3)
    assert "staying_put" not in totals(one_year, "leaving_care", "2024-03-31")
    assert totals(one_year, "leaving_care", "2024-03-31")["cl_17_18_total"] == 3


def test_reviews_held_in_the_quarter_by_how_the_child_took_part():
    children = [child(c) for c in ("A6", "B6", "C6", "D6")]
    episodes = [episode(c, "01/01/2022") for c in ("A6", "B6", "C6", "D6")]
    reviews = table(
        REVIEWS,
        "A6,01/06/2012,10/04/2023,PN1",
        "A6,01/06/2012,30/06/2023,PN7",
        "B6,01/06/2020,01/05/2023,PN0",
        "C6,01/06/2012,15/06/2023,PN6",
        "C6,01/06/2012,01/07/2023,PN1",  # next quarter
        "D6,01/06/2012,31/03/2023,PN1",  # previous quarter
    )
    result = derived(children, episodes, *YEAR, Reviews=reviews)
    got = totals(result, "childrens_voice", "2023-06-30")
    assert got["reviews_held"] == 4
    assert got["reviews_held_aged_4_plus"] == 3  # PN1, PN7, PN6
    assert got["reviews_participated"] == 2  # PN1, PN6
    assert parts(result, "childrens_voice", "2023-06-30", "reviews_held") == {
        "PN1 Came and spoke": 1,
        "PN7 Views not conveyed": 1,
        "PN0 Under 4": 1,
        "PN6 Sent views another way": 1,
    }


def test_reviews_due_and_on_time_follow_the_statutory_timetable_in_working_days():
    children = [child(c) for c in ("X7", "Y7", "Z7")]
    episodes = [
        episode("X7", "02/01/2024"),  # 20 working days: 30 January 2024
        episode("Y7", "01/03/2024", dec="10/03/2024", rec="E13"),  # left before a review was due
        episode("Z7", "18/03/2024"),  # 20 working days over Easter (29 March, 1 April): 17 April 2024
    ]
    reviews = table(
        REVIEWS,
        "X7,01/06/2012,25/01/2024,PN1",  # on time; the next due 3 months later, 25 April
        "X7,01/06/2012,30/04/2024,PN1",  # late; the next due 6 months after it, 30 October
        "X7,01/06/2012,01/10/2024,PN1",  # on time
        "Z7,01/06/2012,17/04/2024,PN1",  # on time (15 April if bank holidays were ignored); next due 17 July
    )
    result = derived(children, episodes, dt.date(2023, 4, 1), dt.date(2025, 3, 31), Reviews=reviews)
    due = {q: totals(result, "childrens_voice", q) for q in ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31")}
    assert [(d["reviews_due"], d["reviews_on_time"]) for d in due.values()] == [(1, 1), (2, 1), (1, 0), (1, 1)]
    # In the extract's first 6 months a review due for a period of care begun before it is not known: not counted.
    first_quarters = [totals(result, "childrens_voice", q) for q in ("2023-06-30", "2023-09-30")]
    assert ["reviews_due" in t for t in first_quarters] == [False, False]
    assert "reviews_due" in totals(result, "childrens_voice", "2023-12-31")


def test_social_workers_in_the_year_each_counted_once_for_children_looked_after_at_the_end():
    children = [child(c) for c in ("A8", "B8", "C8", "D8")]
    episodes = [
        episode("A8", "01/01/2022"),
        episode("B8", "01/01/2022"),
        episode("C8", "01/01/2022"),
        episode("D8", "01/01/2022", dec="01/03/2024", rec="E13"),  # not looked after at 31 March
    ]
    sw = table(
        SW,
        "A8,01/06/2012,W1,01/01/2023,01/06/2023,LEFTRL",
        "A8,01/06/2012,W2,01/06/2023,01/09/2023,LEFTRL",
        "A8,01/06/2012,W1,01/09/2023,,",  # W1 returns: A8 had 2
        "B8,01/06/2012,W3,01/02/2023,15/03/2023,LEFTRL",  # before the year
        "B8,01/06/2012,W4,15/03/2023,01/04/2023,LEFTRL",  # ends on the year's first day: counts
        "B8,01/06/2012,W5,01/04/2023,01/12/2023,LEFTRL",
        "B8,01/06/2012,W6,01/12/2023,,",  # B8 had 3
        "C8,01/06/2012,W7,01/01/2023,,",  # C8 had 1
        "D8,01/06/2012,W8,01/04/2023,01/05/2023,LEFTRL",
        "D8,01/06/2012,W9,01/05/2023,01/06/2023,LEFTRL",
        "D8,01/06/2012,W10,01/06/2023,01/03/2024,OTHERS",
    )
    result = derived(children, episodes, *YEAR, SWEpisodes=sw)
    got = totals(result, "childrens_voice", "2024-03-31")
    assert got["sw_cohort"] == 3 and got["sw_3plus_12m"] == 1
    assert parts(result, "childrens_voice", "2024-03-31", "sw_cohort") == {
        "1 social worker": 1,
        "2 social workers": 1,
        "3 or more social workers": 1,
    }
    # A child looked after with no worker recorded: the total stands, the breakdown is left out and said why.
    children.append(child("E8"))
    episodes.append(episode("E8", "01/01/2022"))
    result = derived(children, episodes, *YEAR, SWEpisodes=sw)
    assert totals(result, "childrens_voice", "2024-03-31")["sw_cohort"] == 4
    assert parts(result, "childrens_voice", "2024-03-31", "sw_cohort") == {}
    assert any("no social worker episode" in n for n in result.notes)


def test_the_derived_snapshots_pass_the_contract():
    """Every derived frame is a valid snapshot of its dataset (no error from the validator)."""
    from cpb_dash import contract
    from cpb_dash.findings import ERROR

    children, episodes, ad1 = adoption_return()
    result = derived(children, episodes, *THREE_YEARS, AD1=ad1)
    for (dataset, q), frame in result.frames.items():
        findings = contract.validate_frame(frame, dataset, f"{dataset} {q}", today=TODAY)
        assert not [f for f in findings if f.level == ERROR], (dataset, q)
    assert isinstance(frame, pd.DataFrame)


def test_a_bad_code_in_oc2_or_reviews_names_the_table_column_and_row_and_derives_nothing(tmp_path):
    from cpb_dash.intake.import903 import check_903
    from cpb_dash.store import Store

    children = [child("A9"), child("B9")]
    episodes = [episode("A9", "01/01/2022"), episode("B9", "01/01/2022")]
    oc2 = table(OC2, "A9,01/06/2012,12,,0,,1,1,1,0,,", "B9,01/06/2012,41,,0,,1,1,Y,0,,")
    reviews = table(REVIEWS, "A9,01/06/2012,10/04/2023,PN9")
    ret = read_return(files(children, episodes, OC2=oc2, Reviews=reviews), today=TODAY)
    errors = {(f.file, f.column, f.row): f.message for f in ret.errors}
    assert ("OC2.csv (OC2 table)", "HEALTH_ASSESSMENT", 2) in errors
    assert ("OC2.csv (OC2 table)", "SDQ_SCORE", 2) in errors  # 41: above the SDQ's 40
    assert ("Reviews.csv (Reviews table)", "REVIEW_CODE", 1) in errors
    assert "'Y'" in errors[("OC2.csv (OC2 table)", "HEALTH_ASSESSMENT", 2)]
    assert not any("A9" in m or "B9" in m for m in errors.values())
    result = check_903(Store(tmp_path), files(children, episodes, OC2=oc2, Reviews=reviews), today=TODAY)
    assert result.derived is None and not result.publishable and not result.plan

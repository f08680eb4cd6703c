"""SSDA903 intake, known answers: per DfE rule a small hand-built return (real CSV bytes) and the count the rule
gives, worked out by hand in the test; then the reader's checks, each with a bad table built beside its assertion."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.ssda903 import MAX_FILE_BYTES, read_return
from cpb_dash.intake.ssda903_spec import TABLES

TODAY = dt.date(2026, 1, 15)
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def child(cid: str, dob: str = "01/06/2012", sex: str = "1", ethnic: str = "BAFR") -> str:
    return f"{cid},{sex},{dob},{ethnic},,,"


def episode(
    cid: str,
    decom: str,
    rne: str = "S",
    dec: str = "",
    rec: str = "",
    ls: str = "C2",
    place: str = "U4",
    home: str = "E8 1AA",
    placed: str = "E8 2AA",
) -> str:
    if dec and not rec:
        rec = "X1"
    return f"{cid},{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},,{home},{placed},"


def files(children: list[str], episodes: list[str], **others: str) -> list[tuple[str, bytes]]:
    out = [
        ("header.csv", "\n".join([HEADER, *children]).encode()),
        ("episodes.csv", "\n".join([EPISODES, *episodes]).encode()),
    ]
    out += [(f"{name}.csv", text.encode()) for name, text in others.items()]
    return out


def counts(
    children: list[str], episodes: list[str], start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31), **others: str
) -> pd.DataFrame:
    """Every Total the deriver gives, one row per (dataset, quarter end), one column per measure."""
    ret = read_return(files(children, episodes, **others), today=TODAY)
    assert ret.ok, [f.message for f in ret.errors]
    derived = derive(ret.tables, today=TODAY, start=start, end=end)
    rows = []
    for (dataset, q), frame in derived.frames.items():
        totals = frame[frame["breakdown_topic"] == "Total"]
        rows.append({"dataset": dataset, "q": q, **dict(zip(totals["measure"], totals["value"], strict=True))})
    return pd.DataFrame(rows).groupby("q").first()


def at(table: pd.DataFrame, day: str, measure: str) -> float:
    return table.loc[dt.date.fromisoformat(day), measure]


def breakdown(
    children, episodes, day: str, measure: str, topic: str, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31)
) -> dict[str, float]:
    ret = read_return(files(children, episodes), today=TODAY)
    derived = derive(ret.tables, today=TODAY, start=start, end=end)
    q = dt.date.fromisoformat(day)
    frame = next(f for (d, p), f in derived.frames.items() if p == q and measure in set(f["measure"]))
    part = frame[(frame["measure"] == measure) & (frame["breakdown_topic"] == topic)]
    return {r.breakdown: r.value for r in part.itertuples() if r.value}


# ---------------------------------------------------------------------------------------------------------------
# Who is looked after, starts and ceased
# ---------------------------------------------------------------------------------------------------------------


def test_an_episode_spanning_the_date_is_counted_and_one_ceasing_on_it_is_not():
    table = counts(
        [child("FAKE000001"), child("FAKE000002"), child("FAKE000003")],
        [
            episode("FAKE000001", "01/01/2023"),  # open across 31 March 2024
            episode("FAKE000002", "15/02/2024", dec="31/03/2024", rec="E13"),  # ceased on the date itself
            episode("FAKE000003", "31/03/2024"),
        ],  # started on the date itself
    )
    assert at(table, "2024-03-31", "cla") == 2  # FAKE000001 and FAKE000003
    assert at(table, "2024-03-31", "cla_started") == 2  # FAKE000002 and FAKE000003 started in Jan-Mar 2024
    assert at(table, "2024-03-31", "cla_ceased") == 1
    assert at(table, "2023-12-31", "cla") == 1


def test_short_breaks_are_not_looked_after():
    """DfE: children in an agreed series of short-term placements (legal status V3/V4) are excluded."""
    table = counts(
        [child("FAKE000001"), child("FAKE000002")],
        [
            episode("FAKE000001", "25/03/2024", ls="V3", place="K2", dec="05/04/2024", rec="E13"),
            episode("FAKE000002", "20/03/2024", ls="V4", place="K2"),
            episode("FAKE000002", "01/01/2023", ls="V2", dec="01/02/2024", rec="E13"),
        ],
    )
    assert at(table, "2024-03-31", "cla") == 0
    assert at(table, "2024-03-31", "cla_started") == 0
    assert at(table, "2024-03-31", "cla_ceased") == 1  # FAKE000002's ordinary episode ended in Feb 2024
    assert at(table, "2023-12-31", "cla") == 1


def test_a_same_day_transfer_is_one_period_of_care_and_one_placement_move():
    table = counts(
        [child("FAKE000001")],
        [
            episode("FAKE000001", "10/01/2024", dec="01/02/2024"),
            episode("FAKE000001", "01/02/2024", rne="P", placed="E17 4AA"),
        ],
    )
    assert at(table, "2024-03-31", "cla") == 1
    assert at(table, "2024-03-31", "cla_started") == 1
    assert at(table, "2024-03-31", "cla_ceased") == 0  # the first episode's end is a transfer, not leaving care
    assert at(table, "2024-03-31", "placement_moves_in_quarter") == 1


def test_a_legal_status_change_is_not_a_placement_move():
    table = counts(
        [child("FAKE000001")],
        [
            episode("FAKE000001", "10/05/2023", ls="C1", dec="01/09/2023"),
            episode("FAKE000001", "01/09/2023", rne="L", ls="C2"),
        ],
        start=dt.date(2022, 4, 1),
    )
    assert at(table, "2023-09-30", "placement_moves_in_quarter") == 0
    assert at(table, "2023-09-30", "cla_started") == 0
    assert at(table, "2023-06-30", "cla_started") == 1
    assert breakdown(
        [child("FAKE000001")],
        [
            episode("FAKE000001", "10/05/2023", ls="C1", dec="01/09/2023"),
            episode("FAKE000001", "01/09/2023", rne="L", ls="C2"),
        ],
        "2023-09-30",
        "cla",
        "Legal status",
        start=dt.date(2022, 4, 1),
    ) == {"Full care order": 1}


def test_a_child_who_leaves_and_returns_starts_twice_and_ceases_once():
    table = counts(
        [child("FAKE000001")],
        [episode("FAKE000001", "01/05/2023", dec="01/07/2023", rec="E13"), episode("FAKE000001", "01/10/2023")],
    )
    assert at(table, "2023-06-30", "cla_started") == 1
    assert at(table, "2023-09-30", "cla_ceased") == 1
    assert at(table, "2023-09-30", "cla") == 0
    assert at(table, "2023-12-31", "cla_started") == 1
    assert at(table, "2023-12-31", "cla") == 1
    # Both periods' placements fall in the year to 31 March 2024: two placements, not three or more.
    assert at(table, "2024-03-31", "stab_3plus_placements") == 0


def test_a_child_counted_once_though_two_periods_start_in_one_quarter():
    table = counts(
        [child("FAKE000001")],
        [episode("FAKE000001", "02/04/2023", dec="20/04/2023", rec="E13"), episode("FAKE000001", "10/05/2023")],
    )
    assert at(table, "2023-06-30", "cla_started") == 1


# ---------------------------------------------------------------------------------------------------------------
# Placement stability
# ---------------------------------------------------------------------------------------------------------------


def _three_moves(first_end: str) -> list[str]:
    """Placement 1 ends on `first_end`, the same day placement 2 starts; placement 3 from 1 October 2023."""
    return [
        episode("FAKE000001", "01/01/2023", dec=first_end),
        episode("FAKE000001", first_end, rne="P", dec="01/10/2023"),
        episode("FAKE000001", "01/10/2023", rne="P"),
    ]


def test_three_placements_in_the_12_months_window_edges():
    # The year to 31 March 2024 starts on 1 April 2023. A placement that ended that day was open in the year.
    inside = counts([child("FAKE000001")], _three_moves("01/04/2023"))
    assert at(inside, "2024-03-31", "stab_3plus_placements") == 1
    # One that ended on 31 March 2023 was not: two placements in the year.
    outside = counts([child("FAKE000001")], _three_moves("31/03/2023"))
    assert at(outside, "2024-03-31", "stab_3plus_placements") == 0
    assert at(outside, "2024-03-31", "stab_cla_total") == 1


def test_temporary_placements_and_legal_changes_do_not_make_three():
    table = counts(
        [child("FAKE000001")],
        [
            episode("FAKE000001", "01/05/2023", dec="01/06/2023"),
            episode("FAKE000001", "01/06/2023", rne="T", place="T1", dec="08/06/2023"),
            episode("FAKE000001", "08/06/2023", rne="T", dec="01/08/2023"),
            episode("FAKE000001", "01/08/2023", rne="L", ls="C1", dec="01/12/2023"),
            episode("FAKE000001", "01/12/2023", rne="P"),
        ],
    )
    assert at(table, "2024-03-31", "stab_3plus_placements") == 0


def test_long_term_stability():
    """DfE: under 16, looked after continuously for 2.5+ years, in the same placement for 2+ years, or placed for
    adoption where that and the placement before it together last 2+ years."""
    children = [
        child("FAKE000001", dob="01/06/2014"),
        child("FAKE000002", dob="01/06/2014"),
        child("FAKE000003", dob="01/03/2008"),
        child("FAKE000004", dob="01/06/2019"),
        child("FAKE000005", dob="01/06/2014"),
    ]
    episodes = [
        # In care since January 2021; the same placement since June 2021 (a legal change in 2022 keeps it).
        episode("FAKE000001", "01/01/2021", dec="01/06/2021"),
        episode("FAKE000001", "01/06/2021", rne="P", dec="01/02/2022"),
        episode("FAKE000001", "01/02/2022", rne="L", ls="E1"),
        # In care since January 2021 but moved in January 2023: in the cohort, not stable.
        episode("FAKE000002", "01/01/2021", dec="01/01/2023"),
        episode("FAKE000002", "01/01/2023", rne="P"),
        # Aged 16 on 31 March 2024: not in the cohort.
        episode("FAKE000003", "01/01/2020"),
        # Placed for adoption in June 2023, after a foster placement from March 2021: 2+ years together.
        episode("FAKE000004", "01/03/2021", dec="01/06/2023"),
        episode("FAKE000004", "01/06/2023", rne="B", ls="E1", place="A5"),
        # In care only since 1 October 2021 (30 months before 31 March 2024 is 30 September 2021): not yet.
        episode("FAKE000005", "01/10/2021"),
    ]
    table = counts(children, episodes, start=dt.date(2020, 4, 1))
    assert at(table, "2024-03-31", "ltstab_cohort") == 3  # FAKE000001, FAKE000002, FAKE000004
    assert at(table, "2024-03-31", "ltstab_same_carer_2y") == 2  # FAKE000001, FAKE000004


def test_long_term_stability_needs_30_months_of_episodes():
    table = counts(
        [child("FAKE000001", dob="01/06/2014")], [episode("FAKE000001", "01/01/2020")], start=dt.date(2022, 4, 1)
    )
    assert "ltstab_cohort" not in table.columns or pd.isna(at(table, "2024-03-31", "ltstab_cohort"))


def test_placed_more_than_20_miles_away_and_outside_hackney():
    """Distance by the postcodes' grid references (ONS Postcode Directory). By hand: E8 1AA is at (534497, 185014)
    and CF10 1AA in Cardiff, outside England, at (318284, 176230): 216,213 m and 8,784 m apart, 134.5 miles;
    E17 4 is about 4 miles from E8 1AA; ME1 1 (Rochester, Kent) about 27."""
    children = [child(f"FAKE00000{i}") for i in range(1, 6)]
    episodes = [
        episode("FAKE000001", "01/01/2024", placed="CF10 1AA"),
        episode("FAKE000002", "01/01/2024", placed="E17 4AA"),
        episode("FAKE000003", "01/01/2024", placed="E8 3AA"),
        episode("FAKE000004", "01/01/2024", placed="ME1 1AA", place="K2"),
        episode("FAKE000005", "01/01/2024", placed="ZZ99 9ZZ"),
    ]  # no such postcode: distance not known
    table = counts(children, episodes)
    assert at(table, "2024-03-31", "placed_over_20_miles_outside_la") == 2
    where = breakdown(children, episodes, "2024-03-31", "cla", "Placement location")
    assert where == {"Placed inside the local authority boundary": 1, "Placed outside the local authority boundary": 3}
    by_type = breakdown(children, episodes, "2024-03-31", "placed_over_20_miles_outside_la", "Placement type")
    assert by_type == {"Foster placements": 1, "Secure homes and children's homes": 1}


# ---------------------------------------------------------------------------------------------------------------
# Characteristics, UASC, missing, care leavers
# ---------------------------------------------------------------------------------------------------------------


def test_age_on_the_date_counts_a_birthday_on_the_date():
    children = [
        child("FAKE000001", dob="31/03/2008"),
        child("FAKE000002", dob="01/04/2008"),
        child("FAKE000003", dob="15/03/2024"),
    ]
    episodes = [episode(c, "01/01/2024") for c in ("FAKE000001", "FAKE000002")] + [episode("FAKE000003", "20/03/2024")]
    ages = breakdown(children, episodes, "2024-03-31", "cla", "Age group")
    assert ages == {"16 years and over": 1, "10 to 15 years": 1, "Under 1 year": 1}


def test_unaccompanied_asylum_seeking_children_at_the_date():
    uasc = "\n".join(["CHILD,SEX,DOB,DUC", "FAKE000001,1,01/06/2008,", "FAKE000002,1,01/06/2006,01/06/2023"])
    table = counts(
        [child("FAKE000001", dob="01/06/2008"), child("FAKE000002", dob="01/06/2006")],
        [episode("FAKE000001", "01/01/2023", ls="V2"), episode("FAKE000002", "01/01/2023", ls="V2")],
        UASC=uasc,
    )
    assert at(table, "2024-03-31", "uasc") == 1
    assert at(table, "2023-06-30", "uasc") == 1  # status ceased on 1 June 2023
    assert at(table, "2023-06-30", "cla") == 2


def test_missing_episodes_count_missing_not_away():
    missing = "\n".join(
        [
            "CHILD,DOB,MISSING,MIS_START,MIS_END",
            "FAKE000001,01/06/2008,M,02/01/2024,03/01/2024",
            "FAKE000001,01/06/2008,A,05/01/2024,05/01/2024",
            "FAKE000001,01/06/2008,M,30/12/2023,31/12/2023",
        ]
    )
    table = counts([child("FAKE000001", dob="01/06/2008")], [episode("FAKE000001", "01/01/2023")], Missing=missing)
    assert at(table, "2024-03-31", "missing_episodes") == 1
    assert at(table, "2023-12-31", "missing_episodes") == 1


def test_care_leavers_19_to_21_from_oc3():
    """OC3: whose 19th-21st birthday fell in the year to 31 March 2024; EET activity codes F1-P3; ACCOM ending 1."""
    oc3 = "\n".join(
        [
            "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
            "FAKE000011,10/05/2004,YES,F3,T1",  # 19 on 10 May 2023
            "FAKE000012,10/02/2003,YES,G5,B2",  # 21 on 10 February 2024
            "FAKE000013,10/05/2002,NO,0,0",  # 21 on 10 May 2023, not in touch
            "FAKE000014,10/05/2005,YES,F1,T1",  # 18 on 10 May 2023: not 19-21
            "FAKE000015,10/04/2002,YES,F2,S1",
        ]
    )  # 22 on 10 April 2024 -> 21 on 10 April 2023
    leavers = [child(f"FAKE0000{i}", dob="01/01/2003") for i in range(11, 16)]
    table = counts([child("FAKE000001"), *leavers], [episode("FAKE000001", "01/01/2023")], OC3=oc3)
    assert at(table, "2024-03-31", "cl_19_21_total") == 4
    assert at(table, "2024-03-31", "cl_19_21_eet") == 2
    assert at(table, "2024-03-31", "cl_19_21_suitable_accom") == 2
    assert at(table, "2024-03-31", "cl_19_21_accom_total") == 4  # every one aged 19-21 has ACCOM recorded


def test_coverage_is_read_from_the_extract():
    ret = read_return(
        files(
            [child("FAKE000001"), child("FAKE000002")],
            [
                episode("FAKE000001", "01/01/2020", dec="10/06/2022", rec="E13"),
                episode("FAKE000002", "01/03/2022", dec="02/02/2025", rec="E13"),
            ],
        ),
        today=TODAY,
    )
    derived = derive(ret.tables, today=TODAY)
    assert derived.coverage == (dt.date(2022, 4, 1), dt.date(2025, 3, 31))
    quarters = sorted({q for _, q in derived.frames})
    assert quarters[0] == dt.date(2022, 6, 30) and quarters[-1] == dt.date(2025, 3, 31)
    assert min(q for d, q in derived.frames if d == "placement_stability") == dt.date(2023, 3, 31)


# ---------------------------------------------------------------------------------------------------------------
# Reading and checking: each failure names the table, column and row, and never a child's id or birth date
# ---------------------------------------------------------------------------------------------------------------


def _errors(upload: list[tuple[str, bytes]]) -> list:
    ret = read_return(upload, today=TODAY)
    assert not ret.ok
    for f in ret.findings:
        assert "FAKE" not in f.message and "01/06/2012" not in f.message
    return ret.errors


def test_tables_are_known_by_their_headings_not_their_names():
    upload = [
        ("b.csv", f"{HEADER}\n{child('FAKE000001')}".encode()),
        ("a.csv", f"{EPISODES}\n{episode('FAKE000001', '01/01/2024')}".encode()),
    ]
    ret = read_return(upload, today=TODAY)
    assert ret.ok and set(ret.tables) == {"Header", "Episodes"}
    assert ret.file_for == {"Header": "b.csv", "Episodes": "a.csv"}


def test_an_episode_for_a_child_missing_from_the_header():
    (error,) = _errors(
        files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024"), episode("FAKE000002", "01/01/2024")])
    )
    assert error.rule == "child_not_in_header" and error.column == "CHILD" and error.row == 2
    assert "Episodes" in error.file


def test_a_care_leaver_twice_in_oc3_is_refused_not_counted_twice():
    """Two OC3 rows for one young person would count them twice among care leavers: refused, the row named."""
    oc3 = "\n".join(
        [
            "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
            "FAKE000011,10/05/2004,YES,F3,T1",
            "FAKE000012,10/02/2003,YES,G5,B2",
            "FAKE000011,10/05/2004,YES,G6,B2",  # the same young person again, another activity
        ]
    )
    leavers = [child(f"FAKE0000{i}", dob="10/05/2004") for i in (11, 12)]
    (error,) = _errors(files([child("FAKE000001"), *leavers], [episode("FAKE000001", "01/01/2024")], OC3=oc3))
    assert error.rule == "child_twice" and error.column == "CHILD" and "OC3" in error.file
    assert error.row == "rows 1, 3"  # both rows, so the officer sees which record to keep
    assert "counted twice" in error.message


def test_one_adoption_twice_in_ad1_is_refused_but_two_adoptions_of_one_child_are_not():
    """AD1 holds one row per adoption (its dates): in an extract of several years a child adopted, returned to care
    and adopted again has two rows; the same adoption on two rows would be counted twice."""
    heading = "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR"
    first = "FAKE000001,01/06/2012,01/02/2020,01/05/2020,0,2,MF,L0"
    again = "FAKE000001,01/06/2012,01/02/2023,01/06/2023,0,1,F1,L0"
    upload = files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024")], AD1="\n".join([heading, first, again]))
    assert read_return(upload, today=TODAY).ok
    (error,) = _errors(
        files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024")], AD1="\n".join([heading, first, first]))
    )
    assert error.rule == "child_twice" and "AD1" in error.file and error.row == "rows 1, 2"
    assert "for each adoption" in error.message


def test_overlapping_episodes():
    (error,) = _errors(
        files(
            [child("FAKE000001")],
            [episode("FAKE000001", "01/01/2024", dec="01/03/2024"), episode("FAKE000001", "01/02/2024", rne="P")],
        )
    )
    assert error.rule == "episode_overlap" and error.row == 2 and "previous episode" in error.message


def test_dates_in_the_future_and_not_in_dd_mm_yyyy():
    errors = _errors(
        files([child("FAKE000001")], [episode("FAKE000001", "01/01/2027"), episode("FAKE000001", "2024-01-01")])
    )
    rules = {(e.rule, e.column, e.row) for e in errors}
    assert ("date_format", "DECOM", 2) in rules
    assert ("date_future", "DECOM", 1) in rules


def test_a_code_the_dfe_does_not_define():
    (error,) = _errors(files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024", ls="X9")]))
    assert error.column == "LS" and error.row == 1 and "'X9'" in error.message and "C2" in error.message


def test_a_file_that_is_no_ssda903_table():
    (error, *rest) = _errors([("children.csv", b"name,date of birth\nAda,01/01/2015\n")])
    assert error.rule == "table_unknown" and "Header" in error.message


def test_a_table_lacking_a_heading_is_named():
    errors = _errors(
        files([child("FAKE000001")], [])[:1]
        + [("e.csv", b"CHILD,DECOM,RNE,LS,CIN,PLACE,REC\nFAKE000001,01/01/2024,S,C2,N1,U4,\n")]
    )
    assert any("look like the Episodes table" in e.message and "DEC" in e.message for e in errors)


def test_an_xml_file_of_another_collection_is_named_as_such():
    (error,) = _errors([("return.xml", b"<?xml version='1.0'?><Message></Message>")])
    assert error.rule == "xml" and "'Message'" in error.message and "EXPSSDA903" in error.message


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_of_the_tables_is_read():
    upload = files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024")])
    ret = read_return([("return.zip", _zip(dict(upload)))], today=TODAY)
    assert ret.ok and set(ret.tables) == {"Header", "Episodes"}


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = _zip({"Episodes.csv": b"0" * (MAX_FILE_BYTES // 2)})  # 30 MB of one byte: about 1,000 to 1
    assert len(bomb) < 200_000
    (error,) = _errors([("return.zip", bomb)])
    assert error.rule == "zip" and "zip bomb" in error.message and "Nothing in the zip was read" in error.message


def test_a_zip_too_big_when_expanded_or_with_too_many_files():
    many = _zip({f"t{i}.csv": b"CHILD\n" for i in range(40)})
    (error,) = _errors([("return.zip", many)])
    assert "40 files" in error.message
    listed = _zip({f"t{i}.txt": b"" for i in range(100)})
    (error,) = _errors([("return.zip", listed)])
    assert "100 entries" in error.message


def test_the_spec_declares_each_table_once():
    assert len({t.names for t in TABLES.values()}) == len(TABLES)
    for table in TABLES.values():
        assert table.names[0] == "CHILD"


@pytest.mark.parametrize("cells", ["FAKE000001,3,01/06/2012,BAFR,,,", "FAKE000001,1,31/02/2012,BAFR,,,"])
def test_bad_header_cells_are_named_without_their_values(cells):
    errors = _errors(files([cells], [episode("FAKE000001", "01/01/2024")]))
    assert errors and all(e.row == 1 and "Header" in e.file for e in errors)


def test_a_table_over_the_row_cap_is_refused_before_it_is_parsed(monkeypatch):
    from cpb_dash.intake import ssda903

    monkeypatch.setattr(ssda903, "MAX_ROWS", 3)
    errors = _errors(files([child("FAKE000001")], [episode("FAKE000001", f"0{d}/01/2024") for d in range(1, 6)]))
    assert any(e.rule == "row_limit" and "Episodes" in e.file and "3" in e.message for e in errors)


def test_a_zip_ignores_what_is_not_a_table_and_says_so():
    upload = files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024")])
    ret = read_return(
        [("return.zip", _zip({**dict(upload), "README.txt": b"notes", "__MACOSX/._h.csv": b"x"}))], today=TODAY
    )
    assert ret.ok
    assert any(f.rule == "zip" and "2 files" in f.message for f in ret.warnings)


def test_an_excel_workbook_is_named_as_such():
    workbook = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    (error,) = _errors([("903.xlsx", workbook)])
    assert "Excel workbook" in error.message and "CSV" in error.message


def test_a_row_with_a_stray_comma_is_named_by_its_line():
    upload = files([child("FAKE000001")], [episode("FAKE000001", "01/01/2024") + ",extra"])
    errors = _errors(upload)
    (error,) = [e for e in errors if e.rule == "csv_shape"]
    assert "line 2 of the file" in error.message and "Episodes" in error.file


def test_a_code_column_holding_an_identifier_does_not_quote_it():
    """A child id in a code column (an export with its columns out of order) is never echoed."""
    (error,) = _errors(files([child("AB12")], [episode("AB12", "01/01/2024", ls="AB12")]))
    assert error.column == "LS" and "AB12" not in error.message

"""Known answers for the DfE rules in derive903.py that issue 11 asked to be checked against the methodology: a
small hand-built return (real CSV bytes) per rule, and the count the rule gives, worked out by hand here."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash import catalogue
from cpb_dash.intake.derive903 import PROVIDER_GROUPS, derive
from cpb_dash.intake.ssda903 import read_return
from tests.conftest import SHARED_DFE as DFE

TODAY = dt.date(2026, 1, 15)
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def ep(child: str, decom: str, dec: str = "", rne: str = "S", ls: str = "C2", place: str = "U4", provider="PR1") -> str:
    rec = "X1" if dec else ""
    return f"{child},{decom},{rne},{ls},N1,{place},{provider},{dec},{rec},,E8 1AA,E8 2AA,"


def derived(children: dict[str, str], episodes: list[str], start: dt.date, end: dt.date) -> dict:
    """{(dataset, quarter end): frame} for a return of `children` (CHILD -> DOB) and `episodes`."""
    header = "\n".join([HEADER, *(f"{c},1,{dob},BAFR,,," for c, dob in children.items())])
    upload = [("header.csv", header.encode()), ("episodes.csv", "\n".join([EPISODES, *episodes]).encode())]
    ret = read_return(upload, today=TODAY)
    assert ret.ok, [f.message for f in ret.errors]
    return derive(ret.tables, today=TODAY, start=start, end=end).frames


def value(frames: dict, dataset: str, day: str, measure: str, topic: str = "Total", breakdown: str = "Total"):
    frame = frames[(dataset, dt.date.fromisoformat(day))]
    rows = frame[
        (frame["measure"] == measure) & (frame["breakdown_topic"] == topic) & (frame["breakdown"] == breakdown)
    ]
    return rows["value"].item()


# ---------------------------------------------------------------------------------------------------------------
# Placement provider
# ---------------------------------------------------------------------------------------------------------------


def test_the_providers_are_the_dfes_published_labels():
    chars = pd.read_csv(DFE / "cla_characteristics_31_march.csv", dtype=str)
    published = set(chars.loc[chars["cla_group"] == "Place providers", "characteristic"]) - {"Total"}
    assert set(catalogue.PLACEMENT_PROVIDERS) == published
    assert set(PROVIDER_GROUPS) == {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
    assert catalogue.BREAKDOWN_TOPICS["Placement provider"] == catalogue.PLACEMENT_PROVIDERS
    assert "Placement provider" in catalogue.MEASURES["cla"].topics


def test_children_in_care_by_placement_provider_at_the_quarter_end():
    children = {f"FAKE00000{i}": "01/06/2012" for i in range(1, 8)}
    frames = derived(
        children,
        [
            ep("FAKE000001", "01/01/2024", provider="PR1"),  # own provision
            ep("FAKE000002", "01/01/2024", place="K2", provider="PR4"),  # private
            # moved from another council's home to a voluntary one: the provider at the date counts
            ep("FAKE000003", "01/01/2024", dec="01/02/2024", provider="PR2"),
            ep("FAKE000003", "01/02/2024", rne="P", provider="PR5"),
            ep("FAKE000004", "01/01/2024", place="P1", provider="PR0"),  # placed with parents
            ep("FAKE000005", "01/01/2024", provider=""),  # none recorded
            ep("FAKE000006", "01/01/2024", dec="31/03/2024", provider="PR3"),  # ceased on the date: not in care
            ep("FAKE000007", "20/03/2024", ls="V3", place="K2", provider="PR1"),  # short break: never counted
        ],
        dt.date(2023, 4, 1),
        dt.date(2024, 3, 31),
    )
    by = {
        p: value(frames, "care_population", "2024-03-31", "cla", "Placement provider", p)
        for p in PROVIDER_GROUPS.values()
    }
    assert by == {
        "Own provision (by the LA)": 1,
        "Other LA provision": 0,
        "Other public provision (e.g. by a PCT etc)": 0,
        "Private provision": 1,
        "Voluntary/third sector provision": 1,
        "Parents or other person with parental responsibility": 1,
    }
    assert (
        value(frames, "care_population", "2024-03-31", "cla", "Placement provider", "Placement provider not reported")
        == 1
    )
    assert value(frames, "care_population", "2024-03-31", "cla") == 5


# ---------------------------------------------------------------------------------------------------------------
# Three or more placements in the 12 months, and moves
# ---------------------------------------------------------------------------------------------------------------


def stability(children: dict[str, str], episodes: list[str], day: str = "2024-03-31", start=dt.date(2021, 4, 1)):
    frames = derived(children, episodes, start, dt.date.fromisoformat(day))
    return lambda measure: value(frames, "placement_stability", day, measure)


def test_a_placement_that_ended_on_the_windows_first_day_counts_toward_three():
    """Year to 31 March 2024 = 1 April 2023 to 31 March 2024. A placement whose episode ceased (DEC) on 1 April
    2023 was open on that day, as one ceasing on 31 March is not looked after at 31 March: it is in the year."""
    moves = {
        "FAKE000001": "01/04/2023",  # A ends on the window's first day: A, B, C in the year
        "FAKE000002": "31/03/2023",  # A ends the day before: B and C only
    }
    episodes = []
    for child, first_end in moves.items():
        episodes += [
            ep(child, "01/01/2023", dec=first_end),
            ep(child, first_end, rne="P", dec="01/10/2023"),
            ep(child, "01/10/2023", rne="P"),
        ]
    measure = stability(dict.fromkeys(moves, "01/06/2012"), episodes)
    assert measure("stab_cla_total") == 2
    assert measure("stab_3plus_placements") == 1  # FAKE000001 only


def test_a_temporary_placement_and_the_return_from_it_are_not_separate_placements():
    """Recorded as the guide asks: into the temporary placement (T3, carer's holiday) with RNE P, back to the usual
    placement (same code and postcode) with RNE P. One placement, not three; no move in the quarter."""

    def moves(child: str, back_to: str) -> list[str]:
        return [
            f"{child},01/06/2023,S,C2,N1,U4,PR1,01/08/2023,X1,,E8 1AA,E8 2AA,",
            f"{child},01/08/2023,P,C2,N1,T3,PR1,15/08/2023,X1,,E8 1AA,E9 5AA,",
            f"{child},15/08/2023,P,C2,N1,U4,PR1,,,,E8 1AA,{back_to},",
        ]

    children = {"FAKE000001": "01/06/2012", "FAKE000002": "01/06/2012"}
    episodes = moves("FAKE000001", "E8 2AA") + moves("FAKE000002", "N16 6AA")  # FAKE000002 went to new carers
    measure = stability(children, episodes, day="2023-09-30", start=dt.date(2022, 4, 1))
    assert measure("stab_3plus_placements") == 0  # FAKE000001: 1 placement; FAKE000002: 2 (U4, then new carers)
    assert measure("placement_moves_in_quarter") == 1  # FAKE000002's move to the new carers only
    # Three real moves in the same dates do make three.
    real = [e.replace(",T3,", ",U6,") for e in moves("FAKE000003", "N16 6AA")]
    assert (
        stability({"FAKE000003": "01/06/2012"}, real, day="2023-09-30", start=dt.date(2022, 4, 1))(
            "stab_3plus_placements"
        )
        == 1
    )


def test_same_carer_changes_rne_t_and_u_are_not_new_placements():
    """RNE T (placement change, same carer: fostered, then placed for adoption with the same carer) and U (with a
    legal status change) keep the carer; one P move after them makes two placements, not four."""
    episodes = [
        ep("FAKE000001", "01/05/2023", dec="01/07/2023", place="U1"),
        ep("FAKE000001", "01/07/2023", rne="T", place="A5", dec="01/09/2023"),
        ep("FAKE000001", "01/09/2023", rne="U", ls="E1", place="A5", dec="01/12/2023"),
        ep("FAKE000001", "01/12/2023", rne="P", ls="E1", place="A6"),
    ]
    measure = stability({"FAKE000001": "01/06/2021"}, episodes)
    assert measure("stab_3plus_placements") == 0


# ---------------------------------------------------------------------------------------------------------------
# Long-term stability: under 16, looked after 2.5 years, same placement 2 years
# ---------------------------------------------------------------------------------------------------------------


def test_two_and_a_half_years_is_on_or_before_30_months_earlier():
    """At 31 March 2024: looked after since 30 September 2021 or earlier (30 months back) and in the same placement
    since 31 March 2022 or earlier (24 months back), each day itself included."""
    children = {f"FAKE00000{i}": "01/06/2012" for i in range(1, 6)}
    episodes = [
        ep("FAKE000001", "30/09/2021"),  # exactly 2.5 years, one placement: in, stable
        ep("FAKE000002", "01/10/2021"),  # a day short of 2.5 years: not in the cohort
        ep("FAKE000003", "30/09/2021", dec="31/03/2022"),  # moved exactly 2 years before: stable
        ep("FAKE000003", "31/03/2022", rne="P"),
        ep("FAKE000004", "30/09/2021", dec="01/04/2022"),  # moved a day later: not stable
        ep("FAKE000004", "01/04/2022", rne="P"),
    ]
    children["FAKE000005"] = "31/03/2008"  # 16 on 31 March 2024 itself: not under 16
    episodes.append(ep("FAKE000005", "01/01/2020"))
    measure = stability(children, episodes)
    assert measure("ltstab_cohort") == 3  # FAKE000001, FAKE000003, FAKE000004
    assert measure("ltstab_same_carer_2y") == 2  # FAKE000001, FAKE000003


# ---------------------------------------------------------------------------------------------------------------
# Published groups: placement K3 and Z11-Z14, ethnicity CHNE
# ---------------------------------------------------------------------------------------------------------------


def test_supported_accommodation_k3_is_published_with_independent_and_semi_independent_living():
    frames = derived(
        {"FAKE000001": "01/06/2007", "FAKE000002": "01/06/2007", "FAKE000003": "01/06/2007"},
        [
            ep("FAKE000001", "01/01/2025", place="K3", provider="PR4"),
            ep("FAKE000002", "01/01/2025", place="H5", provider="PR4"),
            ep("FAKE000003", "01/01/2025", place="P2", provider="PR4"),
        ],
        dt.date(2024, 4, 1),
        dt.date(2025, 3, 31),
    )
    group = "Independent and semi-independent living arrangements/supported accommodation"
    assert value(frames, "care_population", "2025-03-31", "cla", "Placement type", group) == 3


def test_the_2025_26_other_placement_codes_are_published_as_other_placements():
    children = {f"FAKE00000{i}": "01/06/2010" for i in range(1, 6)}
    places = ("Z11", "Z12", "Z13", "Z14", "Z1")
    frames = derived(
        children,
        [ep(child, "01/06/2025", place=place, provider="PR4") for child, place in zip(children, places, strict=True)],
        dt.date(2025, 4, 1),
        dt.date(2025, 9, 30),
    )
    assert value(frames, "care_population", "2025-09-30", "cla", "Placement type", "Other placements") == 5


def test_p4_is_not_a_placement_code_and_is_refused_naming_the_column():
    header = "\n".join([HEADER, "FAKE000001,1,01/06/2007,BAFR,,,"])
    episodes = "\n".join([EPISODES, ep("FAKE000001", "01/01/2025", place="P4", provider="PR4")])
    ret = read_return([("header.csv", header.encode()), ("episodes.csv", episodes.encode())], today=TODAY)
    assert not ret.ok
    assert any("PLACE" in f.message and "P4" in f.message for f in ret.errors), [f.message for f in ret.errors]


def test_chinese_is_published_as_other_ethnic_group():
    upload = [
        (
            "header.csv",
            f"{HEADER}\nFAKE000001,1,01/06/2012,CHNE,,,\nFAKE000002,2,01/06/2012,OOTH,,,\nFAKE000003,1,01/06/2012,AOTH,,,\n",
        ),
        ("episodes.csv", "\n".join([EPISODES, *(ep(f"FAKE00000{i}", "01/01/2024") for i in (1, 2, 3))]).encode()),
    ]
    ret = read_return([(n, d.encode() if isinstance(d, str) else d) for n, d in upload], today=TODAY)
    frames = derive(ret.tables, today=TODAY, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31)).frames
    assert value(frames, "care_population", "2024-03-31", "cla", "Ethnicity", "Other ethnic group") == 2
    assert value(frames, "care_population", "2024-03-31", "cla", "Ethnicity", "Asian or Asian British") == 1


# ---------------------------------------------------------------------------------------------------------------
# Sex: 1/2 until 2023-24, M/F/U from 2024-25
# ---------------------------------------------------------------------------------------------------------------


def _return_with_sexes(sexes: dict[str, str]):
    header = "\n".join([HEADER, *(f"{c},{sex},01/06/2012,BAFR,,," for c, sex in sexes.items())])
    episodes = "\n".join([EPISODES, *(ep(c, "01/01/2024") for c in sexes)])
    return read_return([("header.csv", header.encode()), ("episodes.csv", episodes.encode())], today=TODAY)


def test_the_2024_25_sex_codes_are_read_as_the_earlier_ones():
    """From 2024-25 the return codes sex M, F or U (the DfE validator's rule 101 for that year), where earlier
    years used 1 and 2: a current extract was refused whole. Both are read; a return may hold both."""
    ret = _return_with_sexes({"FAKE000001": "M", "FAKE000002": "f", "FAKE000003": "1", "FAKE000004": "2"})
    assert ret.ok, [f.message for f in ret.errors]
    frames = derive(ret.tables, today=TODAY, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31)).frames
    assert value(frames, "care_population", "2024-03-31", "cla", "Sex", "Male") == 2
    assert value(frames, "care_population", "2024-03-31", "cla", "Sex", "Female") == 2
    # all four began on 1 January 2024, in the quarter to 31 March
    assert value(frames, "care_population", "2024-03-31", "cla_started", "Sex", "Male") == 2
    assert value(frames, "care_population", "2023-12-31", "cla_started", "Sex", "Female") == 0
    assert all(f.rule != "sex_unknown" for f in ret.findings)


def test_a_child_of_unknown_sex_is_counted_and_the_quarter_has_no_breakdown_by_sex():
    ret = _return_with_sexes({"FAKE000001": "M", "FAKE000002": "U"})
    assert ret.ok
    (warning,) = [f for f in ret.warnings if f.rule == "sex_unknown"]
    assert (warning.column, warning.row) == ("SEX", 2) and "rule 232" in warning.message
    derived = derive(ret.tables, today=TODAY, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31))
    frame = derived.frames[("care_population", dt.date(2024, 3, 31))]
    assert value(derived.frames, "care_population", "2024-03-31", "cla") == 2
    assert not (frame["breakdown_topic"] == "Sex").any()
    assert value(derived.frames, "care_population", "2024-03-31", "cla", "Age group", "10 to 15 years") == 2
    assert any("sex of a child is not known" in note for note in derived.notes)
    assert all("FAKE" not in f.message for f in ret.findings)

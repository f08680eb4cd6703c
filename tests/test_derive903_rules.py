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

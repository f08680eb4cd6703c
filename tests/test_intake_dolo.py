"""Deprivation of liberty orders (the SSDA903 DoLo table, collected from 2026-27): read, checked and counted.

A return for 2026-27 holds a DoLo table beside the others (the DfE's 903 validator adds it with rules 700-710). It
must not refuse the whole upload, its dates are checked, and the children looked after at each quarter end with an
order in force are counted, by hand here, from small hand-built returns (real CSV bytes)."""

from __future__ import annotations

import datetime as dt

from cpb_dash import catalogue
from cpb_dash.intake.derive903 import derive
from cpb_dash.intake.ssda903 import read_return
from tests.test_derive903_rules import EPISODES, HEADER, ep

TODAY = dt.date(2026, 11, 28)
DOLO = "CHILD,DOB,DOLO_START,DOLO_END"
BORN = "01/06/2011"


def upload(children: list[str], episodes: list[str], dolos: list[str] | None) -> list[tuple[str, bytes]]:
    header = "\n".join([HEADER, *(f"{c},1,{BORN},BAFR,,," for c in children)])
    files = [("header.csv", header.encode()), ("episodes.csv", "\n".join([EPISODES, *episodes]).encode())]
    if dolos is not None:
        files.append(("dolo.csv", "\n".join([DOLO, *dolos]).encode()))
    return files


def count(frames: dict, day: str) -> int | None:
    frame = frames[("care_population", dt.date.fromisoformat(day))]
    rows = frame[(frame["measure"] == "cla_dolo") & (frame["breakdown_topic"] == "Total")]
    return None if rows.empty else rows["value"].item()


CHILDREN = [f"FAKE00000{i}" for i in range(1, 9)]
EPISODES_2026 = [
    ep("FAKE000001", "01/01/2026", place="K2"),  # in care throughout
    ep("FAKE000002", "01/01/2026", place="K2"),
    ep("FAKE000003", "01/01/2026", place="Z12"),
    ep("FAKE000004", "01/01/2026", place="K2"),
    ep("FAKE000005", "01/01/2026", dec="15/08/2026", place="K2"),  # left care in August
    ep("FAKE000006", "01/01/2026", place="K2"),
    ep("FAKE000007", "01/01/2026", ls="V3", place="K2"),  # short breaks: never counted as looked after
    ep("FAKE000008", "01/01/2026", place="U4"),
]
DOLOS_2026 = [
    f"FAKE000001,{BORN},01/03/2026,",  # in force since before the collection year, still in force
    f"FAKE000002,{BORN},01/05/2026,30/06/2026",  # ended on 30 June: not in force at the end of that day
    f"FAKE000003,{BORN},30/06/2026,",  # began on 30 June: in force at the end of it
    f"FAKE000004,{BORN},01/07/2026,31/10/2026",  # July to October: in force at 30 September only
    f"FAKE000005,{BORN},01/04/2026,",  # in force, but the child left care on 15 August
    f"FAKE000006,{BORN},01/04/2026,01/05/2026",  # ended,
    f"FAKE000006,{BORN},01/09/2026,",  # and a second order for the same child from September: counted once
    f"FAKE000007,{BORN},01/04/2026,",  # a short-break child: not looked after, so not counted
]


def test_a_return_with_a_dolo_table_is_read_and_each_quarter_counts_children_with_an_order_in_force():
    ret = read_return(upload(CHILDREN, EPISODES_2026, DOLOS_2026), today=TODAY)
    assert ret.ok, [f.message for f in ret.errors]
    assert "DoLo" in ret.tables
    frames = derive(ret.tables, today=TODAY, start=dt.date(2025, 4, 1), end=dt.date(2026, 9, 30)).frames
    # 30 June 2026: FAKE000001, FAKE000003, FAKE000005 (still in care), FAKE000006 (first order ended 1 May: no).
    assert count(frames, "2026-06-30") == 3
    # 30 September 2026: FAKE000001, FAKE000003, FAKE000004, FAKE000006 (second order); FAKE000005 left care.
    assert count(frames, "2026-09-30") == 4
    # Before the collection year: no figure at all, not a zero.
    assert count(frames, "2026-03-31") is None
    assert count(frames, "2025-12-31") is None


def test_without_a_dolo_table_no_dolo_figure_is_made():
    ret = read_return(upload(CHILDREN, EPISODES_2026, None), today=TODAY)
    assert ret.ok
    frames = derive(ret.tables, today=TODAY, start=dt.date(2025, 4, 1), end=dt.date(2026, 9, 30)).frames
    assert count(frames, "2026-09-30") is None


def messages(ret, level: str) -> list[str]:
    return [f.message for f in (ret.errors if level == "error" else ret.warnings)]


def test_dolo_dates_that_would_change_the_count_are_refused_with_the_row():
    bad = [
        f"FAKE000001,{BORN},01/09/2026,01/08/2026",  # ends before it starts
        f"FAKE000002,{BORN},01/04/2026,",  # open ...
        f"FAKE000002,{BORN},01/06/2026,",  # ... and a second order while it is in force
        f"FAKE000003,{BORN},01/01/2010,",  # before the child was born (2011)
        f"FAKE000004,{BORN},01/04/2027,",  # in the future
    ]
    ret = read_return(upload(CHILDREN, EPISODES_2026, bad), today=TODAY)
    assert not ret.ok
    errors = " | ".join(messages(ret, "error"))
    assert "DOLO_END is before DOLO_START in 1 row" in errors
    assert "1 order starts while the same child's previous order is still in force" in errors
    assert "1 order starts before the child's date of birth" in errors
    assert "DOLO_START is after today" in errors
    backwards = next(f for f in ret.errors if "before DOLO_START" in f.message)
    assert (backwards.file, backwards.column, backwards.row) == ("dolo.csv (DoLo table)", "DOLO_END", 1)
    second = next(f for f in ret.errors if "still in force" in f.message)
    assert second.row == 3  # the later of the child's two orders


def test_placements_the_dfe_queries_are_warnings_and_do_not_block():
    episodes = [
        ep("FAKE000001", "01/01/2026", place="K1"),  # secure children's home: rule 710
        ep("FAKE000002", "01/01/2026", place="U4"),  # foster care: rule 709
        ep("FAKE000003", "01/01/2026", dec="01/08/2026", place="K2"),  # left care, order left open
    ]
    dolos = [f"FAKE000001,{BORN},01/05/2026,", f"FAKE000002,{BORN},01/05/2026,", f"FAKE000003,{BORN},01/05/2026,"]
    ret = read_return(upload(CHILDREN[:3], episodes, dolos), today=TODAY)
    assert ret.ok, messages(ret, "error")
    warnings = " | ".join(messages(ret, "warning"))
    assert "secure children's home" in warnings and "rule 710" in warnings
    assert "other than K2, Z12, Z13" in warnings and "rule 709" in warnings
    assert "no DOLO_END for a child who has ceased to be looked after" in warnings


def test_no_message_quotes_a_child():
    bad = [f"FAKE000001,{BORN},01/09/2026,01/08/2026", f"FAKE000009,{BORN},01/05/2026,"]
    ret = read_return(upload(CHILDREN, EPISODES_2026, bad), today=TODAY)
    text = " ".join(f.message for f in ret.findings)
    assert "FAKE00000" not in text and BORN not in text


def test_the_dolo_figure_is_a_catalogue_indicator_on_the_care_population_page():
    indicator = catalogue.INDICATORS["dolo_count"]
    assert indicator.numerator == "cla_dolo" and indicator.area == "care_population"
    assert not indicator.published  # the DfE publishes no DoLO figures yet: no benchmark, no rank


def test_a_missing_dolo_table_is_mentioned_only_for_a_return_that_reaches_2026_27():
    recent = read_return(upload(CHILDREN, EPISODES_2026, None), today=TODAY)
    assert any(w.startswith("No DoLo table") for w in messages(recent, "warning"))
    older = [ep("FAKE000001", "01/01/2025", dec="15/03/2026"), ep("FAKE000002", "01/01/2025")]
    before = read_return(upload(CHILDREN[:2], older, None), today=TODAY)
    assert before.ok and not any("DoLo" in w for w in messages(before, "warning"))


def test_the_xml_with_the_dolo_csv_beside_it_counts_as_the_csv_files_do():
    """The DfE's XML layout we read has no DoLo group: its CSV file goes beside the XML, as SWEpisodes does."""
    import io

    import pandas as pd

    from cpb_dash.intake.synthetic_903 import xml_from_tables

    files = dict(upload(CHILDREN, EPISODES_2026, DOLOS_2026))
    tables = {
        name: pd.read_csv(io.BytesIO(files[f"{name.lower()}.csv"]), dtype=str, keep_default_na=False)
        for name in ("Header", "Episodes")
    }
    xml_only = read_return([("return.xml", xml_from_tables(tables))], today=TODAY)
    assert any(w.startswith("No DoLo table") and "beside the XML" in w for w in messages(xml_only, "warning"))
    both = read_return([("return.xml", xml_from_tables(tables)), ("dolo.csv", files["dolo.csv"])], today=TODAY)
    assert both.ok, messages(both, "error")
    frames = derive(both.tables, today=TODAY, start=dt.date(2025, 4, 1), end=dt.date(2026, 9, 30)).frames
    assert (count(frames, "2026-06-30"), count(frames, "2026-09-30")) == (3, 4)


def test_a_hand_built_snapshot_is_asked_for_the_dolo_count_only_from_2026_27():
    """The contract's 'every measure present' warning: a care_population file for 30 September 2026 without the
    DoLO count is asked to confirm; one for 30 September 2025 is not (DoLOs were not recorded then)."""
    from cpb_dash.contract import validate_frame
    from tests.contract_helpers import care_population

    def gaps(period: dt.date) -> list[str]:
        found = validate_frame(care_population(period), "care_population", "cp.csv", today=TODAY)
        return [f.message for f in found if f.rule == "measures_complete" and f.level == "warning"]

    assert gaps(dt.date(2025, 9, 30)) == []
    (later,) = gaps(dt.date(2026, 9, 30))
    assert "'cla_dolo'" in later

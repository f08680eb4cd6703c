"""The board pack's fixes for a councillor (issue 13): the cover's comparator, no lone table, a short appendix,
the ethnicity evidence with its finding computed from the sample snapshot, ratings and commentary as text."""

from __future__ import annotations

import datetime as dt
import shutil

import pyarrow.parquet as pq

from cpb_dash import pack
from cpb_dash.store import Store
from tests.conftest import FIXTURES
from tests.test_pack import _bundle, visible_text

LATEST = dt.date(2025, 9, 30)


def _pack(root=FIXTURES, comparator: str = "England") -> str:
    return pack.build_pack(_bundle(root), LATEST, comparator, produced=dt.date(2025, 11, 3))


def test_the_cover_names_england_once():
    text = visible_text(_pack())
    assert "England, and England" not in text
    assert "Compared with England (every published comparator" in text
    assert "Compared with London, and England in the comparators section" in visible_text(_pack(comparator="London"))


def test_the_action_plan_summary_is_a_sentence_not_a_lone_table():
    markup = _pack()
    assert '<th scope="col">Actions complete</th>' not in markup
    assert "Actions complete: " in visible_text(markup)


def test_the_ethnicity_evidence_states_its_finding_from_the_figures():
    frame = pq.read_table(next((FIXTURES / "workforce" / "2025-09-30").glob("*.parquet"))).to_pandas()
    role = frame[frame["breakdown_topic"] == "Role and ethnicity"]
    black = "Black, African, Caribbean or Black British"

    def share(grade: str) -> str:  # by hand: the group's headcount over the grade's headcount
        rows = role[role["breakdown"].str.startswith(grade + ":")]
        mine = rows.loc[rows["breakdown"] == f"{grade}: {black}", "value"].sum()
        return f"{round(mine / rows['value'].sum() * 100)}%"

    assert (share("Practitioner"), share("Manager")) == ("45%", "16%")
    text = visible_text(_pack())
    assert "Ethnicity and disproportionality" in text
    assert "Most over-represented:" in text  # children in care against the 0 to 17 population
    assert f"Black staff are {share('Practitioner')} of practitioners but {share('Manager')} of managers." in text


def test_ratings_and_commentary_are_in_the_pack_as_text(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(FIXTURES, root)
    csv = (
        "period_end,area,author_role,text\n2025-09-30,workforce,Head of Workforce Development,"
        '"<img src=x onerror=alert(1)> Agency use fell."\n'
    )
    Store(root).publish(csv.encode(), "commentary", None, "c.csv", "officer@hackney.gov.uk")
    markup = _pack(root)
    assert "<img src=x" not in markup and "&lt;img src=x onerror=alert(1)&gt; Agency use fell." in markup
    text = visible_text(markup)
    assert "Commentary (Head of Workforce Development)" in text
    assert "Red: off target (15.0% or less)" in text  # the sample's agency target (fixtures_notes.py)
    assert "Worse than England, bottom quarter of councils" in text  # vacancies: no target, so the standing

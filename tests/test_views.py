"""View models: memoised per bundle without sharing mutable results, and the action-plan counts a councillor reads."""

from __future__ import annotations

import pandas as pd
import pytest

from cpb_dash import catalogue, views
from cpb_dash.store import Store
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def bundle() -> views.Bundle:
    return views.build_bundle(Store(FIXTURES), catalogue.SUPPRESSION_THRESHOLD)


def test_a_view_is_worked_out_once_per_bundle_and_quarter(bundle):
    period = bundle.latest_period
    first = views.trend(bundle, "cla_rate_per_10k", period, ["England", "London"])
    entries = len(bundle.memo)
    again = views.trend(bundle, "cla_rate_per_10k", period, ["England", "London"])
    assert len(bundle.memo) == entries  # the second call was answered from the memo
    pd.testing.assert_frame_equal(first[0], again[0])
    earlier = views.trend(bundle, "cla_rate_per_10k", bundle.periods[-5], ["England", "London"])
    assert len(bundle.memo) == entries + 1  # another quarter is another entry
    assert earlier[0]["period_end"].max() < first[0]["period_end"].max()


def test_changing_a_memoised_frame_does_not_change_what_the_next_reader_gets(bundle):
    period = bundle.latest_period
    table = views.breakdown_table(bundle, "care_population", "cla", "Age group", period)
    before = table.copy()
    table["value"] = -1.0
    table.loc[:, "breakdown"] = "changed"
    pd.testing.assert_frame_equal(views.breakdown_table(bundle, "care_population", "cla", "Age group", period), before)


def test_a_memoised_trend_keeps_its_frames_to_itself(bundle):
    """A trend's view model (a frozen dataclass) holds frames: each reader gets its own copies of them."""
    period = bundle.latest_period
    figure = views.trend_figure(bundle, "cla_rate_per_10k", period, "London")
    before = figure.table.copy()
    figure.table.iloc[:, 1] = "changed"
    figure.hackney["value"] = -1.0
    again = views.trend_figure(bundle, "cla_rate_per_10k", period, "London")
    pd.testing.assert_frame_equal(again.table, before)
    assert (again.hackney["value"] >= 0).all()
    assert again.description == figure.description


def test_the_memo_is_bounded(bundle, monkeypatch):
    monkeypatch.setattr(views.bundle, "MEMO_ENTRIES", 3)
    for period in bundle.periods[-6:]:
        views.plan_summary(bundle, period)
    assert len(bundle.memo) == 3


def test_status_counts_and_progress_match_a_plain_count_of_the_actions(bundle):
    actions = views.actions_at(bundle, bundle.latest_period)
    counts = views.status_counts(actions)
    assert len(counts) == actions["priority"].nunique() * len(catalogue.ACTION_STATUSES)
    for (priority, status), rows in actions.groupby(["priority", "status"]):
        shown = counts[(counts["priority"] == priority) & (counts["status"] == status)]["actions"]
        assert shown.tolist() == [len(rows)]
    assert counts["actions"].sum() == len(actions)

    progress = views.priority_progress(actions)
    assert progress["Actions"].tolist() == actions.groupby("priority").size().tolist()
    assert progress["Overdue"].tolist() == actions.groupby("priority")["overdue"].sum().astype(int).tolist()
    complete = actions[actions["status"] == "Complete"].groupby("priority").size()
    assert progress["Complete"].sum() == complete.sum()


def test_no_actions_give_empty_counts_not_an_error():
    empty = pd.DataFrame(columns=["priority", "status", "overdue"])
    assert views.status_counts(empty).empty
    assert views.priority_progress(empty).empty


def test_spell_out_writes_each_abbreviation_out_once_where_it_first_stands():
    from cpb_dash.views import spell_out

    said: set[str] = set()
    # the card label keeps its own "in"; the words come first and the abbreviation after them
    assert spell_out("Care leavers in EET", said) == "Care leavers in education, employment or training (EET)"
    assert spell_out("Care leavers in EET (17 to 18)", said) == "Care leavers in EET (17 to 18)"  # said once
    assert spell_out("Care leavers NEET (19 to 21)", said) == (
        "Care leavers not in education, employment or training (NEET) (19 to 21)"
    )
    # already in brackets: one pair, not two; a possessive keeps its 's on the words
    assert spell_out("Social workers (FTE)", said) == "Social workers (full-time equivalent, FTE)"
    assert spell_out("from the DfE's census", said) == "from the Department for Education's (DfE) census"
    # at the start of a sentence the words take its capital; the glossary's gloss in brackets is left out
    assert spell_out("UASC", said) == "Unaccompanied asylum-seeking children (UASC)"
    assert spell_out("SDQ completed", said) == "Strengths and Difficulties Questionnaire (SDQ) completed"
    # a text that already spells it out is left as written
    fresh: set[str] = set()
    assert spell_out("the Department for Education (DfE) says", fresh) == "the Department for Education (DfE) says"
    assert "DfE" in fresh
    # a word that merely contains the letters is not an abbreviation
    assert spell_out("MEETING", set()) == "MEETING"

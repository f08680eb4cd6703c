"""The page's address (its query string) says the quarter, the comparator and each page's choices, so a link opens on
them. Every change Streamlit is told to make to it is a message that has the browser rewrite its history entry and
redraw the app from its root (docs/performance.md, "What the browser does over the floor, by function"): the pages
write the address only where it is not already right, all of a run's changes at once.

Counted from what a run sends: Streamlit's test runner keeps each run's messages, read here after the run."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import local_script_runner

from tests.app.page_helpers import page_test

CARE = "pages/1_Care_population.py"
PLAN = "pages/4_Action_plan.py"


@pytest.fixture
def address_changes(monkeypatch):
    """The query strings each run sent to the browser (page_info_changed messages), a list per run."""
    runs: list[list[str]] = []
    run = local_script_runner.LocalScriptRunner.run

    def recording(self, *args, **kwargs):
        tree = run(self, *args, **kwargs)
        sent = self.forward_msgs()
        runs.append([m.page_info_changed.query_string for m in sent if m.WhichOneof("type") == "page_info_changed"])
        return tree

    monkeypatch.setattr(local_script_runner.LocalScriptRunner, "run", recording)
    return runs


def test_a_link_without_the_choices_gets_them_written_once_and_a_rerun_writes_nothing(address_changes):
    at = page_test(CARE).run()
    assert not at.exception
    first = address_changes[-1]
    # the quarter and comparator in one message, the topic in another: never one per key
    assert len(first) == 2
    assert "period=" in first[0] and "compare=" in first[0]
    assert "topic=Age+group" in first[-1] and "period=" in first[-1]
    at.run()  # the same page again, nothing chosen: the address is already right
    assert address_changes[-1] == []


def test_a_link_that_already_says_everything_sends_no_address_change(address_changes):
    at = page_test(CARE).run()
    query = {key: at.query_params[key] for key in ("period", "compare", "topic")}
    at = page_test(CARE, query).run()
    assert not at.exception
    assert address_changes[-1] == []
    # a choice changes the address once, with the new value
    at.radio(key="topic").set_value("Legal status").run()
    assert len(address_changes[-1]) == 1 and "topic=Legal+status" in address_changes[-1][0]


def test_the_action_plan_filters_write_the_address_once_and_a_cleared_filter_leaves_it(address_changes):
    at = page_test(PLAN).run()
    assert not at.exception
    # the quarter and comparator; the lists' tabs (bound to the address) say nothing while on their first tab
    assert len(address_changes[-1]) == 1 and "list=" not in address_changes[-1][0]
    at.multiselect(key="priority").set_value([1, 2]).run()
    assert len(address_changes[-1]) == 1
    assert at.query_params["priority"] == ["1", "2"]
    at.run()
    assert address_changes[-1] == []
    at.multiselect(key="priority").set_value([]).run()
    assert "priority" not in at.query_params
    assert len(address_changes[-1]) == 1 and "priority" not in address_changes[-1][0]

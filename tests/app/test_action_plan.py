"""The action plan page in AppTest: counts equal the sample plan's, filters (and a link's query parameters)
change what is shown, and an update's markup is shown as text, never run."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.app.conftest import app_test, latest_period, metric_values
from tests.app.page_helpers import block_texts, charts, html_texts, private_fixtures, rewrite_snapshot, tables
from tests.conftest import FIXTURES

PAGE = "pages/4_Action_plan.py"
XSS = "<img src=x onerror=alert(1)> **not bold** [link](https://example.com)"


def full_cards(at) -> list[str]:
    """The HTML of the "Read in full" tab's cards, if it is open (one block)."""
    return [body for body in (b.proto.body for b in at.get("html")) if "Each action shown" in body]


def open_page(period: str | None = None, query: dict | None = None):
    at = app_test("app.py")
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.switch_page(PAGE).run()
    if period:
        at.selectbox(key="period").set_value(period).run()
    assert not at.exception, at.exception
    return at


def plan(period: str) -> pd.DataFrame:
    files = list((FIXTURES / "action_plan" / period).glob("*.parquet"))
    assert len(files) == 1, files
    frame = pq.read_table(files[0]).to_pandas()
    day = dt.date.fromisoformat(period)
    frame["overdue"] = [
        due < day and status != "Complete" for due, status in zip(frame["due_date"], frame["status"], strict=True)
    ]
    return frame


def expected_metrics(rows: pd.DataFrame, total: int) -> dict[str, str]:
    complete = int((rows["status"] == "Complete").sum())
    share = int(half_up(complete / len(rows) * 100)) if len(rows) else 0
    return {
        "Actions shown": f"{len(rows)} of {total}",
        "Complete": f"{complete} ({share}%)",
        "At risk or off track": str(int(rows["status"].isin(["At risk", "Off track"]).sum())),
        "Overdue": str(int(rows["overdue"].sum())),
    }


def half_up(value: float) -> int:
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_latest_quarter_counts_equal_the_sample_plan():
    latest = latest_period("action_plan")
    rows = plan(latest)
    at = open_page()
    assert metric_values(at) == expected_metrics(rows, len(rows))
    assert len(charts(at)) > 0
    listed = next(t for t in tables(at) if "Lead" in t.columns and "Action" in t.columns)
    assert sorted(listed["Action"]) == sorted(rows["action_id"])


def test_an_earlier_quarter_shows_that_quarters_plan():
    rows = plan("2025-03-31")
    at = open_page("2025-03-31")
    assert metric_values(at) == expected_metrics(rows, len(rows))


def test_filters_change_what_is_shown():
    latest = latest_period("action_plan")
    rows = plan(latest)
    at = open_page()
    at.multiselect(key="priority").set_value([1, 5]).run()
    kept = rows[rows["priority"].isin([1, 5])]
    assert metric_values(at) == expected_metrics(kept, len(rows))
    at.toggle(key="anti_racist").set_value(True).run()
    kept = kept[kept["anti_racist"]]
    assert metric_values(at) == expected_metrics(kept, len(rows))
    listed = next(t for t in tables(at) if "Lead" in t.columns and "Action" in t.columns)
    assert sorted(listed["Action"]) == sorted(kept["action_id"])
    # the choices are in the URL, so the link reproduces the view
    assert at.query_params["priority"] == ["1", "5"]
    assert at.query_params["anti_racist"] in ("1", ["1"])

    at.toggle(key="anti_racist").set_value(False).run()
    at.multiselect(key="status").set_value(["At risk"]).run()
    kept = rows[rows["priority"].isin([1, 5]) & (rows["status"] == "At risk")]
    assert metric_values(at) == expected_metrics(kept, len(rows))


def test_a_shared_link_opens_with_its_filters():
    latest = latest_period("action_plan")
    rows = plan(latest)
    at = open_page(query={"priority": ["1", "5"], "status": "At risk", "anti_racist": "1"})
    kept = rows[rows["priority"].isin([1, 5]) & (rows["status"] == "At risk") & rows["anti_racist"]]
    assert at.multiselect(key="priority").value == [1, 5]
    assert metric_values(at) == expected_metrics(kept, len(rows))


def test_what_moved_lists_the_changes_since_last_quarter():
    latest = latest_period("action_plan")
    now, before = plan(latest), plan("2025-06-30")
    merged = now.merge(before[["action_id", "status"]], on="action_id", suffixes=("", "_before"))
    done_now = (merged["status"] == "Complete") & (merged["status_before"] != "Complete")
    newly_complete = set(merged[done_now]["action_id"])
    at = open_page()
    moved = next(t for t in tables(at) if "What changed" in t.columns)
    assert set(moved[moved["What changed"] == "Newly complete"]["Action"]) == newly_complete


def test_markup_in_an_update_is_shown_as_text(tmp_path, monkeypatch):
    latest = latest_period("action_plan")
    data = private_fixtures(tmp_path)

    def edit(frame) -> None:
        target = frame[frame["status"] == "Off track"]["action_id"].iloc[0]
        frame.loc[frame["action_id"] == target, "update"] = XSS

    rewrite_snapshot(data, "action_plan", latest, edit)
    monkeypatch.setenv("CPB_DATA_DIR", str(data))

    at = open_page()
    assert XSS in block_texts(at)  # under "Needs attention", as typed
    sent = "".join(block.proto.body for block in at.get("html"))
    assert "<img src=x" not in sent and "&lt;img src=x onerror=alert(1)&gt;" in sent  # escaped, never markup
    markdown = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert "onerror" not in markdown and "not bold" not in markdown
    at.session_state["list"] = "Read in full"  # every action as a card: escaped there too
    at.run()
    (cards,) = full_cards(at)
    assert XSS in html_texts(cards) and "<img src=x" not in cards


def test_the_list_loads_plain_and_sorting_is_one_tab_away():
    """On arrival the actions are a plain table of the short columns (no interactive grid, whose code is the
    heaviest thing a first visit would load); "Sort and search" draws the grid with every column, the same rows."""
    rows = plan(latest_period("action_plan"))
    at = open_page()
    assert not at.dataframe  # neither the list nor "What moved" is an interactive grid on arrival
    listed = next(t for t in tables(at) if "Lead" in t.columns and "Action" in t.columns)
    assert list(listed.columns) == ["Action", "Priority", "Status", "Progress", "Due", "Overdue", "Anti-racist", "Lead"]
    first = rows.sort_values("action_id").iloc[0]
    shown = listed.set_index("Action").loc[first["action_id"]]
    assert shown["Progress"] == f"{int(first['progress_pct'])}%" and shown["Lead"] == first["lead"]
    at.session_state["list"] = "Sort and search"
    at.run()
    grid = next(d.value for d in at.dataframe if "Latest update" in d.value.columns)
    assert sorted(grid["Action"]) == sorted(listed["Action"])
    assert {"What will be done", "Latest update", "Progress (%)"} <= set(grid.columns)


def test_every_action_shown_is_one_tab_away_in_full():
    """On arrival no action is written in full but those needing attention, and the page has no drop-down of its
    own (choosing one action from a drop-down fetched the heaviest code of a first visit to this page); "Read in
    full" shows every action the filters keep, in the list's order (by action), each with its own words and its
    lead's latest update."""
    rows = plan(latest_period("action_plan"))
    kept = rows[rows["priority"] == 1].sort_values("action_id")
    at = open_page(query={"priority": ["1"]})
    assert [box.key for box in at.selectbox] == ["period", "compare"]  # the sidebar's, in its popover
    assert not full_cards(at)
    at.session_state["list"] = "Read in full"
    at.run()
    assert not at.exception, at.exception
    (cards,) = full_cards(at)
    shown = [chunk.split('"', 1)[0] for chunk in cards.split('data-action="')[1:]]
    assert shown == list(kept["action_id"])
    words = html_texts(cards)
    assert words[0] == "Each action shown, in the list's order, with its lead's latest update in their own words."
    for _, row in kept.iterrows():
        assert row["action"] in words and row["update"] in words, row["action_id"]


def test_a_lead_with_markup_is_named_as_text_in_the_filters_in_use(tmp_path, monkeypatch):
    latest = latest_period("action_plan")
    data = private_fixtures(tmp_path)

    def edit(frame) -> None:
        frame.loc[frame.index[0], "lead"] = XSS

    rewrite_snapshot(data, "action_plan", latest, edit)
    monkeypatch.setenv("CPB_DATA_DIR", str(data))

    at = open_page()
    at.multiselect(key="lead").set_value([XSS]).run()
    assert f"Filters in use: Lead {XSS}." in block_texts(at)  # the line under the filter button, as typed
    sent = "".join(block.proto.body for block in at.get("html"))
    assert "<img src=x" not in sent and "<b>Filters in use:</b> Lead &lt;img src=x onerror=alert(1)&gt;" in sent


def test_a_link_opens_the_list_on_the_tab_it_names():
    """The open tab of each list is in the address (?list=..., ?ar_list=... for the anti-racist commitments), so a
    director's link opens the list as they saw it."""
    at = open_page(query={"priority": ["1"], "list": "Read in full"})
    (cards,) = full_cards(at)
    assert 'data-action="' in cards
    assert not at.dataframe
    at = open_page(query={"ar_list": "Sort and search"})
    assert [d for d in at.dataframe if "Latest update" in d.value.columns]
    assert not full_cards(at)


@pytest.mark.parametrize("value", ["nonsense", "<img src=x onerror=alert(1)>", "", "read in full"])
def test_a_link_naming_no_tab_opens_the_plain_list(value):
    """An address edited by hand or by an attacker: the list opens on its first tab, nothing else changes."""
    at = open_page(query={"list": value})
    assert not full_cards(at) and not at.dataframe
    assert next(t for t in tables(at) if "Lead" in t.columns and "Action" in t.columns) is not None

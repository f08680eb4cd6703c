"""Teams publish their areas at different times: one team publishing a new quarter must never blank another
team's figures (councillors' issue, item 1). Through the real publish path, then the pages as a visitor sees them."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest

from cpb_dash.store import open_store
from tests.app.conftest import app_test, markdown_text, overview_figures
from tests.app.page_helpers import page_test, snapshot, tables, total
from tests.conftest import FIXTURES

LATEST, NEW = "2025-09-30", "2025-12-31"  # the sample data's latest quarter for every area, and the next one


@pytest.fixture
def care_published_first(tmp_path, monkeypatch):
    """A private copy of the sample data where only the care population team has published 2025-26 Q3."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES, root)
    frame = snapshot("care_population", LATEST, root)
    frame["period_end"] = pd.Timestamp(NEW)
    frame.loc[(frame["measure"] == "cla") & (frame["breakdown_topic"] == "Total"), "value"] += 0  # same figures
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    open_store(root).publish(buffer.getvalue(), "care_population", None, "care-q3.parquet", "test@hackney.gov.uk")
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    return root


def test_the_overview_opens_on_the_new_quarter_and_every_other_area_shows_its_latest(care_published_first):
    at = app_test("app.py").run()
    assert not at.exception
    assert at.selectbox(key="period").value == NEW
    metrics = overview_figures(at)
    # Workforce and placement stability still show their 2025-26 Q2 figures, not "x" or "no figure".
    workforce = snapshot("workforce", LATEST, care_published_first)
    leavers, inpost = total(workforce, "leavers_fte_12m"), total(workforce, "inpost_fte")
    assert metrics["Turnover"] not in {"x", ":", "c"}
    assert abs(float(metrics["Turnover"].rstrip("%")) - leavers / inpost * 100) < 0.06
    text = markdown_text(at)
    assert text.count("Latest published: 2025-26 Q2") >= 3  # placement stability, workforce, action plan
    assert "no figure" not in " ".join(metrics.values()) and "no figure" not in text
    assert "Actions complete" in metrics  # the action plan summary is still there
    assert not any("No action plan update" in i.value for i in at.info)


@pytest.mark.parametrize(
    "page, area_label",
    [
        ("pages/2_Placement_stability.py", "Placement stability"),
        ("pages/3_Workforce.py", "Workforce stability"),
        ("pages/4_Action_plan.py", "Children's Action Plan"),
    ],
)
def test_an_area_page_shows_its_latest_quarter_and_says_so(care_published_first, page, area_label):
    at = page_test(page).run()
    assert not at.exception
    assert at.title[0].value == area_label
    notes = [i.value for i in at.info if "Latest published" in i.value]
    assert notes == [
        "Latest published: 2025-26 Q2. The figures for 2025-26 Q3 are not published yet, so this shows the latest."
    ]
    assert "2025-26 Q2" in at.markdown[0].value or any("2025-26 Q2" in m.value for m in at.markdown)
    assert not any("choose a later quarter" in i.value.lower() for i in at.info)
    if page.endswith("Action_plan.py"):
        assert any("Lead" in t.columns for t in tables(at))  # the actions are listed


def test_the_care_population_page_shows_the_new_quarter_without_a_note(care_published_first):
    at = page_test("pages/1_Care_population.py").run()
    assert not at.exception
    assert "2025-26 Q3" in at.markdown[0].value
    assert not [i for i in at.info if "Latest published" in i.value]


def test_the_board_pack_for_the_new_quarter_keeps_every_areas_latest_figures(care_published_first):
    import datetime as dt

    from cpb_dash import catalogue, pack, views
    from cpb_dash.store import Store

    bundle = views.build_bundle(Store(care_published_first), catalogue.SUPPRESSION_THRESHOLD)
    markup = pack.build_pack(bundle, dt.date.fromisoformat(NEW))
    assert markup.count("Latest published: 2025-26 Q2") >= 3
    workforce = snapshot("workforce", LATEST, care_published_first)
    turnover = total(workforce, "leavers_fte_12m") / total(workforce, "inpost_fte") * 100
    assert f"{turnover:.1f}%" in markup or f"{turnover + 0.05:.1f}%" in markup

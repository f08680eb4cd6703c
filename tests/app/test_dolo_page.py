"""Children deprived of their liberty on the Care population page: before April 2026 (the sample data) a note says
when the first figure comes; after an officer imports a 2026-27 return with its DoLo table, the card shows the
count worked out by hand from the return, and no child's identifier reaches the page."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cpb_dash.intake.import903 import check_903, publish_903
from cpb_dash.store import Store
from tests.app.conftest import card_figures
from tests.app.page_helpers import page_test, private_fixtures, text_of
from tests.test_derive903_rules import ep
from tests.test_intake_dolo import BORN, CHILDREN, DOLOS_2026, EPISODES_2026, upload

PAGE = "pages/1_Care_population.py"


def test_before_dolos_were_recorded_the_page_says_when_the_first_figure_comes():
    at = page_test(PAGE).run()
    assert not at.exception
    text = text_of(at)
    assert "Children deprived of their liberty" in text
    assert "recorded in the children looked after return from 1 April 2026" in text
    assert "the first figure is for 30 June 2026" in text
    assert "Deprived of liberty" not in card_figures(at)  # no empty card


def _import(tmp_path, monkeypatch, children, episodes, dolos) -> Store:
    root = private_fixtures(tmp_path)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    store = Store(root)
    preview = check_903(store, upload(children, episodes, dolos), today=dt.date(2026, 11, 28))
    assert preview.ret.ok
    publish_903(store, preview, by="officer@hackney.gov.uk")
    return store


def test_after_a_2026_27_return_is_imported_a_handful_of_children_shows_as_c(tmp_path, monkeypatch):
    """Four children deprived of their liberty could be named by anyone who knows them: the card shows 'c', as the
    DfE's tables show a count from 1 to 5 of a sensitive outcome; the store keeps the exact count for officers."""
    store = _import(tmp_path, monkeypatch, CHILDREN, EPISODES_2026, DOLOS_2026)
    at = page_test(PAGE, {"period": "2026-09-30"}).run()
    assert not at.exception
    assert card_figures(at)["Deprived of liberty"] == "c"
    card = next(str(b.proto.body) for b in at.get("html") if 'data-indicator="dolo_count"' in str(b.proto.body))
    assert "c means confidential: suppressed to protect a small number of children" in card
    # 30 June's three are hidden too, and no change is given that would reveal either count
    assert "Change over time: not given while this figure is hidden<" in card
    # every quarter so far is hidden: no empty chart, and a sentence saying why instead of "no figures"
    assert "deprived of their liberty by a court order up to this quarter is hidden (shown as c)" in text_of(at)
    assert not [b for b in at.get("html") if 'data-chart="dolo_count-trend"' in str(b.proto.body)]
    assert "FAKE00000" not in text_of(at)
    # By hand (tests/test_intake_dolo.py): four children looked after at 30 September 2026 had an order in force.
    published = store.read_current("care_population")
    row = published[
        (pd.to_datetime(published["period_end"]) == "2026-09-30")
        & (published["measure"] == "cla_dolo")
        & (published["breakdown_topic"] == "Total")
    ]
    assert row["value"].item() == 4


def test_above_the_threshold_the_card_shows_the_count(tmp_path, monkeypatch):
    more = [f"FAKE00001{i}" for i in range(3)]
    episodes = [*EPISODES_2026, *(ep(c, "01/01/2026", place="K2") for c in more)]
    dolos = [*DOLOS_2026, *(f"{c},{BORN},01/06/2026," for c in more)]
    _import(tmp_path, monkeypatch, CHILDREN + more, episodes, dolos)
    at = page_test(PAGE, {"period": "2026-09-30"}).run()
    assert not at.exception
    # The four counted by hand, and three more whose orders began on 1 June 2026 and are still in force.
    assert card_figures(at)["Deprived of liberty"] == "7"
    assert "FAKE0000" not in text_of(at)

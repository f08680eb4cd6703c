"""Children deprived of their liberty on the Care population page: before April 2026 (the sample data) a note says
when the first figure comes; after an officer imports a 2026-27 return with its DoLo table, the card shows the
count worked out by hand from the return, and no child's identifier reaches the page."""

from __future__ import annotations

import datetime as dt

from cpb_dash.intake.import903 import check_903, publish_903
from cpb_dash.store import Store
from tests.app.conftest import card_figures
from tests.app.page_helpers import page_test, private_fixtures, text_of
from tests.test_intake_dolo import CHILDREN, DOLOS_2026, EPISODES_2026, upload

PAGE = "pages/1_Care_population.py"


def test_before_dolos_were_recorded_the_page_says_when_the_first_figure_comes():
    at = page_test(PAGE).run()
    assert not at.exception
    text = text_of(at)
    assert "Children deprived of their liberty" in text
    assert "recorded in the children looked after return from 1 April 2026" in text
    assert "the first figure is for 30 June 2026" in text
    assert "Deprived of liberty" not in card_figures(at)  # no empty card


def test_after_a_2026_27_return_is_imported_the_card_shows_the_count(tmp_path, monkeypatch):
    root = private_fixtures(tmp_path)
    monkeypatch.setenv("CPB_DATA_DIR", str(root))
    store = Store(root)
    preview = check_903(store, upload(CHILDREN, EPISODES_2026, DOLOS_2026), today=dt.date(2026, 11, 28))
    assert preview.ret.ok
    publish_903(store, preview, by="officer@hackney.gov.uk")
    at = page_test(PAGE, {"period": "2026-09-30"}).run()
    assert not at.exception
    # By hand (tests/test_intake_dolo.py): four children looked after at 30 September 2026 had an order in force.
    assert card_figures(at)["Deprived of liberty"] == "4"
    assert "FAKE00000" not in text_of(at)

"""Every page runs in AppTest with the shared sidebar (a page that crashes is a page a councillor can't read)."""

import pytest

from cpb_dash.ui.layout import PAGES
from tests.app.conftest import app_test


@pytest.mark.parametrize("page", [p for p, _, _ in PAGES])
def test_every_page_runs_with_the_shared_sidebar(page):
    at = app_test(page).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="period").value is not None
    assert at.selectbox(key="compare").value == "England"
    assert len(at.title) >= 1


def test_the_period_chosen_is_kept_when_moving_to_another_page():
    at = app_test().run()
    at.selectbox(key="period").set_value("2024-03-31").run()
    at.switch_page("pages/2_Placement_stability.py").run()
    assert at.selectbox(key="period").value == "2024-03-31"

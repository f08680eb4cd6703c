"""Viewing can be made sign-in only by configuration (CPB_REQUIRE_SIGN_IN)."""

import pytest

from cpb_dash.auth import hash_password
from tests.app.conftest import app_test, metric_values
from tests.app.page_helpers import charts

OFFICER, PASSWORD = "officer@hackney.gov.uk", "correct horse battery staple"


@pytest.fixture
def require_sign_in(monkeypatch):
    monkeypatch.setenv("CPB_REQUIRE_SIGN_IN", "1")


@pytest.mark.parametrize("page", ["app.py", "pages/2_Placement_stability.py"])
def test_a_visitor_sees_no_figures_until_signed_in(require_sign_in, page):
    at = app_test(page)
    at.secrets["cpb"] = {"officers": {OFFICER: hash_password(PASSWORD)}}
    at.run()
    assert not at.exception
    assert len(metric_values(at)) == 0
    assert len(charts(at)) == 0
    assert at.title[0].value == "Sign in to read the dashboard"
    at.text_input(key="cpb-sign-in-email").input(OFFICER)
    at.text_input(key="cpb-sign-in-password").input(PASSWORD)
    at.button[0].click().run()
    assert len(metric_values(at)) > 0


def test_required_sign_in_without_any_configured_says_so_and_shows_nothing(require_sign_in):
    at = app_test().run()
    assert len(metric_values(at)) == 0
    assert "no sign-in is configured" in at.error[0].value


def test_without_the_setting_the_dashboard_is_open():
    assert len(metric_values(app_test().run())) > 0

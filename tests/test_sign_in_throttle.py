"""The limit on failed password sign-ins (cpb_dash.auth.SignInThrottle), on a clock the test moves."""

from __future__ import annotations

import cpb_dash.auth as auth
from cpb_dash.auth import SignInThrottle

A, B = "a@hackney.gov.uk", "b@hackney.gov.uk"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle_on(clock: Clock, **kwargs) -> SignInThrottle:
    return SignInThrottle(max_failures=5, first_delay=30, max_delay=300, forget_after=3600, clock=clock, **kwargs)


def test_four_failures_cost_nothing_the_fifth_makes_the_address_wait_thirty_seconds_and_no_other():
    clock = Clock()
    throttle = throttle_on(clock)
    for _ in range(4):
        throttle.failed(A)
        assert not throttle.locked(A)
    throttle.failed(A)
    assert throttle.locked(A) and throttle.wait_seconds(A) == 30
    assert not throttle.locked(B)
    clock.now += 29
    assert throttle.locked(A)
    clock.now += 1
    assert not throttle.locked(A)


def test_each_further_failure_doubles_the_wait_up_to_five_minutes():
    clock = Clock()
    throttle = throttle_on(clock)
    waits = []
    for _ in range(10):
        throttle.failed(A)
        waits.append(throttle.wait_seconds(A))
        clock.now += waits[-1]  # the attacker tries again the moment the wait is over
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 300, 300]


def test_a_success_clears_the_count_and_an_hour_without_failures_forgets_it():
    clock = Clock()
    throttle = throttle_on(clock)
    for _ in range(4):
        throttle.failed(A)
    throttle.succeeded(A)
    throttle.failed(A)
    assert not throttle.locked(A)  # one failure since the success
    for _ in range(4):
        throttle.failed(A)
    assert throttle.locked(A)
    clock.now += 3600
    throttle.failed(A)
    assert not throttle.locked(A)  # the earlier five are forgotten: this is the first of a new count


def test_addresses_that_are_not_accounts_are_counted_alike_and_memory_stays_bounded():
    clock = Clock()
    throttle = throttle_on(clock, max_accounts=100)
    for n in range(1000):
        throttle.failed(f"nobody{n}@example.org")
    assert len(throttle._failures) == 100
    for _ in range(5):
        throttle.failed("not-an-officer@example.org")
    assert throttle.locked("not-an-officer@example.org")


def test_the_servers_throttle_is_a_plain_module_object_not_a_streamlit_cache():
    # Streamlit's "clear cache" message empties st.cache_data and st.cache_resource for every visitor; the count of
    # failed sign-ins must not be in either (tests/browser/test_sign_in_abuse_browser.py sends that message).
    assert isinstance(auth.THROTTLE, SignInThrottle)
    import cpb_dash.ui.auth as ui_auth

    assert ui_auth.THROTTLE is auth.THROTTLE
    source = open(ui_auth.__file__, encoding="utf-8").read()
    assert "cache_resource" not in source and "cache_data" not in source

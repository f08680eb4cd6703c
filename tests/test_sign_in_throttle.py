"""The per-account limit on failed password sign-ins (cpb_dash.auth.SignInThrottle), on a clock the test moves."""

from __future__ import annotations

from cpb_dash.auth import SignInThrottle

A, B = "a@hackney.gov.uk", "b@hackney.gov.uk"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_lock_the_account_for_five_minutes_and_no_other():
    clock = Clock()
    throttle = SignInThrottle(max_failures=5, window_seconds=300, clock=clock)
    for _ in range(4):
        throttle.failed(A)
        clock.now += 10
    assert not throttle.locked(A)
    throttle.failed(A)
    assert throttle.locked(A)
    assert not throttle.locked(B)
    clock.now += 259  # 299 s after the first failure: all five are within five minutes
    assert throttle.locked(A)
    clock.now += 2  # the first failure is now over five minutes old: four remain
    assert not throttle.locked(A)


def test_the_lock_lasts_the_window_after_the_last_failures():
    clock = Clock()
    throttle = SignInThrottle(max_failures=5, window_seconds=300, clock=clock)
    for _ in range(5):
        throttle.failed(A)
    clock.now += 299
    assert throttle.locked(A)
    clock.now += 1
    assert not throttle.locked(A)


def test_a_success_clears_the_count_and_old_failures_do_not_add_up():
    clock = Clock()
    throttle = SignInThrottle(max_failures=3, window_seconds=60, clock=clock)
    throttle.failed(A)
    throttle.failed(A)
    throttle.succeeded(A)
    throttle.failed(A)
    throttle.failed(A)
    assert not throttle.locked(A)
    clock.now += 61
    throttle.failed(A)
    assert not throttle.locked(A)  # the two earlier failures are outside the window

"""The sign-in gate: officers (to publish) and, when CPB_REQUIRE_SIGN_IN is set, everyone (to view).

Two ways, both configured in .streamlit/secrets.toml (see cpb_dash/auth.py and the README): Streamlit's st.login
(OpenID Connect, e.g. Microsoft Entra ID) with an allow-list of e-mails or groups, or the embedded default of
officer accounts with scrypt-hashed passwords and a sign-in form here. Without either, the gate stays shut.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from cpb_dash.auth import (
    THROTTLE,
    SignInConfig,
    configure_throttle,
    is_officer_identity,
    needs_rehash,
    normalise_email,
    sign_in_config,
    verify_password,
)
from cpb_dash.config import settings

SESSION_KEY = "cpb_officer"  # the e-mail of the officer signed in with a password, in this browser session
FAILURES_KEY = "cpb_sign_in_failures"
MAX_FAILURES = 5  # per browser session, whatever addresses it tries
LOCKOUT_SECONDS = 300
MAX_EMAIL_LENGTH = 320  # the longest valid address; bounds what the throttle keeps per guess
log = logging.getLogger(__name__)


def _config() -> SignInConfig:
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file at all: nothing is configured
        secrets = {}
    return sign_in_config(secrets)


def _oidc_user(config: SignInConfig) -> dict | None:
    if not config.oidc_enabled or not st.user.get("is_logged_in"):
        return None
    return st.user.to_dict()


def signed_in_officer() -> str | None:
    """The signed-in officer's e-mail, or None. Draws nothing."""
    config = _config()
    if not config.configured:
        return None
    claims = _oidc_user(config)
    if claims is not None and is_officer_identity(claims, config):
        return normalise_email(claims.get("email") or claims.get("preferred_username"))
    email = st.session_state.get(SESSION_KEY)
    return email if email and email in config.officers else None


def officer_gate() -> str | None:
    """Call before drawing anything an officer only may see. Returns the officer's e-mail, or None after
    explaining (closed, or a sign-in form); the caller then draws nothing else."""
    config = _config()
    if not config.configured:
        st.info(
            "Publishing is closed on this server: officer sign-in is not configured. An administrator can set it up"
            " in .streamlit/secrets.toml (see the README, 'Sign-in')."
        )
        return None
    officer = signed_in_officer()
    if officer is not None:
        with st.sidebar:
            st.caption("Signed in as")
            st.text(officer)
            st.button("Sign out", key="cpb-sign-out", on_click=sign_out, icon=":material/logout:")
        return officer
    claims = _oidc_user(config)
    if claims is not None:
        st.error("You are signed in, but this account is not on the list of officers who may publish.")
        st.text(str(claims.get("email") or claims.get("preferred_username") or ""))
        st.button("Sign out", key="cpb-sign-out-oidc", on_click=st.logout)
        return None
    st.write("Officers sign in to publish a quarter's figures. Members and visitors can read every other page.")
    if config.oidc_enabled:
        args = (config.provider,) if config.provider else ()
        st.button(
            "Sign in with your council account",
            key="cpb-sign-in-oidc",
            on_click=st.login,
            args=args,
            type="primary",
            icon=":material/login:",
        )
    if config.officers:
        _password_form(config)
    return None


def viewer_gate() -> bool:
    """When CPB_REQUIRE_SIGN_IN is set, only a signed-in user may read the dashboard: anyone signed in through
    the council's identity provider (st.login), or an officer signed in with a password. Returns True to go on;
    otherwise it has drawn the sign-in and the caller stops."""
    config = _config()
    if _oidc_user(config) is not None or signed_in_officer() is not None:
        return True
    st.title("Sign in to read the dashboard")
    if not config.configured:
        st.error(
            "This dashboard is set to require sign-in (CPB_REQUIRE_SIGN_IN), but no sign-in is configured"
            " in .streamlit/secrets.toml, so nobody can read it. An administrator can fix this: see the"
            " README, 'Sign-in'."
        )
        return False
    st.write("The Corporate Parenting Board dashboard is for Members and council officers. Please sign in.")
    if config.oidc_enabled:
        args = (config.provider,) if config.provider else ()
        st.button(
            "Sign in with your council account",
            key="cpb-view-sign-in-oidc",
            on_click=st.login,
            args=args,
            type="primary",
            icon=":material/login:",
        )
    if config.officers:
        _password_form(config)
    return False


LOCKED_OUT = "Too many failed attempts. Wait a few minutes and try again."


def _password_form(config: SignInConfig) -> None:
    # Two limits: this browser session (whatever e-mails it tries), and each e-mail address across every session
    # (cpb_dash.auth.THROTTLE: a new session, or Streamlit's "clear cache" message, buys no more guesses).
    failures, since = st.session_state.get(FAILURES_KEY, (0, 0.0))
    if failures >= MAX_FAILURES and time.monotonic() - since < LOCKOUT_SECONDS:
        st.error(LOCKED_OUT)
        return
    with st.form("cpb-sign-in", border=True):
        st.markdown("**Sign in with an officer account**")
        email = st.text_input("E-mail", key="cpb-sign-in-email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="cpb-sign-in-password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    who = normalise_email(email)[:MAX_EMAIL_LENGTH]
    configure_throttle(settings().sign_in_backoff_seconds)
    if THROTTLE.locked(who):
        log.warning("Password sign-in refused: too many recent failures for one address")
        st.error(LOCKED_OUT)
        return
    if verify_password(password, config.officers.get(who)):
        THROTTLE.succeeded(who)
        if needs_rehash(config.officers[who]):
            log.warning(
                "An officer's password hash uses an older, cheaper scrypt cost: make a new one with"
                " `python -m cpb_dash hash-password` and replace it in secrets.toml"
            )
        st.session_state[SESSION_KEY] = who
        st.session_state.pop(FAILURES_KEY, None)
        st.rerun()
    THROTTLE.failed(who)  # every address alike, officer or not: the answer tells nothing
    st.session_state[FAILURES_KEY] = (failures + 1, time.monotonic())
    st.error("That e-mail and password do not match an officer account.")


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if _oidc_user(_config()) is not None:
        st.logout()

"""Officer sign-in, the pure part: password hashing (scrypt, per-user salt, constant-time compare), the
allow-list rules for an identity provider's claims, and the per-account limit on failed sign-ins. The Streamlit
side is cpb_dash/ui/auth.py.

Configuration lives in .streamlit/secrets.toml (never committed; see .streamlit/secrets.example.toml):

    [cpb.officers]                      # embedded default: e-mail = hash from `python -m cpb_dash hash-password`
    "officer@hackney.gov.uk" = "scrypt$16384$8$1$<salt>$<hash>"

    [cpb.oidc]                          # with st.login (an [auth] section for Microsoft Entra ID)
    allowed_emails = ["officer@hackney.gov.uk"]
    allowed_groups = ["<Entra group object id>"]
    group_claim = "groups"
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

SCHEME = "scrypt"
# scrypt cost: n=2**14, r=8, p=1 takes ~16 MB and ~50 ms: slow for an attacker, quick for one sign-in.
N, R, P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # bounds the work an anonymous visitor can ask for


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' (base64), with a fresh 16-byte salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=64 * 1024 * 1024, dklen=32)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


_DUMMY = hash_password("not a real password", salt=b"\0" * 16)


def verify_password(password: str, encoded: str | None) -> bool:
    """True when `password` matches `encoded`. Unknown users are checked against a dummy hash, so the time taken
    does not tell an attacker which e-mail addresses are officers."""
    target = encoded or _DUMMY
    try:
        scheme, n, r, p, salt, digest = target.split("$")
        if scheme != SCHEME:
            return False
        n_, r_, p_ = int(n), int(r), int(p)
        if not (2**10 <= n_ <= 2**20 and 1 <= r_ <= 32 and 1 <= p_ <= 16):
            return False  # refuse costs from a tampered file rather than burn the server
        expected = base64.b64decode(digest, validate=True)
        candidate = hashlib.scrypt(password[:MAX_PASSWORD_LENGTH].encode("utf-8"),
                                   salt=base64.b64decode(salt, validate=True), n=n_, r=r_, p=p_,
                                   maxmem=128 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, expected) and encoded is not None


def normalise_email(email: object) -> str:
    return str(email or "").strip().lower()


@dataclass(frozen=True)
class SignInConfig:
    """What secrets.toml says about officers. `configured` is False when the Upload page must stay closed."""

    officers: Mapping[str, str]  # e-mail -> password hash
    oidc_enabled: bool  # an [auth] section for st.login exists and [cpb.oidc] names who is an officer
    allowed_emails: frozenset[str]
    allowed_groups: frozenset[str]
    group_claim: str
    provider: str | None  # a named provider under [auth], e.g. "microsoft"; None for the default

    @property
    def configured(self) -> bool:
        return bool(self.officers) or self.oidc_enabled


def sign_in_config(secrets_: Mapping) -> SignInConfig:
    """Read the settings from a secrets mapping (st.secrets, or a dict in tests)."""
    cpb = secrets_.get("cpb", {}) or {}
    officers = {normalise_email(k): str(v) for k, v in (cpb.get("officers", {}) or {}).items()
                if str(v).startswith(f"{SCHEME}$")}
    oidc = cpb.get("oidc", {}) or {}
    emails = frozenset(normalise_email(e) for e in oidc.get("allowed_emails", []) or [])
    groups = frozenset(str(g) for g in oidc.get("allowed_groups", []) or [])
    has_auth = "auth" in secrets_
    return SignInConfig(
        officers=officers,
        oidc_enabled=has_auth and bool(emails or groups),
        allowed_emails=emails,
        allowed_groups=groups,
        group_claim=str(oidc.get("group_claim", "groups")),
        provider=oidc.get("provider") or None,
    )


def is_officer_identity(claims: Mapping, config: SignInConfig) -> bool:
    """An identity-provider user is an officer when their verified e-mail is allowed, or one of their groups is."""
    email = normalise_email(claims.get("email") or claims.get("preferred_username"))
    if email and email in config.allowed_emails:
        return True
    groups = claims.get(config.group_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return bool(config.allowed_groups.intersection(str(g) for g in _iterable(groups)))


def _iterable(value: object) -> Iterable:
    return value if isinstance(value, (list, tuple, set, frozenset)) else []


class SignInThrottle:
    """Failed password sign-ins per officer account, shared by every browser session of this server process, so
    opening a new session does not reset the count. After `max_failures` failures within `window_seconds` the
    account takes no password for the rest of that window, even the right one. Only officer accounts are
    counted (an e-mail that is not an account has nothing to protect), which also bounds the memory used.
    Counts live in memory: a restart clears them."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, account: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(account, []) if now - t < self.window_seconds]
        if recent:
            self._failures[account] = recent
        else:
            self._failures.pop(account, None)
        return recent

    def locked(self, account: str) -> bool:
        with self._lock:
            return len(self._recent(account, self._clock())) >= self.max_failures

    def failed(self, account: str) -> None:
        with self._lock:
            now = self._clock()
            self._failures[account] = [*self._recent(account, now), now][-self.max_failures:]

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(account, None)

"""Officer sign-in, the pure part: password hashing (scrypt, per-user salt, constant-time compare), the
allow-list rules for an identity provider's claims, and the per-account limit on failed sign-ins. The Streamlit
side is cpb_dash/ui/auth.py.

Configuration lives in .streamlit/secrets.toml (never committed; see .streamlit/secrets.example.toml):

    [cpb.officers]                      # embedded default: e-mail = hash from `python -m cpb_dash hash-password`
    "officer@hackney.gov.uk" = "scrypt$131072$8$1$<salt>$<hash>"

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
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

SCHEME = "scrypt"
# scrypt cost: the OWASP Password Storage Cheat Sheet's minimum, n=2**17, r=8, p=1: 128 MiB and a few tenths of a
# second per hash. Hashes made with smaller costs (2**14 before November 2026) still verify; `needs_rehash` tells.
N, R, P = 2**17, 8, 1
MAXMEM = 256 * 1024 * 1024
# At most two hashes at once in this process: each takes 128 MiB, and an anonymous visitor can ask for one.
_HASHING = threading.BoundedSemaphore(2)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # bounds the work an anonymous visitor can ask for


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt$hash' (base64), with a fresh 16-byte salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    with _HASHING:
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=MAXMEM, dklen=32)
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
        with _HASHING:
            candidate = hashlib.scrypt(
                password[:MAX_PASSWORD_LENGTH].encode("utf-8"),
                salt=base64.b64decode(salt, validate=True),
                n=n_,
                r=r_,
                p=p_,
                maxmem=4 * MAXMEM,
                dklen=len(expected),
            )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, expected) and encoded is not None


def needs_rehash(encoded: str) -> bool:
    """True when a stored hash was made with a lower cost than today's (N, R, P): the administrator should make a
    new one with `python -m cpb_dash hash-password`. The app cannot rewrite it: secrets.toml is the
    administrator's, read-only to the app."""
    try:
        scheme, n, r, p, _salt, _digest = encoded.split("$")
        return scheme != SCHEME or (int(n), int(r), int(p)) < (N, R, P)
    except ValueError:
        return True


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
    officers = {
        normalise_email(k): str(v)
        for k, v in (cpb.get("officers", {}) or {}).items()
        if str(v).startswith(f"{SCHEME}$")
    }
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
    """Failed password sign-ins per e-mail address, shared by every browser session of this server process.

    After `max_failures` failures, each further attempt at that address waits a back-off that doubles with every
    failure, from `first_delay` up to `max_delay` seconds; a success clears the count, and an address with no
    failure for `forget_after` seconds starts again. Two choices (hostile-input issue, item 6):
    - Every address is counted, an officer's or not, and answered alike, so the answer never tells an attacker
      which addresses are officer accounts. `max_accounts` bounds the memory (the oldest are forgotten first).
    - A back-off, not a lock: an attacker gets about a dozen guesses an hour at one address, while an officer whose
      address is under attack waits at most `max_delay` (and can still sign in through the council's identity
      provider, which this does not touch).
    It lives in this module (one per process: `THROTTLE` below), never in a Streamlit cache, which any browser can
    empty with Streamlit's "clear cache" message. A restart of the server clears it."""

    def __init__(
        self,
        max_failures: int = 5,
        first_delay: float = 30.0,
        max_delay: float = 300.0,
        forget_after: float = 3600.0,
        max_accounts: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_accounts = max_accounts
        self._clock = clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # address -> (count, last failure)
        self._lock = threading.Lock()

    def _state(self, account: str, now: float) -> tuple[int, float]:
        count, last = self._failures.get(account, (0, 0.0))
        if count and now - last >= self.forget_after:
            self._failures.pop(account, None)
            return 0, 0.0
        return count, last

    def wait_seconds(self, account: str) -> float:
        """How long before this address may try again (0 when it may try now)."""
        with self._lock:
            now = self._clock()
            count, last = self._state(account, now)
            if count < self.max_failures:
                return 0.0
            delay = min(self.max_delay, self.first_delay * 2 ** (count - self.max_failures))
            return max(0.0, last + delay - now)

    def locked(self, account: str) -> bool:
        return self.wait_seconds(account) > 0

    def failed(self, account: str) -> None:
        with self._lock:
            now = self._clock()
            count, _ = self._state(account, now)
            self._failures[account] = (count + 1, now)
            self._failures.move_to_end(account)
            while len(self._failures) > self.max_accounts:
                self._failures.popitem(last=False)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(account, None)


# The one throttle of this server process, shared by every session. The first wait is set where the process
# starts (cpb_dash.ui.auth, from CPB_SIGN_IN_BACKOFF_SECONDS); the longest is ten times it.
THROTTLE = SignInThrottle()


def configure_throttle(first_delay: float) -> None:
    THROTTLE.first_delay = first_delay
    THROTTLE.max_delay = 10 * first_delay

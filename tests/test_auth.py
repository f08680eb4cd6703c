"""Password hashes (cpb_dash.auth): today's scrypt cost is the OWASP minimum; older, cheaper hashes still verify
and are reported as needing a new hash; tampered costs are refused."""

from __future__ import annotations

import base64
import hashlib

from cpb_dash.auth import hash_password, needs_rehash, verify_password


def _scrypt_entry(password: str, n: int, r: int = 8, p: int = 1) -> str:
    salt = b"fake-salt-16byte"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=512 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_new_hashes_use_the_owasp_minimum_cost():
    # OWASP Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8, p = 1 at least.
    scheme, n, r, p, _, _ = hash_password("a long enough password").split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 131072, 8, 1)


def test_a_hash_from_the_older_cost_still_signs_in_and_is_reported_for_rehashing():
    old = _scrypt_entry("correct horse battery staple", n=2**14)
    assert verify_password("correct horse battery staple", old)
    assert not verify_password("wrong horse battery staple", old)
    assert needs_rehash(old)
    assert not needs_rehash(hash_password("correct horse battery staple"))


def test_costs_from_a_tampered_file_are_refused_rather_than_run():
    assert not verify_password("x", _scrypt_entry("x", n=2**4))  # too cheap to be ours
    assert not verify_password("x", "scrypt$4194304$8$1$AAAA$AAAA")  # 4 GiB: would burn the server
    assert needs_rehash("not a hash")

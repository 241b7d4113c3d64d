"""Secrets a browser holds (a staff session, an applicant's draft): what is stored of them, and
how they are compared. The database keeps only a token's SHA-256, so a copy of it opens nothing."""

from __future__ import annotations

import hashlib
import hmac


def token_hash(token: str) -> str:
    """What is stored of a random token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(expected: str, given: str | None) -> bool:
    """Compare a secret in constant time (a CSRF token, a login form token)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())

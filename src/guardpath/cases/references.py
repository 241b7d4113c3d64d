"""A case's reference and an applicant's resume code: random, made without the database or the
keys, by the submission and the roster import alike."""

from __future__ import annotations

import secrets

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I: read aloud or copied by hand without doubt."""


def new_reference() -> str:
    """A new case reference, GP- and ten letters: 256 is a multiple of the 32 letters, so each
    random byte picks each letter as often (the roster import makes thousands at a time)."""
    return "GP-" + "".join(REFERENCE_ALPHABET[b % 32] for b in secrets.token_bytes(10))


def new_resume_code() -> str:
    """A secret the applicant keeps to see their application: about 80 bits of entropy."""
    return "-".join("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4)) for _ in range(4))

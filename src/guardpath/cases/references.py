"""A case's public reference and an applicant's resume code: made at random, without the
database or the keys, by the submission and the roster import alike; read as an applicant types
them; and the code kept as the database keeps it, a keyed HMAC under the index key, in a domain
of its own."""

from __future__ import annotations

import secrets
from typing import Protocol

HMAC_PREFIX = "hmac-sha256:"
RESUME_CODE_KIND = "resume_code"
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I: read aloud or copied by hand without doubt."""


class BlindIndex(Protocol):
    """The keys' keyed index (guardpath.adapters.crypto.Keyring is one)."""

    def blind_index(self, kind: str, value: str) -> str: ...


def normalise_reference(reference: str) -> str:
    return reference.strip().upper()


def normalise_code(code: str) -> str:
    """Codes are shown as XXXX-XXXX-XXXX-XXXX; spaces, case and missing dashes are forgiven."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(letters) != 16:
        return code.strip().upper()
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def hash_resume_code(keys: BlindIndex, code: str) -> str:
    """What is stored of a resume code (given in its shown form, XXXX-XXXX-XXXX-XXXX)."""
    return HMAC_PREFIX + keys.blind_index(RESUME_CODE_KIND, code)


def new_reference() -> str:
    """A new case reference, GP- and ten letters: 256 is a multiple of the 32 letters, so each
    random byte picks each letter as often (the roster import makes thousands at a time)."""
    return "GP-" + "".join(REFERENCE_ALPHABET[b % 32] for b in secrets.token_bytes(10))


def new_resume_code() -> str:
    """A secret the applicant keeps to see their application: about 80 bits of entropy."""
    return "-".join("".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4)) for _ in range(4))

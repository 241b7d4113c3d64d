"""A case's public reference and its resume code, as an applicant types them and as the
database keeps the code: a keyed HMAC under the index key, in a domain of its own."""

from __future__ import annotations

from typing import Protocol

HMAC_PREFIX = "hmac-sha256:"
RESUME_CODE_KIND = "resume_code"


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

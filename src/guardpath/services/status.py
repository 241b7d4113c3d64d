"""An applicant looks up their application with its reference and the secret resume code.

A wrong code and an unknown reference give the same answer, and take about as long (an unknown
reference is compared with a dummy hash), so no one can tell a real reference from a wrong
code. Guesses are throttled per client, and per reference and client, in the database
(`guardpath.services.limits`): no one can lock the rightful applicant out of their own
application by guessing wrong on purpose.

The code is a random secret of 80 bits, not a password: it is kept as a keyed HMAC-SHA256
(under the index key, in a domain of its own), which costs microseconds and cannot be tested
offline without the key. Codes issued before that were kept as Argon2 hashes; those still open
their applications, at Argon2's cost.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from guardpath.cases.model import State
from guardpath.cases.references import HMAC_PREFIX as HMAC_PREFIX
from guardpath.cases.references import BlindIndex, normalise_code, normalise_reference
from guardpath.cases.references import hash_resume_code as hash_resume_code
from guardpath.cases.transitions import NotFound
from guardpath.services.hashing import bounded_hashing
from guardpath.services.limits import (
    STATUS_GUESSES_PER_CLIENT,
    STATUS_GUESSES_PER_REFERENCE,
    give_back,
    subject,
    take,
)
from guardpath.services.ports import Ports

HASHER = PasswordHasher()
"""Verifies the Argon2 hashes of codes issued before they were kept as HMACs."""
ARGON2_PREFIX = "$argon2"


class NoSuchApplication(NotFound):
    """The reference and the code do not open an application (whichever of them is wrong)."""


@dataclass(frozen=True)
class Step:
    at: datetime
    state: State


@dataclass(frozen=True)
class ApplicationStatus:
    reference: str
    state: State
    submitted_on: date | None
    history: tuple[Step, ...]


UNKNOWN = HMAC_PREFIX + "0" * 64
"""Compared with for an unknown reference; no code hashes to it."""


def resume_code_matches(keyring: BlindIndex, stored: str | None, code: str) -> bool:
    """Whether `code` opens the application whose stored hash is `stored` (None: no such
    application, which still costs one comparison)."""
    if stored is not None and stored.startswith(ARGON2_PREFIX):
        return _argon2_matches(stored, code)
    expected = hash_resume_code(keyring, code)
    return hmac.compare_digest(stored or UNKNOWN, expected) and stored is not None


def _argon2_matches(stored: str, code: str) -> bool:
    try:
        with bounded_hashing():
            return HASHER.verify(stored, code)
    except (VerificationError, InvalidHashError):
        return False


def view_application_status(
    ctx: Ports, reference: str, code: str | None, client: str
) -> ApplicationStatus:
    """The application's state and history, for whoever holds its reference and resume code.
    Raises NoSuchApplication (the same for any wrong part) or TooMany (guessing)."""
    reference = normalise_reference(reference)[:64]
    # Reserved before the check, so guesses sent at once cannot all slip under the limit.
    reserved = take(
        ctx,
        (STATUS_GUESSES_PER_CLIENT, client),
        (STATUS_GUESSES_PER_REFERENCE, subject(reference, client)),
    )
    # A read: it takes no write lock, so it goes on while a backup or an import writes.
    with ctx.reading() as uow:
        # The history only: the person's identity is not opened for this page.
        found = uow.statuses.of(reference)
    # Always one comparison, outside the transaction: a dummy one for an unknown reference.
    stored = found.resume_code_hash if found else None
    matches = resume_code_matches(ctx.keyring, stored, normalise_code((code or "")[:64]))
    if found is None or not matches:
        raise NoSuchApplication("no application with this reference and resume code")
    give_back(ctx, reserved, forget=(STATUS_GUESSES_PER_REFERENCE,))
    history = tuple(Step(at, state) for at, state in found.steps)
    return ApplicationStatus(reference, found.state, found.submitted_on, history)

"""An applicant looks up their application with its reference and the secret resume code.

A wrong code and an unknown reference give the same answer, and take about as long (an unknown
reference is compared with a dummy hash), so no one can tell a real reference from a wrong
code. Failed guesses are throttled per reference and per client.

The code is a random secret of 80 bits, not a password: it is kept as a keyed HMAC-SHA256
(under the index key, in a domain of its own), which costs microseconds and cannot be tested
offline without the key. Codes issued before that were kept as Argon2 hashes; those still open
their applications, at Argon2's cost.
"""

from __future__ import annotations

import hmac
import math
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.tables import cases
from guardpath.bootstrap import Context
from guardpath.cases.model import State
from guardpath.cases.transitions import NotFound
from guardpath.services.unit_of_work import UnitOfWork

HASHER = PasswordHasher()
"""Verifies the Argon2 hashes of codes issued before they were kept as HMACs."""
ARGON2_PREFIX = "$argon2"
HMAC_PREFIX = "hmac-sha256:"
RESUME_CODE_KIND = "resume_code"
WINDOW = timedelta(minutes=15)
FAILURES_PER_REFERENCE = 5
FAILURES_PER_CLIENT = 30
"""Generous: clients behind one address (a unit's network, a proxy) share this limit."""
MAX_TRACKED_KEYS = 100_000


class TooManyAttempts(Exception):
    """Too many failed guesses; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed attempts; try again in {retry_after} seconds")
        self.retry_after = retry_after


class NoSuchApplication(NotFound):
    """The reference and the code do not open an application (whichever of them is wrong)."""


@dataclass
class Throttle:
    """Failed guesses in a sliding window, in memory (one per application process)."""

    window: timedelta = WINDOW
    per_reference: int = FAILURES_PER_REFERENCE
    per_client: int = FAILURES_PER_CLIENT
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, reference: str, client: str, now: datetime) -> int | None:
        """Seconds to wait if either key is over its limit, else None."""
        waits = [
            self._wait(f"ref:{reference}", self.per_reference, now),
            self._wait(f"client:{client}", self.per_client, now),
        ]
        found = [w for w in waits if w is not None]
        return max(found) if found else None

    def fail(self, reference: str, client: str, now: datetime) -> None:
        with self._lock:
            if len(self._failures) > MAX_TRACKED_KEYS:
                self._prune(now)
            for key in (f"ref:{reference}", f"client:{client}"):
                self._failures.setdefault(key, deque()).append(now)

    def _wait(self, key: str, limit: int, now: datetime) -> int | None:
        with self._lock:
            times = self._failures.get(key)
            if times is None:
                return None
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) < limit:
                return None
            oldest = times[-limit]
        return max(1, math.ceil((oldest + self.window - now).total_seconds()))

    def _prune(self, now: datetime) -> None:
        for key in [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window]:
            del self._failures[key]


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


def normalise_reference(reference: str) -> str:
    return reference.strip().upper()


def normalise_code(code: str) -> str:
    """Codes are shown as XXXX-XXXX-XXXX-XXXX; spaces, case and missing dashes are forgiven."""
    letters = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(letters) != 16:
        return code.strip().upper()
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back without their zone; every time guardpath writes is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hash_resume_code(keyring: Keyring, code: str) -> str:
    """What is stored of a resume code (given in its shown form, XXXX-XXXX-XXXX-XXXX)."""
    return HMAC_PREFIX + keyring.blind_index(RESUME_CODE_KIND, code)


UNKNOWN = HMAC_PREFIX + "0" * 64
"""Compared with for an unknown reference; no code hashes to it."""


def resume_code_matches(keyring: Keyring, stored: str | None, code: str) -> bool:
    """Whether `code` opens the application whose stored hash is `stored` (None: no such
    application, which still costs one comparison)."""
    if stored is not None and stored.startswith(ARGON2_PREFIX):
        return _argon2_matches(stored, code)
    expected = hash_resume_code(keyring, code)
    return hmac.compare_digest(stored or UNKNOWN, expected) and stored is not None


def _argon2_matches(stored: str, code: str) -> bool:
    try:
        return HASHER.verify(stored, code)
    except (VerificationError, InvalidHashError):
        return False


def view_application_status(
    ctx: Context, throttle: Throttle, reference: str, code: str | None, client: str
) -> ApplicationStatus:
    """The application's state and history, for whoever holds its reference and resume code.
    Raises NoSuchApplication (the same for any wrong part) or TooManyAttempts."""
    reference = normalise_reference(reference)
    now = ctx.clock()
    wait = throttle.retry_after(reference, client, now)
    if wait is not None:
        raise TooManyAttempts(wait)
    c = cases.c
    with UnitOfWork(ctx) as uow:
        row = uow.conn.execute(
            select(c.id, c.state, c.submitted_on, c.resume_code_hash).where(
                c.reference == reference
            )
        ).first()
        # The history only: the person's identity is not opened for this page.
        entries = uow.cases.history(row.id) if row else []
        history = tuple(Step(_aware(e.at), e.to_state) for e in entries)
    # Always one comparison, outside the transaction: a dummy one for an unknown reference.
    stored = row.resume_code_hash if row else None
    matches = resume_code_matches(ctx.keyring, stored, normalise_code((code or "")[:64]))
    if row is None or not matches:
        throttle.fail(reference, client, now)
        raise NoSuchApplication("no application with this reference and resume code")
    return ApplicationStatus(reference, State(row.state), row.submitted_on, history)

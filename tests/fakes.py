"""A unit of work in memory, for testing case steps without a database.

`Context(units=MemoryWork.maker(store))` makes the case steps (services/cases) and the drafts
(services/drafts) work on `store`: cases and drafts as plain objects, committed by copying, with
a version check like the repository's. What
it cannot show (sealing, SQL, the chain's MACs, two connections racing) the real-database tests
in tests/cases/ and tests/reliability/ show.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from fakes_screening import MemoryScreening, MemorySubmissions
from guardpath.adapters.audit import Entry
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.drafts import Draft
from guardpath.adapters.sessions import StoredSession
from guardpath.adapters.staff import StaffAccount
from guardpath.bootstrap import Context
from guardpath.cases.model import (
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
)
from guardpath.cases.transitions import Conflict, NotFound
from guardpath.law.loader import default_legislation
from guardpath.settings import load_settings


@dataclass
class MemoryStore:
    """What a database would hold: the cases, and the audit entries in order."""

    cases: dict[str, Case] = field(default_factory=dict)
    audit: list[Entry] = field(default_factory=list)
    commits: int = 0
    drafts: dict[str, Draft] = field(default_factory=dict)
    draft_tokens: dict[str, str] = field(default_factory=dict)
    """The draft's id by its token's hash."""
    limits: dict[tuple[str, str, int], tuple[int, int]] = field(default_factory=dict)
    """The rate limits' counters: (rule, subject, window) -> (hits, expires)."""
    staff: dict[str, StaffAccount] = field(default_factory=dict)
    """Staff accounts by username; the TOTP secret kept as its bytes (nothing is sealed here)."""
    sessions: dict[str, StoredSession] = field(default_factory=dict)
    """Staff sessions by their tokens' hashes."""
    keys: dict[str, set[str]] = field(default_factory=dict)
    """Each person's blocking keys (blind indexes), by person id."""
    reviews: dict[tuple[str, str], bool] = field(default_factory=dict)


class MemoryCases:
    """The case store of one unit of work: a copy of the store's cases, changed in place."""

    def __init__(self, cases: dict[str, Case]) -> None:
        self.cases = cases

    def add(self, case: Case, at: datetime, resume_code_hash: str | None = None) -> None:
        if case.id in self.cases:
            raise Conflict(f"case {case.id} exists")
        self.cases[case.id] = deepcopy(replace(case, created_at=at))

    def get(self, case_id: str) -> Case:
        if case_id not in self.cases:
            raise NotFound(f"no case {case_id}")
        return deepcopy(self.cases[case_id])

    def save(self, case: Case, expected_version: int, at: datetime) -> None:
        stored = self.cases.get(case.id)
        if stored is None or stored.version != expected_version:
            raise Conflict(f"case {case.reference} was changed by someone else")
        case.version = expected_version + 1
        kept = deepcopy(case)
        kept.history = stored.history
        kept.contract, kept.citizenship = stored.contract, stored.citizenship
        kept.service_periods = stored.service_periods
        self.cases[case.id] = kept

    def next_history_seq(self, case_id: str) -> int:
        return len(self.cases[case_id].history) + 1

    def append_history(self, case_id: str, entry: HistoryEntry) -> None:
        self.cases[case_id].history.append(deepcopy(entry))

    def save_contract(self, case_id: str, contract: Contract) -> None:
        self.cases[case_id].contract = deepcopy(contract)

    def add_service_period(self, case_id: str, period: ServicePeriod) -> None:
        self.cases[case_id].service_periods.append(deepcopy(period))

    def end_service_period(self, case_id: str, end: date) -> None:
        self.cases[case_id].service_periods[-1].end = end

    def save_citizenship(self, case_id: str, application: CitizenshipApplication) -> None:
        self.cases[case_id].citizenship = deepcopy(application)

    def all_case_ids(self) -> list[str]:
        return sorted(self.cases)


class MemoryDrafts:
    """The drafts of one unit of work (no documents: none are uploaded in memory)."""

    def __init__(self, drafts: dict[str, Draft], tokens: dict[str, str]) -> None:
        self.drafts, self.tokens = drafts, tokens

    def add(self, draft: Draft, token_hash: str, at: datetime) -> None:
        self.drafts[draft.id] = deepcopy(draft)
        self.tokens[token_hash] = draft.id

    def find(self, token_hash: str) -> Draft | None:
        found = self.drafts.get(self.tokens.get(token_hash, ""))
        return deepcopy(found)

    def save(self, draft: Draft, at: datetime) -> None:
        if draft.id in self.drafts:
            self.drafts[draft.id] = deepcopy(draft)

    def set_step(self, draft_id: str, step: str, unless: str | None = None) -> bool:
        draft = self.drafts.get(draft_id)
        if draft is None or (unless is not None and draft.step == unless):
            return False
        self.drafts[draft_id] = replace(draft, step=step)
        return True

    def remove(self, draft_id: str) -> None:
        self.drafts.pop(draft_id, None)
        for token, kept in list(self.tokens.items()):
            if kept == draft_id:
                del self.tokens[token]

    def purge(self, now: datetime) -> int:
        expired = [key for key, draft in self.drafts.items() if draft.expires_at <= now]
        for key in expired:
            self.remove(key)
        return len(expired)

    def move_documents(self, draft_id: str, case_id: str) -> int:
        return 0


class MemoryLimits:
    """The counters of the limits in one unit of work (adapters.limits' `LimitCounters`)."""

    def __init__(self, counters: dict[tuple[str, str, int], tuple[int, int]]) -> None:
        self.counters = counters

    def hit(self, rule: str, subject: str, window: int, expires: int) -> int:
        hits, _ = self.counters.get((rule, subject, window), (0, expires))
        self.counters[(rule, subject, window)] = (hits + 1, expires)
        return hits + 1

    def hits(self, rule: str, subject: str, window: int) -> int:
        return self.counters.get((rule, subject, window), (0, 0))[0]

    def give_back(self, rule: str, subject: str, window: int) -> None:
        hits, expires = self.counters.get((rule, subject, window), (0, 0))
        if hits > 0:
            self.counters[(rule, subject, window)] = (hits - 1, expires)

    def clear(self, rule: str, subject: str) -> None:
        for key in [k for k in self.counters if k[:2] == (rule, subject)]:
            del self.counters[key]

    def purge(self, now: int) -> int:
        over = [k for k, (_, expires) in self.counters.items() if expires <= now]
        for key in over:
            del self.counters[key]
        return len(over)


class MemoryStaff:
    """Staff accounts in one unit of work (adapters.staff's `StaffRepository`)."""

    def __init__(self, accounts: dict[str, StaffAccount]) -> None:
        self.accounts = accounts

    def _named(self, user_id: str) -> str:
        return next(name for name, a in self.accounts.items() if a.id == user_id)

    def _change(self, user_id: str, **changes: Any) -> None:
        name = self._named(user_id)
        self.accounts[name] = replace(self.accounts[name], **changes)

    def add(
        self, user_id: str, username: str, role: str, password_hash: str, totp_secret: str, at: Any
    ) -> None:
        secret = totp_secret.encode()
        self.accounts[username] = StaffAccount(
            user_id, username, role, password_hash, secret, 0, None, None, None
        )

    def by_username(self, username: str, lock: bool = False) -> StaffAccount | None:
        return self.accounts.get(username)

    def secret(self, account: StaffAccount) -> str:
        return account.totp_sealed.decode()

    def replace_secret(self, user_id: str, secret: str) -> None:
        self._change(user_id, totp_sealed=secret.encode())

    def count_failure(self, user_id: str, failures: int) -> None:
        self._change(user_id, failed_logins=failures)

    def logged_in(self, user_id: str, step: int, at: datetime, new_hash: str | None) -> None:
        self._change(user_id, failed_logins=0, locked_until=None, last_totp_step=step)
        if new_hash is not None:
            self._change(user_id, password_hash=new_hash)

    def set_disabled(self, user_id: str, at: datetime | None) -> None:
        self._change(user_id, disabled_at=at)

    def usernames(self, user_ids: Any) -> dict[str, str]:
        return {a.id: a.username for a in self.accounts.values() if a.id in set(user_ids)}

    def enabled_secrets(self) -> list[tuple[str, str]]:
        return [(a.username, self.secret(a)) for a in self.accounts.values() if not a.disabled_at]


class MemorySessions:
    """Staff sessions in one unit of work (adapters.sessions' `SessionRepository`); a session
    shows its account as it is now, as the database's join does."""

    def __init__(self, sessions: dict[str, StoredSession], staff: MemoryStaff) -> None:
        self.sessions = sessions
        self.staff = staff

    def start(self, key: str, user_id: str, csrf: str, at: datetime, expires_at: datetime) -> None:
        account = self.staff.accounts[self.staff._named(user_id)]
        self.sessions[key] = StoredSession(
            user_id, account.username, account.role, csrf, expires_at, at, None, None
        )

    def find(self, key: str) -> StoredSession | None:
        found = self.sessions.get(key)
        if found is None:
            return None
        account = self.staff.accounts[self.staff._named(found.user_id)]
        return replace(found, disabled_at=account.disabled_at, locked_until=account.locked_until)

    def seen(self, key: str, at: datetime) -> None:
        self.sessions[key] = replace(self.sessions[key], last_seen_at=at)

    def end(self, key: str) -> None:
        self.sessions.pop(key, None)

    def end_all_of(self, user_id: str) -> int:
        ended = [k for k, s in self.sessions.items() if s.user_id == user_id]
        for key in ended:
            del self.sessions[key]
        return len(ended)


class MemoryWork:
    """The `Work` port (services/unit_of_work.py) over a `MemoryStore`: all or nothing."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    @staticmethod
    def maker(store: MemoryStore) -> Callable[[Any], MemoryWork]:
        """For `Context(units=...)`: each unit of work on the same store."""
        return lambda _ctx: MemoryWork(store)

    @property
    def cases(self) -> MemoryCases:
        return self._cases

    @property
    def drafts(self) -> MemoryDrafts:
        return self._drafts

    @property
    def limits(self) -> MemoryLimits:
        return self._limits

    @property
    def staff(self) -> MemoryStaff:
        return self._staff

    @property
    def sessions(self) -> MemorySessions:
        return self._sessions

    @property
    def submissions(self) -> MemorySubmissions:
        return MemorySubmissions(self._cases.cases, self._keys)

    @property
    def screening(self) -> MemoryScreening:
        return MemoryScreening(self._cases.cases, self._keys, self._reviews)

    def __enter__(self) -> MemoryWork:
        self._cases = MemoryCases(deepcopy(self.store.cases))
        self._drafts = MemoryDrafts(deepcopy(self.store.drafts), dict(self.store.draft_tokens))
        self._limits = MemoryLimits(dict(self.store.limits))
        self._staff = MemoryStaff(dict(self.store.staff))
        self._sessions = MemorySessions(dict(self.store.sessions), self._staff)
        self._keys = deepcopy(self.store.keys)
        self._reviews = dict(self.store.reviews)
        self._entries: list[Entry] = []
        return self

    def audit(self, entry: Entry) -> None:
        self._entries.append(entry)

    def commit(self) -> None:
        self.store.cases = deepcopy(self._cases.cases)
        self.store.drafts = deepcopy(self._drafts.drafts)
        self.store.draft_tokens = dict(self._drafts.tokens)
        self.store.limits = dict(self._limits.counters)
        self.store.staff = dict(self._staff.accounts)
        self.store.sessions = dict(self._sessions.sessions)
        self.store.keys = deepcopy(self._keys)
        self.store.reviews = dict(self._reviews)
        self.store.audit += self._entries
        self._entries = []
        self.store.commits += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._entries = []


@dataclass
class Clock:
    """A clock a test sets by hand."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 3, 10, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


def memory_context(
    store: MemoryStore,
    data_dir: Path,
    clock: Callable[[], datetime],
    *,
    keys: bool = True,
    law: bool = True,
) -> Context:
    """A context on `store` with no engine (a step that reached for the database would fail),
    and, when asked, no keys or no law either."""
    nothing: Any = None
    return Context(
        load_settings(data_dir=data_dir),
        nothing,
        Keyring.generate() if keys else nothing,
        default_legislation() if law else nothing,
        clock=clock,
        units=MemoryWork.maker(store),
    )

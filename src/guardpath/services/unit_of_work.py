"""The unit of work as the services see it: one transaction, with the case store and the audit
chain, committed once. `Work` is the port; the database's one is adapters/unit_of_work.py, and
the tests have one in memory (tests/fakes.py), so case steps can be tested without a database.
`Context.unit_of_work()` gives the one the composition root chose."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from guardpath.adapters.audit import Entry
from guardpath.adapters.drafts import Draft
from guardpath.adapters.rosters import MemberRows, NewMember
from guardpath.cases.model import (
    Actor,
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
    State,
)

if TYPE_CHECKING:
    from guardpath.services.stores import (
        CaseListStore,
        DocumentStore,
        LimitStore,
        PersonSearchStore,
        SessionStore,
        StaffStore,
        StatusStore,
    )


class CaseStore(Protocol):
    """The cases of one transaction, as the case steps use them (adapters.repository's
    `CaseRepository` is the database's)."""

    def add(self, case: Case, at: datetime, resume_code_hash: str | None = None) -> None: ...
    def get(self, case_id: str) -> Case: ...
    def person_ids_by_passport(self, number: str) -> list[str]: ...
    def save(self, case: Case, expected_version: int, at: datetime) -> None: ...
    def next_history_seq(self, case_id: str) -> int: ...
    def append_history(self, case_id: str, entry: HistoryEntry) -> None: ...
    def save_contract(self, case_id: str, contract: Contract) -> None: ...
    def add_service_period(self, case_id: str, period: ServicePeriod) -> None: ...
    def end_service_period(self, case_id: str, end: date) -> None: ...
    def save_citizenship(self, case_id: str, application: CitizenshipApplication) -> None: ...
    def all_case_ids(self) -> list[str]:
        """Every case, in a stable order (for aggregate impact; nothing is shown per case)."""
        ...


class RosterStore(Protocol):
    """The unit rosters of one transaction (adapters.rosters' `RosterRepository`)."""

    def known_passports(self, indexes: list[str]) -> set[str]: ...
    def add(
        self, rows: MemberRows, member: NewMember, actor: Actor, at: datetime, law_version: str
    ) -> None: ...
    def write(self, rows: MemberRows) -> None: ...
    def members(self, states: Sequence[State]) -> list[dict[str, Any]]: ...


class DraftStore(Protocol):
    """The drafts of one transaction (adapters.drafts' `DraftRepository` is the database's)."""

    def add(self, draft: Draft, token_hash: str, at: datetime) -> None: ...
    def find(self, token_hash: str) -> Draft | None: ...
    def save(self, draft: Draft, at: datetime) -> None: ...
    def set_step(self, draft_id: str, step: str, unless: str | None = None) -> bool: ...
    def remove(self, draft_id: str) -> None: ...
    def purge(self, now: datetime) -> int: ...
    def move_documents(self, draft_id: str, case_id: str) -> int: ...


class Work(Protocol):
    """One transaction: nothing it wrote is kept unless `commit` is called inside the block."""

    @property
    def cases(self) -> CaseStore: ...
    @property
    def rosters(self) -> RosterStore:
        """The unit rosters: members checked, written in bulk and read for export."""
        ...

    @property
    def drafts(self) -> DraftStore:
        """Applications in progress, sealed, with the documents uploaded with them."""
        ...

    @property
    def case_lists(self) -> CaseListStore:
        """Cases as the console lists them, naming no one."""
        ...

    @property
    def statuses(self) -> StatusStore:
        """A case's state and history as its applicant sees them, the person left sealed."""
        ...

    @property
    def person_search(self) -> PersonSearchStore:
        """People found by part of a name, names left sealed."""
        ...

    @property
    def documents(self) -> DocumentStore:
        """Uploaded documents, sealed, with their draft or their case."""
        ...

    @property
    def staff(self) -> StaffStore:
        """Staff accounts."""
        ...

    @property
    def sessions(self) -> SessionStore:
        """Staff sessions, by their tokens' hashes."""
        ...

    @property
    def limits(self) -> LimitStore:
        """The counters of the rate limits and throttles."""
        ...

    def audit(self, entry: Entry) -> int: ...
    def commit(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

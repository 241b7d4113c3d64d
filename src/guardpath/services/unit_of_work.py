"""The unit of work as the services see it: one transaction, with the case store and the audit
chain, committed once. `Work` is the port; the database's one is adapters/unit_of_work.py, and
the tests have one in memory (tests/fakes.py), so case steps can be tested without a database.
`Context.unit_of_work()` gives the one the composition root chose."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from guardpath.adapters.audit import Entry
from guardpath.adapters.drafts import Draft
from guardpath.adapters.rosters import MemberRows, NewMember
from guardpath.adapters.screening import CaseRef, Someone
from guardpath.adapters.submissions import SealedSubmission
from guardpath.cases.model import (
    Actor,
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
    State,
)
from guardpath.screening.score import Identity

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


class ScreeningStore(Protocol):
    """The screening tables as the duplicate search uses them (adapters.screening's
    `ScreeningRepository` is the database's)."""

    def add_keys(self, person_id: str, hashes: Collection[str]) -> None: ...
    def replace_keys(self, person_id: str, hashes: Collection[str]) -> None: ...
    def clear_keys(self) -> None: ...
    def insert_keys(self, rows: Iterable[tuple[str, str]]) -> None: ...
    def all_keys(self) -> Iterator[tuple[str, str]]: ...
    def sharing(self, hashes: Collection[str], passport_number: str) -> set[str]: ...
    def identities(self, person_ids: Iterable[str]) -> dict[str, Identity]: ...
    def everyone(self) -> Iterator[Someone]: ...
    def passport_index(self, number: str) -> str: ...
    def cases_of(self, person_ids: Iterable[str]) -> list[CaseRef]: ...
    def all_cases(self) -> Iterator[CaseRef]: ...
    def reviews(self) -> dict[tuple[str, str], bool]: ...
    def record_review(
        self, pair: tuple[str, str], same_person: bool, officer_id: str, at: datetime
    ) -> None: ...


class SubmissionStore(Protocol):
    """New applications, sealed before the transaction (adapters.submissions)."""

    def add(self, submission: SealedSubmission) -> None: ...


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

    @property
    def submissions(self) -> SubmissionStore:
        """New applications, written in one statement per table."""
        ...

    @property
    def screening(self) -> ScreeningStore:
        """Blocking keys, the people sharing them, and the officers' review decisions."""
        ...

    def audit(self, entry: Entry) -> None:
        """Add an entry to the chain; it is written at the commit."""
        ...

    def commit(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

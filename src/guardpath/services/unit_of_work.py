"""The unit of work as the services see it: one transaction, with the case store and the audit
chain, committed once. `Work` is the port; the database's one is adapters/unit_of_work.py, and
the tests have one in memory (tests/fakes.py), so case steps can be tested without a database.
`Context.unit_of_work()` gives the one the composition root chose."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from guardpath.adapters.audit import Entry
from guardpath.adapters.screening import CaseRef, Someone
from guardpath.adapters.submissions import SealedSubmission
from guardpath.adapters.unit_of_work import SqlUnitOfWork
from guardpath.cases.model import (
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
)
from guardpath.screening.score import Identity

if TYPE_CHECKING:
    from guardpath.bootstrap import Context


class CaseStore(Protocol):
    """The cases of one transaction, as the case steps use them (adapters.repository's
    `CaseRepository` is the database's)."""

    def add(self, case: Case, at: datetime, resume_code_hash: str | None = None) -> None: ...
    def get(self, case_id: str) -> Case: ...
    def save(self, case: Case, expected_version: int, at: datetime) -> None: ...
    def next_history_seq(self, case_id: str) -> int: ...
    def append_history(self, case_id: str, entry: HistoryEntry) -> None: ...
    def save_contract(self, case_id: str, contract: Contract) -> None: ...
    def add_service_period(self, case_id: str, period: ServicePeriod) -> None: ...
    def end_service_period(self, case_id: str, end: date) -> None: ...
    def save_citizenship(self, case_id: str, application: CitizenshipApplication) -> None: ...


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


class UnitOfWork(SqlUnitOfWork):
    """The database's unit of work for `ctx`, for the services that work on the connection
    (`uow.conn`) as well as through the repositories."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx.engine, ctx.keyring, ctx.on_commit)
        self.ctx = ctx

    def __enter__(self) -> UnitOfWork:
        super().__enter__()
        return self

"""A unit of work in memory, for testing case steps without a database.

`Context(units=MemoryWork.maker(store))` makes the case steps (services/cases) work on `store`:
cases as plain objects, committed by copying, with a version check like the repository's. What
it cannot show (sealing, SQL, the chain's MACs, two connections racing) the real-database tests
in tests/cases/ and tests/reliability/ show.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any

from guardpath.adapters.audit import Entry
from guardpath.adapters.crypto import normalise_passport
from guardpath.adapters.screening import CaseRef, Someone
from guardpath.adapters.submissions import SealedSubmission
from guardpath.cases.model import (
    Case,
    CitizenshipApplication,
    Contract,
    HistoryEntry,
    ServicePeriod,
)
from guardpath.cases.transitions import Conflict, NotFound
from guardpath.screening.score import Identity
from guardpath.services.watchlist import person_identity


@dataclass
class MemoryStore:
    """What a database would hold: the cases, and the audit entries in order."""

    cases: dict[str, Case] = field(default_factory=dict)
    audit: list[Entry] = field(default_factory=list)
    commits: int = 0
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


class MemorySubmissions:
    """New applications: the case as submitted (the fake keeps objects, not sealed rows)."""

    def __init__(self, cases: dict[str, Case], keys: dict[str, set[str]]) -> None:
        self.cases, self.keys = cases, keys

    def add(self, submission: SealedSubmission) -> None:
        case = submission.case
        if case.id in self.cases:
            raise Conflict(f"case {case.id} exists")
        self.cases[case.id] = deepcopy(case)
        self.keys[case.person.id] = {row["key_hash"] for row in submission.keys}


class MemoryScreening:
    """The screening tables over the unit of work's copies of the cases and keys."""

    def __init__(
        self,
        cases: dict[str, Case],
        keys: dict[str, set[str]],
        reviews: dict[tuple[str, str], bool],
    ) -> None:
        self.cases, self.keys, self._reviews = cases, keys, reviews

    def _people(self) -> dict[str, Case]:
        return {case.person.id: case for case in self.cases.values()}

    def add_keys(self, person_id: str, hashes: Collection[str]) -> None:
        self.keys[person_id] = set(hashes)

    def replace_keys(self, person_id: str, hashes: Collection[str]) -> None:
        self.keys[person_id] = set(hashes)

    def clear_keys(self) -> None:
        self.keys.clear()

    def insert_keys(self, rows: Iterable[tuple[str, str]]) -> None:
        for person_id, key in rows:
            self.keys.setdefault(person_id, set()).add(key)

    def all_keys(self) -> Iterator[tuple[str, str]]:
        return ((key, person_id) for person_id, held in self.keys.items() for key in held)

    def sharing(self, hashes: Collection[str], passport_number: str) -> set[str]:
        passport = normalise_passport(passport_number)
        return {
            person_id
            for person_id, case in self._people().items()
            if self.keys.get(person_id, set()) & set(hashes)
            or normalise_passport(case.person.passport_number) == passport
        }

    def identities(self, person_ids: Iterable[str]) -> dict[str, Identity]:
        people = self._people()
        return {i: person_identity(people[i].person) for i in person_ids if i in people}

    def everyone(self) -> Iterator[Someone]:
        for person_id, case in self._people().items():
            passport = normalise_passport(case.person.passport_number)
            yield Someone(person_id, passport, person_identity(case.person))

    def passport_index(self, number: str) -> str:
        return normalise_passport(number)

    def cases_of(self, person_ids: Iterable[str]) -> list[CaseRef]:
        wanted = set(person_ids)
        return [
            CaseRef(c.id, c.reference, c.person.id)
            for c in self.cases.values()
            if c.person.id in wanted
        ]

    def all_cases(self) -> Iterator[CaseRef]:
        return (CaseRef(c.id, c.reference, c.person.id) for c in self.cases.values())

    def reviews(self) -> dict[tuple[str, str], bool]:
        return dict(self._reviews)

    def record_review(
        self, pair: tuple[str, str], same_person: bool, officer_id: str, at: datetime
    ) -> None:
        self._reviews[pair] = same_person


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
    def submissions(self) -> MemorySubmissions:
        return MemorySubmissions(self._cases.cases, self._keys)

    @property
    def screening(self) -> MemoryScreening:
        return MemoryScreening(self._cases.cases, self._keys, self._reviews)

    def __enter__(self) -> MemoryWork:
        self._cases = MemoryCases(deepcopy(self.store.cases))
        self._keys = deepcopy(self.store.keys)
        self._reviews = dict(self.store.reviews)
        self._entries: list[Entry] = []
        return self

    def audit(self, entry: Entry) -> None:
        self._entries.append(entry)

    def commit(self) -> None:
        self.store.cases = deepcopy(self._cases.cases)
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

"""The screening and submission stores of the unit of work in memory (tests/fakes.py): the
cases as submitted, each person's blocking keys and the officers' review decisions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from copy import deepcopy
from datetime import datetime

from guardpath.adapters.crypto import normalise_passport
from guardpath.adapters.screening import CaseRef, Someone
from guardpath.adapters.submissions import SealedSubmission
from guardpath.cases.model import Case
from guardpath.cases.transitions import Conflict
from guardpath.screening.score import Identity
from guardpath.services.watchlist import person_identity


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

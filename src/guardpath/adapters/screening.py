"""The screening tables: each person's blocking keys (keyed blind indexes, `screening_keys`),
the people found by a key or a passport, their identities opened in memory only, and the
officers' decisions on pairs of cases (`screening_reviews`). Used by the duplicate search
(guardpath.services.duplicates); nothing here logs or returns a sealed value other than the
identity the caller asked to open."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, union

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.sealing import passport_index, person_context
from guardpath.adapters.tables import cases, persons, screening_keys, screening_reviews
from guardpath.screening.score import Identity

IN_CHUNK = 5_000
"""Ids listed per statement (SQLite refuses more than 32,766 parameters in one)."""


@dataclass(frozen=True, slots=True)
class CaseRef:
    """A case as the duplicate search names it."""

    id: str
    reference: str
    person_id: str


@dataclass(frozen=True, slots=True)
class Someone:
    """A person as the sweep reads everyone: the passport's blind index and the identity."""

    id: str
    passport_index: str
    identity: Identity


CASES = select(cases.c.id, cases.c.reference, cases.c.person_id)
KEYS = select(screening_keys.c.key_hash, screening_keys.c.person_id)
SHARING = union(
    select(screening_keys.c.person_id).where(
        screening_keys.c.key_hash.in_(bindparam("hashes", expanding=True))
    ),
    select(persons.c.id).where(persons.c.passport_index == bindparam("passport")),
)
"""Built once: the people holding one of the keys or the passport, in one statement."""
REVIEWS = select(
    screening_reviews.c.case_a, screening_reviews.c.case_b, screening_reviews.c.same_person
)


def identity_of(keyring: Keyring, person_id: str, sealed: bytes, citizenships: str) -> Identity:
    """A person's identity, opened in memory only."""
    opened = keyring.open_json(sealed, person_context(person_id))
    names = (f"{opened['given_names']} {opened['surname']}",)
    names += (opened["native_name"],) if opened.get("native_name") else ()
    countries = tuple(c for c in citizenships.split(",") if c)
    born = date.fromisoformat(opened["birth_date"]).isoformat()
    return Identity(names, (born,), (opened["passport_number"],), countries)


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    listed = list(ids)
    for start in range(0, len(listed), IN_CHUNK):
        yield listed[start : start + IN_CHUNK]


class ScreeningRepository:
    """The screening tables on one connection, inside the unit of work's transaction."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    # -- blocking keys ---------------------------------------------------------------------
    def add_keys(self, person_id: str, hashes: Collection[str]) -> None:
        """Store a new person's keys (one who has none yet)."""
        if hashes:
            self.conn.execute(
                screening_keys.insert(),
                [{"person_id": person_id, "key_hash": h} for h in sorted(hashes)],
            )

    def replace_keys(self, person_id: str, hashes: Collection[str]) -> None:
        self.conn.execute(delete(screening_keys).where(screening_keys.c.person_id == person_id))
        self.add_keys(person_id, hashes)

    def clear_keys(self) -> None:
        self.conn.execute(delete(screening_keys))

    def insert_keys(self, rows: Iterable[tuple[str, str]]) -> None:
        """Store (person id, key) pairs in one statement."""
        listed = [{"person_id": person_id, "key_hash": key} for person_id, key in rows]
        if listed:
            self.conn.execute(screening_keys.insert(), listed)

    def all_keys(self) -> Iterator[tuple[str, str]]:
        """Every (key, person id) pair, streamed."""
        for row in self.conn.execute(KEYS):
            yield row.key_hash, row.person_id

    # -- people and their cases --------------------------------------------------------------
    def sharing(self, hashes: Collection[str], passport_number: str) -> set[str]:
        """The people holding one of these keys, or this passport."""
        found = self.conn.execute(
            SHARING,
            {"hashes": list(hashes), "passport": passport_index(self.keyring, passport_number)},
        )
        return set(found.scalars())

    def identities(self, person_ids: Iterable[str]) -> dict[str, Identity]:
        opened = {}
        for chunk in _chunks(person_ids):
            query = select(persons.c.id, persons.c.sealed, persons.c.citizenships).where(
                persons.c.id.in_(chunk)
            )
            for row in self.conn.execute(query):
                opened[row.id] = identity_of(self.keyring, row.id, row.sealed, row.citizenships)
        return opened

    def everyone(self) -> Iterator[Someone]:
        """Every person, opened one at a time as the rows stream in."""
        query = select(
            persons.c.id, persons.c.sealed, persons.c.citizenships, persons.c.passport_index
        )
        for row in self.conn.execute(query):
            identity = identity_of(self.keyring, row.id, row.sealed, row.citizenships)
            yield Someone(row.id, row.passport_index, identity)

    def passport_index(self, number: str) -> str:
        return passport_index(self.keyring, number)

    def cases_of(self, person_ids: Iterable[str]) -> list[CaseRef]:
        found = []
        for chunk in _chunks(person_ids):
            found += [
                CaseRef(*row)
                for row in self.conn.execute(CASES.where(cases.c.person_id.in_(chunk)))
            ]
        return found

    def all_cases(self) -> Iterator[CaseRef]:
        for row in self.conn.execute(CASES):
            yield CaseRef(*row)

    # -- the officers' decisions on pairs ------------------------------------------------------
    def reviews(self) -> dict[tuple[str, str], bool]:
        """Each decided pair of case ids (in sorted order): the same person or not."""
        return {(a, b): bool(same) for a, b, same in self.conn.execute(REVIEWS)}

    def record_review(
        self, pair: tuple[str, str], same_person: bool, officer_id: str, at: datetime
    ) -> None:
        """Remember a decision on a pair, replacing an earlier one."""
        first, second = pair
        table = screening_reviews
        self.conn.execute(
            delete(table).where((table.c.case_a == first) & (table.c.case_b == second))
        )
        values: dict[str, Any] = {
            "case_a": first,
            "case_b": second,
            "same_person": same_person,
            "officer_id": officer_id,
            "decided_at": at,
        }
        self.conn.execute(table.insert().values(**values))

"""Name tokens: how the console finds people by part of a name while names stay sealed.

Each part of each of a person's names (the name in Latin letters and the name in their own
script) is written in Latin letters and folded across spelling conventions by the screening
package (`guardpath.screening.names`), so "Журавльов", "Zhuravlov" and "Shuravlev" meet; each
folded form is stored only as a keyed blind index (HMAC with the index key). A search folds
its words the same way and finds the people who have every word among their name parts, in any
order, with no birth date. The database never holds a name part, and nothing here logs one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.tables import name_tokens, persons
from guardpath.screening.names import tokens

KIND = "name-token"
MIN_PART = 2
"""Shorter parts (initials) are neither stored nor searched: they would match half the table."""
CHUNK = 5_000


def part_forms(name: str) -> list[set[str]]:
    """The folded forms of each part of a name, one set per part; initials left out."""
    return [set(t.forms) for t in tokens(name) if len(t.text) >= MIN_PART]


def token_hashes(keyring: Keyring, names: Iterable[str | None]) -> set[str]:
    """The blind indexes of every part of every given name (either script)."""
    return {
        keyring.blind_index(KIND, form)
        for name in names
        if name
        for forms in part_forms(name)
        for form in forms
    }


def person_names(given_names: str, surname: str, native_name: str | None) -> list[str | None]:
    return [f"{given_names} {surname}", native_name]


def token_rows(
    keyring: Keyring, person_id: str, names: Iterable[str | None]
) -> list[dict[str, str]]:
    return [{"person_id": person_id, "token_hash": h} for h in sorted(token_hashes(keyring, names))]


def store_name_tokens(
    conn: Connection, keyring: Keyring, person_id: str, names: Iterable[str | None]
) -> None:
    """Replace the person's tokens."""
    conn.execute(delete(name_tokens).where(name_tokens.c.person_id == person_id))
    rows = token_rows(keyring, person_id, names)
    if rows:
        conn.execute(name_tokens.insert(), rows)


def query_parts(keyring: Keyring, query: str) -> list[set[str]]:
    """For each searched word, the blind indexes any of which it may match."""
    return [{keyring.blind_index(KIND, f) for f in forms} for forms in part_forms(query)]


def person_ids_with_parts(conn: Connection, parts: Sequence[set[str]]) -> set[str]:
    """The people with a token of every part (intersection, in the database)."""
    found: set[str] | None = None
    for hashes in parts:
        query = select(name_tokens.c.person_id).where(name_tokens.c.token_hash.in_(hashes))
        if found is not None:
            query = query.where(name_tokens.c.person_id.in_(found))
        found = set(conn.execute(query.distinct()).scalars())
        if not found:
            return set()
    return found or set()


def missing_people(conn: Connection) -> int:
    """How many people have no name token yet (stored before 0009, or by a bulk path)."""
    tokened = select(name_tokens.c.person_id).distinct()
    query = select(func.count()).select_from(persons).where(persons.c.id.not_in(tokened))
    return int(conn.execute(query).scalar_one())


def rebuild_rows(keyring: Keyring, people: Iterable[tuple[str, Any]]) -> list[dict[str, str]]:
    """Token rows for (person id, opened identity) pairs."""
    return [
        row
        for person_id, identity in people
        for row in token_rows(
            keyring,
            person_id,
            person_names(identity["given_names"], identity["surname"], identity.get("native_name")),
        )
    ]

"""Finding people by part of a name while names stay sealed: the name tokens
(guardpath.adapters.name_tokens) and a birth date checked on records opened in memory only."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import Connection, select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.name_tokens import missing_people, person_ids_with_parts, rebuild_rows
from guardpath.adapters.sealing import person_context
from guardpath.adapters.tables import name_tokens, persons

INDEX_CHUNK = 2_000


class PersonSearch:
    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def with_name_parts(self, parts: Sequence[set[str]]) -> set[str]:
        """The people with a token of every part (from `name_tokens.query_parts`)."""
        return person_ids_with_parts(self.conn, parts)

    def born_on(self, person_ids: Collection[str], birth_date: date) -> set[str]:
        """The people among these born on that day, their sealed records opened in memory."""
        rows = self.conn.execute(
            select(persons.c.id, persons.c.sealed).where(persons.c.id.in_(person_ids))
        )
        return {
            row.id
            for row in rows
            if self.keyring.open_json(row.sealed, person_context(row.id))["birth_date"]
            == birth_date.isoformat()
        }

    def without_name_tokens(self) -> int:
        return missing_people(self.conn)

    def index_names(self, everyone: bool = False) -> int:
        """Write the name tokens of the people who have none, or of everyone anew; how many
        people were indexed."""
        done = 0
        if everyone:
            self.conn.execute(name_tokens.delete())
        tokened = select(name_tokens.c.person_id).distinct()
        untokened = select(persons.c.id).where(persons.c.id.not_in(tokened))
        ids = list(self.conn.execute(untokened).scalars())
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = ids[start : start + INDEX_CHUNK]
            rows = self.conn.execute(
                select(persons.c.id, persons.c.sealed).where(persons.c.id.in_(chunk))
            )
            people = [(r.id, self.keyring.open_json(r.sealed, person_context(r.id))) for r in rows]
            tokens = rebuild_rows(self.keyring, people)
            if tokens:
                self.conn.execute(name_tokens.insert(), tokens)
            done += len(people)
        return done

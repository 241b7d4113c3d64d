"""The database side of key rotation: the sealed columns, the key_rotation bookkeeping and the
re-sealing of one batch, each write in its own transaction. What to rotate, what to refuse and
the key file are the service's (guardpath.services.keys)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, Table, bindparam, func, or_, select

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.repository import (
    document_context,
    draft_context,
    person_context,
    reason_context,
    totp_context,
)
from guardpath.adapters.tables import (
    case_history,
    documents,
    drafts,
    key_rotation,
    persons,
    staff_users,
)


@dataclass(frozen=True)
class SealedColumn:
    """A column of sealed values, and the associated data each value was sealed with."""

    table: Table
    column: str
    context: Callable[[Any], str]

    @property
    def sealed(self) -> Column[Any]:
        return self.table.c[self.column]

    def pending(self, target: str) -> Any:
        """The rows whose value is not yet under the target key."""
        key_id = self.table.c.key_id
        return self.sealed.is_not(None) & or_(key_id.is_(None), key_id != target)


SEALED_COLUMNS = (
    SealedColumn(persons, "sealed", lambda row: person_context(row.id)),
    SealedColumn(case_history, "reason_sealed", lambda row: reason_context(row.case_id, row.seq)),
    SealedColumn(documents, "sealed", lambda row: document_context(row.id)),
    SealedColumn(drafts, "sealed", lambda row: draft_context(row.id)),
    SealedColumn(staff_users, "totp_sealed", lambda row: totp_context(row.id)),
)
"""Every sealed column, with the associated data its values were sealed with (the `table.column:id`
convention); tests/test_keys.py fails when a table gains a key_id column that is not here."""


@dataclass(frozen=True)
class SealedValue:
    """One sealed value as stored: where it is (for messages), its bytes and its context."""

    where: str
    sealed: bytes
    context: str


@dataclass(frozen=True)
class Unfinished:
    """The rotation under way: the key it moves values to, and the key active before it."""

    target_key_id: str
    previous_key_id: str | None


def _value(column: SealedColumn, row: Any) -> SealedValue:
    context = column.context(row)
    where = f"{column.table.name}.{column.column} of {context.split(':', 1)[1]}"
    return SealedValue(where, getattr(row, column.column), context)


class KeyRotationStore:
    """The sealed values and the rotations of one database."""

    columns: tuple[SealedColumn, ...] = SEALED_COLUMNS

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def unfinished(self) -> Unfinished | None:
        query = select(key_rotation).where(key_rotation.c.finished_at.is_(None))
        with self.engine.connect() as conn:
            row = conn.execute(query.order_by(key_rotation.c.started_at)).first()
        return None if row is None else Unfinished(str(row.target_key_id), row.note)

    def pending_count(self, target: str) -> int:
        """How many sealed values are not yet under `target`."""
        with self.engine.connect() as conn:
            return sum(
                int(conn.execute(select(func.count()).where(column.pending(target))).scalar_one())
                for column in self.columns
            )

    def record_start(
        self, target: str, previous: str | None, keyring: Keyring, entry: audit.Entry
    ) -> None:
        """The rotation recorded with its target key, and its audit entry, in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(
                key_rotation.insert().values(
                    target_key_id=target, started_at=entry.at, rows_done=0, note=previous
                )
            )
            audit.append(conn, keyring, entry)

    def reseal_batch(
        self,
        column: SealedColumn,
        target: str,
        batch_size: int,
        reseal: Callable[[SealedValue], bytes],
    ) -> int:
        """One batch of one column sealed again (by `reseal`) under `target`, counted in the
        rotation, in one transaction; returns how many values moved."""
        table = column.table
        primary = next(iter(table.primary_key.columns))
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(table).where(column.pending(target)).order_by(primary).limit(batch_size)
            ).all()
            if not rows:
                return 0
            changes = [
                {
                    "b_id": getattr(row, primary.name),
                    "b_old": getattr(row, column.column),
                    "b_new": reseal(_value(column, row)),
                }
                for row in rows
            ]
            conn.execute(
                table.update()
                .where(primary == bindparam("b_id"), column.sealed == bindparam("b_old"))
                .values({column.column: bindparam("b_new"), "key_id": target}),
                changes,
            )
            conn.execute(
                key_rotation.update()
                .where(key_rotation.c.target_key_id == target)
                .values(rows_done=key_rotation.c.rows_done + len(rows))
            )
        return len(rows)

    def record_finish(
        self,
        target: str,
        at: datetime,
        keyring: Keyring,
        entry: Callable[[int], audit.Entry],
    ) -> int:
        """The rotation marked finished, with the audit entry `entry` makes from the count of
        values it moved, in one transaction; returns that count."""
        with self.engine.begin() as conn:
            done = int(
                conn.execute(
                    select(key_rotation.c.rows_done).where(key_rotation.c.target_key_id == target)
                ).scalar_one()
            )
            conn.execute(
                key_rotation.update()
                .where(key_rotation.c.target_key_id == target)
                .values(finished_at=at)
            )
            audit.append(conn, keyring, entry(done))
        return done

    def sealed_values(self) -> Iterator[SealedValue]:
        """Every sealed value in the database."""
        with self.engine.connect() as conn:
            for column in self.columns:
                for row in conn.execute(select(column.table).where(column.sealed.is_not(None))):
                    yield _value(column, row)

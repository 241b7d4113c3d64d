"""The database side of backups: every table read from one snapshot, and rows loaded back in one
transaction, values as JSON by column type. What to refuse, the file and its checks are the
service's (guardpath.services.backup and backup_file)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Engine,
    Integer,
    LargeBinary,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, StatementError

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.migrate import current_revision, head_revision
from guardpath.adapters.tables import cases, metadata
from guardpath.adapters.types import UtcDateTime

CHUNK = 1_000
TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)  # parents before children
TABLE_NAMES: tuple[str, ...] = tuple(table.name for table in TABLES)
CASES = cases.name
_BY_NAME = {table.name: table for table in TABLES}


class RowsRefused(ValueError):
    """Rows the database would not take; the message is the database's first line."""


# -- values as JSON, by column type --------------------------------------------------------------
def encode_value(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(kind, UtcDateTime | Date):  # instants come back aware, in UTC
        return value.isoformat()
    return value


def decode_value(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value, validate=True)
    if isinstance(kind, UtcDateTime):  # a naive one is taken as UTC when written
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


def encode_row(table: Table, row: Any) -> dict[str, Any]:
    return {column.name: encode_value(column.type, row[column.name]) for column in table.columns}


def decode_row(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the file as the database takes it; ValueError or TypeError if it does not fit."""
    table = _BY_NAME[table_name]
    if set(row) != set(table.c.keys()):
        extra = sorted(set(row) - set(table.c.keys()))
        missing = sorted(set(table.c.keys()) - set(row))
        raise ValueError(f"columns differ from the schema (extra {extra}, missing {missing})")
    return {column.name: decode_value(column.type, row[column.name]) for column in table.columns}


def table_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of `table` in primary-key order, as JSON-ready values."""
    query = select(table).order_by(*table.primary_key.columns)
    for row in conn.execution_options(yield_per=CHUNK).execute(query).mappings():
        yield encode_row(table, row)


def counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in TABLES
    }


def key_ids(conn: Connection) -> list[str]:
    found: set[str] = set()
    for table in TABLES:
        if "key_id" in table.c:
            column = table.c.key_id
            found |= {kid for kid in conn.execute(select(column).distinct()).scalars() if kid}
    return sorted(found)


# -- reading everything, from one snapshot -------------------------------------------------------
class Snapshot:
    """One consistent moment of the whole database, in a transaction committed at the end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.engine_name = conn.dialect.name

    def counts(self) -> dict[str, int]:
        return counts(self.conn)

    def key_ids(self) -> list[str]:
        """The data keys the sealed values of the database are under."""
        return key_ids(self.conn)

    def audit(self, keyring: Keyring, entry: audit.Entry) -> None:
        audit.append(self.conn, keyring, entry)

    def rows(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(table, row) for every row, tables in the order their foreign keys need."""
        for table in TABLES:
            for row in table_rows(self.conn, table):
                yield table.name, row


# -- loading everything, in one transaction ------------------------------------------------------
class Loading:
    """Rows loaded into the database in one transaction, committed only if the block ends well."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def counts(self) -> dict[str, int]:
        return counts(self.conn)

    def wipe(self) -> None:
        for table in reversed(TABLES):
            self.conn.execute(delete(table))

    def insert(self, table_name: str, rows: list[dict[str, Any]]) -> int:
        try:
            self.conn.execute(_BY_NAME[table_name].insert(), rows)
        except (DBAPIError, StatementError) as error:
            raise RowsRefused(str(getattr(error, "orig", error)).splitlines()[0]) from None
        return len(rows)

    def reset_sequences(self) -> None:
        """PostgreSQL's sequences do not see rows inserted with their ids; move them past the
        rows."""
        if self.conn.dialect.name != "postgresql":
            return
        for table in TABLES:
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not isinstance(keys[0].type, Integer):
                continue
            name = keys[0].name
            sequence = self.conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": name},
            ).scalar()
            if sequence is None:
                continue
            top = self.conn.execute(select(func.max(table.c[name]))).scalar()
            self.conn.execute(
                text("SELECT setval(CAST(:sequence AS regclass), :value, :called)"),
                {"sequence": sequence, "value": top or 1, "called": top is not None},
            )

    def verify(self, keyring: Keyring) -> audit.Report:
        """The loaded audit chain and every sealed row, checked."""
        return audit.verify(self.conn, keyring)


class BackupStore:
    """The whole database, for backups and restores."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def revisions(self) -> tuple[str | None, str | None]:
        """(the database's schema revision, this guardpath's)."""
        return current_revision(self.engine), head_revision()

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        # SQLite: BEGIN IMMEDIATE holds the write lock, so the file is one moment
        with conn, conn.begin():
            yield Snapshot(conn)

    @contextmanager
    def loading(self) -> Iterator[Loading]:
        with self.engine.connect() as conn, conn.begin():
            yield Loading(conn)

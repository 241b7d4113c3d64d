"""Fresh databases for the benchmarks, and rows loaded into them in bulk.

Seeding is never what a benchmark times: rows go in by the fastest route each engine has,
COPY on PostgreSQL and the driver's executemany on SQLite, with values converted as SQLAlchemy
stores them, without its per-row statement machinery (five times faster on a million rows).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, text

from guardpath.adapters.migrate import upgrade

POSTGRES = os.environ.get("GUARDPATH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a fresh, migrated database, removed afterwards: a SQLite file in `folder`, or
    a PostgreSQL database created beside `test` on the local server."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
        _upgraded(url)
        yield url
        return
    admin = create_engine(f"{POSTGRES}/test", isolation_level="AUTOCOMMIT")
    name = f"guardpath_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgraded(f"{POSTGRES}/{name}")
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _upgraded(url: str) -> None:
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()


def bulk_insert(engine: Engine, loads: Sequence[tuple[Table, Sequence[dict[str, Any]]]]) -> None:
    """Insert each table's rows, in the order given, in one transaction."""
    if engine.dialect.name == "postgresql":
        _copy(engine, loads)
    else:
        _executemany(engine, loads)


def analyse(engine: Engine) -> None:
    """Fresh planner statistics, as autovacuum would have them."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def _copy(engine: Engine, loads: Sequence[tuple[Table, Sequence[dict[str, Any]]]]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        for table, rows in loads:
            names = ", ".join(f'"{c.name}"' for c in table.columns)
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_as_copied(row.get(c.name)) for c in table.columns])
        raw.commit()
    finally:
        raw.close()


def _as_copied(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def _executemany(engine: Engine, loads: Sequence[tuple[Table, Sequence[dict[str, Any]]]]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, rows in loads:
            names = [c.name for c in table.columns]
            convert = _converters(engine, table)
            marks = ", ".join("?" * len(names))
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
                [tuple(f(row.get(n)) for n, f in zip(names, convert, strict=True)) for row in rows],
            )
        raw.commit()
    finally:
        raw.close()


def _converters(engine: Engine, table: Table) -> list[Callable[[Any], Any]]:
    found = [c.type.bind_processor(engine.dialect) for c in table.columns]
    return [f or _unchanged for f in found]


def _unchanged(value: Any) -> Any:
    return value

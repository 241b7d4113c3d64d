"""The database engine: SQLite (WAL) by default, PostgreSQL by URL; the same code for both."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from guardpath.adapters.sqlite_writers import Writers, give_back_after_the_end, writers_of
from guardpath.settings import Settings

READ_ONLY = "guardpath_read_only"
"""The execution option of a connection that only reads (see `reading`)."""


def _sqlite_pragmas(wait_ms: int) -> Any:
    def pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return pragmas


def _sqlite_begin(writers: Writers, wait_s: float) -> Any:
    def begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # A reader sees a snapshot in WAL mode and waits for no writer.
            connection.exec_driver_sql("BEGIN")
            return
        # Take the write lock at BEGIN, so two writers queue instead of failing half-way; the
        # writers of this process queue on a lock first (adapters/sqlite_writers.py).
        info = connection.connection.info
        writers.take(info, wait_s)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writers.give_back(info)
            raise

    return begin


def owner_only(database: Path) -> None:
    """The SQLite file, created readable and writable by its owner only, and tightened if it
    was not; SQLite gives its WAL and shared-memory files the database file's permissions."""
    descriptor = os.open(database, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(descriptor)
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
                path.chmod(0o600)
        except FileNotFoundError:
            continue


def make_engine(settings: Settings) -> Engine:
    """The engine; a statement waiting longer than GUARDPATH_LOCK_TIMEOUT for a lock fails
    (OperationalError), which the web answers with 503."""
    url, wait_ms = settings.url, int(settings.lock_timeout * 1000)
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        database = make_url(url).database
        if database and database != ":memory:" and Path(database).parent.is_dir():
            owner_only(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(wait_ms))
        # Let SQLAlchemy not emit BEGIN itself; we do, with IMMEDIATE.
        event.listen(engine, "connect", lambda conn, _r: setattr(conn, "isolation_level", None))
        writers = writers_of(str(Path(database).resolve()) if database else url)
        event.listen(engine, "begin", _sqlite_begin(writers, settings.lock_timeout))
        give_back_after_the_end(engine, writers)
        return engine
    options = {"options": f"-c lock_timeout={wait_ms}"} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=options)


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite it takes no write lock (a plain BEGIN), so a
    read goes on while a backup, a key rotation or an import holds the lock."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _synchronous_normal(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def without_waiting_for_the_disk(settings: Settings, engine: Engine) -> Iterator[Engine]:
    """On SQLite, an engine that does not wait for the disk at every commit (invented data can
    lose its last steps in a power cut; WAL keeps the file whole); `engine` itself elsewhere."""
    if not is_sqlite(engine):
        yield engine
        return
    fast = make_engine(settings)
    event.listen(fast, "connect", _synchronous_normal)
    try:
        yield fast
    finally:
        fast.dispose()

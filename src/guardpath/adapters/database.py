"""The database engine: SQLite (WAL) by default, PostgreSQL by URL; the same code for both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

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


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        # A reader sees a snapshot in WAL mode and waits for no writer.
        connection.exec_driver_sql("BEGIN")
        return
    # Take the write lock at BEGIN, so two writers queue instead of failing half-way.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(settings: Settings) -> Engine:
    """The engine; a statement waiting longer than GUARDPATH_LOCK_TIMEOUT for a lock fails
    (OperationalError), which the web answers with 503."""
    url, wait_ms = settings.url, int(settings.lock_timeout * 1000)
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(wait_ms))
        # Let SQLAlchemy not emit BEGIN itself; we do, with IMMEDIATE.
        event.listen(engine, "connect", lambda conn, _r: setattr(conn, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = {"options": f"-c lock_timeout={wait_ms}"} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=options)


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite it takes no write lock (a plain BEGIN), so a
    read goes on while a backup, a key rotation or an import holds the lock."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"

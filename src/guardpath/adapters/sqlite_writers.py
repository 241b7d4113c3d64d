"""One SQLite writer at a time within a process, queued on a lock rather than on the file.

SQLite lets one transaction write at a time; the others wait in its busy handler, which sleeps
in growing steps (up to 100 ms a step) and tries again, however soon the lock was freed. Under
a web server's thread pool that left one writer at work while the rest slept: submissions ran
at a fraction of what one writer does, with the CPU mostly idle. Here the writers of one
process queue on a lock taken just before `BEGIN IMMEDIATE` and given back right after the
commit or the rollback, so the next one starts at once. Other processes (several workers, the
command line) still meet at the file lock and its busy handler, as before.

A writer waits at most the settings' lock timeout for the queue, then goes on to the file lock
as it used to (which then fails as it used to, if the lock is still held). A thread that opens
a second write transaction while holding one does not wait for itself.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event

HELD = "guardpath_sqlite_writer"
"""The DBAPI connection's info key: it holds the process's writer lock."""


class Writers:
    """The writer lock of one database file in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.owner: int | None = None

    def take(self, info: dict[str, Any], wait_s: float) -> None:
        """Queue for the lock (at most `wait_s`); noted in the connection's `info`."""
        me = threading.get_ident()
        if self.owner == me:
            return  # a second transaction of the same thread: SQLite decides, as before
        if self.lock.acquire(timeout=wait_s):
            self.owner = me
            info[HELD] = True

    def give_back(self, info: dict[str, Any]) -> None:
        if info.pop(HELD, False):
            self.owner = None
            self.lock.release()


def _info(connection: Any) -> dict[str, Any]:
    """The pooled connection's info (an ad-hoc one, as when the dialect first connects, has
    none: it never took the lock)."""
    try:
        info: dict[str, Any] = connection.info
    except (AttributeError, NotImplementedError):
        return {}
    return info


_BY_FILE: dict[str, Writers] = {}
_MADE = threading.Lock()


def writers_of(database: str) -> Writers:
    with _MADE:
        return _BY_FILE.setdefault(database, Writers())


def give_back_after_the_end(engine: Engine, writers: Writers) -> None:
    """Give the lock back once the commit or rollback has reached the file (SQLAlchemy's own
    commit event fires before it does), including a pool's rollback of a returned connection."""
    dialect: Any = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            writers.give_back(_info(dbapi_connection))

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            writers.give_back(_info(dbapi_connection))

    dialect.do_commit = do_commit
    dialect.do_rollback = do_rollback

    def dropped(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        """A connection invalidated or closed in a transaction gives the lock back too."""
        writers.give_back(record.info)

    for name in ("invalidate", "soft_invalidate", "close", "detach"):
        event.listen(engine, name, dropped)

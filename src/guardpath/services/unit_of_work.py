"""One transaction: the repository and the audit chain on one connection, committed once."""

from __future__ import annotations

import logging
from types import TracebackType

from sqlalchemy import Connection

from guardpath.adapters import audit, row_seals
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.rosters import RosterRepository
from guardpath.bootstrap import Context

log = logging.getLogger(__name__)


class _Recorded:
    """The transaction, refusing to commit rows sealed without the audit entry recording them
    (guardpath.adapters.row_seals)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.inner = conn.begin()

    @property
    def is_active(self) -> bool:
        return self.inner.is_active

    def rollback(self) -> None:
        self.inner.rollback()

    def commit(self) -> None:
        if row_seals.has_pending(self.conn):
            raise RuntimeError("sealed rows were written without the audit entry that records them")
        self.inner.commit()


class UnitOfWork:
    conn: Connection
    cases: CaseRepository
    rosters: RosterRepository

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._entries: list[audit.Entry] = []

    def __enter__(self) -> UnitOfWork:
        self.conn = self.ctx.engine.connect()
        self._transaction = _Recorded(self.conn)
        self.cases = CaseRepository(self.conn, self.ctx.keyring)
        self.rosters = RosterRepository(self.conn, self.ctx.keyring)
        return self

    def audit(self, entry: audit.Entry) -> int:
        seq = audit.append(self.conn, self.ctx.keyring, entry)
        self._entries.append(entry)
        return seq

    def commit(self) -> None:
        self._transaction.commit()
        entries, self._entries = self._entries, []
        for observer in self.ctx.on_commit:
            try:
                observer(entries)
            except Exception:
                # The transaction is committed: an observer's failure must not undo its answer.
                log.exception("an observer of committed audit entries failed")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        self.conn.close()

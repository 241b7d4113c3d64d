"""One transaction: the repository and the audit chain on one connection, committed once."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection

from guardpath.adapters import audit, row_seals
from guardpath.adapters.repository import CaseRepository
from guardpath.bootstrap import Context


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

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def __enter__(self) -> UnitOfWork:
        self.conn = self.ctx.engine.connect()
        self._transaction = _Recorded(self.conn)
        self.cases = CaseRepository(self.conn, self.ctx.keyring)
        return self

    def audit(self, entry: audit.Entry) -> int:
        return audit.append(self.conn, self.ctx.keyring, entry)

    def commit(self) -> None:
        self._transaction.commit()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        self.conn.close()

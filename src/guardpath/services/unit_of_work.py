"""One transaction: the repository and the audit chain on one connection, committed once."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection

from guardpath.adapters import audit, row_seals
from guardpath.adapters.repository import CaseRepository
from guardpath.bootstrap import Context


class UnitOfWork:
    conn: Connection
    cases: CaseRepository

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def __enter__(self) -> UnitOfWork:
        self.conn = self.ctx.engine.connect()
        self._transaction = self.conn.begin()
        self.cases = CaseRepository(self.conn, self.ctx.keyring)
        return self

    def audit(self, entry: audit.Entry) -> int:
        return audit.append(self.conn, self.ctx.keyring, entry)

    def commit(self) -> None:
        if row_seals.has_pending(self.conn):
            raise RuntimeError("sealed rows were written without the audit entry that records them")
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

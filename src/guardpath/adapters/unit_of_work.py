"""One transaction on the database: the repositories and the audit chain on one connection,
committed once. The services see it through the `UnitOfWork` protocol (services/unit_of_work.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from types import TracebackType

from sqlalchemy import Connection, Engine

from guardpath.adapters import audit, row_seals
from guardpath.adapters.case_lists import CaseLists
from guardpath.adapters.case_status import StatusRepository
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.database import reading
from guardpath.adapters.documents import DocumentRepository
from guardpath.adapters.drafts import DraftRepository
from guardpath.adapters.limits import LimitCounters
from guardpath.adapters.person_search import PersonSearch
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.rosters import RosterRepository
from guardpath.adapters.screening import ScreeningRepository
from guardpath.adapters.sessions import SessionRepository
from guardpath.adapters.staff import StaffRepository
from guardpath.adapters.submissions import SubmissionRepository

log = logging.getLogger(__name__)

Observer = Callable[[Sequence[audit.Entry]], None]
"""Told the audit entries of each committed unit of work (the metrics count them)."""


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


class SqlUnitOfWork:
    conn: Connection
    cases: CaseRepository
    case_lists: CaseLists
    """Cases as the console lists them, naming no one."""
    statuses: StatusRepository
    """A case's state and history as its applicant sees them, the person left sealed."""
    person_search: PersonSearch
    """People found by part of a name, names left sealed."""
    documents: DocumentRepository
    """Uploaded documents, sealed, with their draft or their case."""
    submissions: SubmissionRepository
    """New applications, sealed before the transaction."""
    screening: ScreeningRepository
    """Blocking keys, the people sharing them, and the officers' review decisions."""
    rosters: RosterRepository
    drafts: DraftRepository
    """Applications in progress, sealed, with the documents uploaded with them."""
    staff: StaffRepository
    """Staff accounts."""
    sessions: SessionRepository
    """Staff sessions, by their tokens' hashes."""
    limits: LimitCounters
    """The counters of the rate limits and throttles."""

    def __init__(
        self,
        engine: Engine,
        keyring: Keyring,
        observers: Sequence[Observer],
        read_only: bool = False,
    ) -> None:
        self.engine = engine
        self.keyring = keyring
        self.observers = observers
        self.read_only = read_only
        """Reads only: on SQLite it takes no write lock, so it goes on while a backup, a key
        rotation or an import holds the lock (guardpath.adapters.database.reading)."""
        self._entries: list[audit.Entry] = []
        self._unwritten: list[audit.Entry] = []

    def __enter__(self) -> SqlUnitOfWork:
        self.conn = reading(self.engine) if self.read_only else self.engine.connect()
        self._transaction = _Recorded(self.conn)
        self.cases = CaseRepository(self.conn, self.keyring)
        self.case_lists = CaseLists(self.conn)
        self.statuses = StatusRepository(self.conn, self.keyring)
        self.person_search = PersonSearch(self.conn, self.keyring)
        self.documents = DocumentRepository(self.conn, self.keyring)
        self.submissions = SubmissionRepository(self.conn)
        self.screening = ScreeningRepository(self.conn, self.keyring)
        self.rosters = RosterRepository(self.conn, self.keyring)
        self.drafts = DraftRepository(self.conn, self.keyring)
        self.staff = StaffRepository(self.conn, self.keyring)
        self.sessions = SessionRepository(self.conn)
        self.limits = LimitCounters(self.conn)
        return self

    def audit(self, entry: audit.Entry) -> None:
        """Add an entry to the chain at the commit, with the MACs of the rows sealed in this
        transaction since the last entry: the chain's lock (on PostgreSQL, every writer's) is
        then held from the chain's one read and one insert to the commit, not for the whole
        transaction."""
        self._unwritten.append(audit.with_pending_rows(self.conn, entry))
        self._entries.append(entry)

    def commit(self) -> None:
        unwritten, self._unwritten = self._unwritten, []
        audit.append_many(self.conn, self.keyring, unwritten)
        self._transaction.commit()
        entries, self._entries = self._entries, []
        for observer in self.observers:
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

"""The composition root: settings, database, keys, clock and law, wired once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from guardpath.adapters.audit import Entry
from guardpath.adapters.backup_store import BackupStore
from guardpath.adapters.case_counts import stored_cases
from guardpath.adapters.crypto import Keyring, load_keyring
from guardpath.adapters.database import make_engine, without_waiting_for_the_disk
from guardpath.adapters.key_rotation import KeyRotationStore
from guardpath.adapters.month_counts import MonthCounts
from guardpath.adapters.store import SqlStore
from guardpath.adapters.unit_of_work import SqlUnitOfWork
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.services.unit_of_work import Work
from guardpath.settings import Settings, load_settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    settings: Settings
    engine: Engine
    keyring: Keyring
    legislation: Legislation
    clock: Callable[[], datetime] = field(default=utc_now)
    on_commit: list[Callable[[Sequence[Entry]], None]] = field(default_factory=list)
    """Told the audit entries of each committed unit of work (the metrics count them)."""
    units: Callable[[Context], Work] | None = None
    """Makes the unit of work the case steps use; None: the database's (tests give a fake)."""

    def unit_of_work(self) -> Work:
        """A new unit of work: the one `units` makes, or the database's."""
        return UnitOfWork(self) if self.units is None else self.units(self)

    def reading(self) -> Work:
        """A new unit of work that only reads (no write lock on SQLite); `units` in tests."""
        if self.units is not None:
            return self.units(self)
        return SqlUnitOfWork(self.engine, self.keyring, self.on_commit, read_only=True)

    def backups(self) -> BackupStore:
        """The whole database at once, for backups and restores (services.backup)."""
        return BackupStore(self.engine)

    def case_counts(self) -> MonthCounts:
        """The month counters the statistics read (services.statistics)."""
        return MonthCounts(self.engine)

    def key_rotation(self) -> KeyRotationStore:
        """The sealed values and rotation records, for key rotation (services.keys)."""
        return KeyRotationStore(self.engine)

    def stored_cases(self) -> int:
        """How many cases the database holds, counted row by row."""
        return stored_cases(self.engine)

    def store(self) -> SqlStore:
        """The database as a whole: its health and its schema."""
        return SqlStore(self.engine, self.keyring)

    @contextmanager
    def invented(self, clock: Callable[[], datetime]) -> Iterator[Context]:
        """This database on `clock`, for writing invented data: on SQLite without waiting for
        the disk at every commit (services.demo)."""
        with without_waiting_for_the_disk(self.settings, self.engine) as engine:
            yield Context(self.settings, engine, self.keyring, self.legislation, clock)


class UnitOfWork(SqlUnitOfWork):
    """The database's unit of work for `ctx`. Services ask `ctx.unit_of_work()`; the modules that
    still build one themselves and use `uow.conn` import this name until they are moved."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx.engine, ctx.keyring, ctx.on_commit)
        self.ctx = ctx

    def __enter__(self) -> UnitOfWork:
        super().__enter__()
        return self


def bootstrap(
    settings: Settings | None = None,
    clock: Callable[[], datetime] = utc_now,
    legislation: Legislation | None = None,
) -> Context:
    """Everything a command, a request or a test needs; keys are checked before anything runs."""
    settings = settings or load_settings()
    keyring = load_keyring(settings)
    return Context(
        settings, make_engine(settings), keyring, legislation or default_legislation(), clock
    )

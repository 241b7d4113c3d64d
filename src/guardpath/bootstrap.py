"""The composition root: settings, database, keys, clock and law, wired once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from guardpath.adapters.audit import Entry
from guardpath.adapters.case_counts import stored_cases
from guardpath.adapters.crypto import Keyring, load_keyring
from guardpath.adapters.database import make_engine
from guardpath.adapters.store import SqlStore
from guardpath.adapters.unit_of_work import SqlUnitOfWork
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.services.unit_of_work import UnitOfWork, Work
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

    def stored_cases(self) -> int:
        """How many cases the database holds, counted row by row."""
        return stored_cases(self.engine)

    def store(self) -> SqlStore:
        """The database as a whole: its health and its schema."""
        return SqlStore(self.engine, self.keyring)


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

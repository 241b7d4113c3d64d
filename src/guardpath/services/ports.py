"""What the services are given: the ports the composition root fills.

A service takes `ctx: Ports` and asks it for a unit of work (`reading()` for one that only
reads), the keys, the law, the settings and the time, and for the database as a whole
(`store()`) where the work is not one transaction; it never builds a connection or imports the
root that wires it. The root's `Context` is the production implementation; tests may give any
object with these members."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from guardpath.adapters.crypto import Keyring
    from guardpath.adapters.health import StoreHealth
    from guardpath.law.model import Legislation
    from guardpath.services.unit_of_work import Work
    from guardpath.settings import Settings


class Ports(Protocol):
    """The ports of one process: read them, never replace them."""

    @property
    def settings(self) -> Settings: ...
    @property
    def keyring(self) -> Keyring: ...
    @property
    def legislation(self) -> Legislation: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    def unit_of_work(self) -> Work:
        """A new transaction; reads take one too and simply do not commit."""
        ...

    def reading(self) -> Work:
        """A new transaction that only reads: it takes no write lock, so a status page or a
        login goes on while a backup or an import writes. Never committed."""
        ...

    def stored_cases(self) -> int:
        """How many cases the database holds, counted row by row."""
        ...

    def store(self) -> Store:
        """The database as a whole, for what is not one transaction."""
        ...


class Store(Protocol):
    """The database as a whole: its health, its schema (adapters/store.py is the SQL one)."""

    def health(self) -> StoreHealth:
        """Reachable, at the schema this code needs, the audit chain's newest entry whole."""
        ...

    def upgrade(self) -> None:
        """Apply the schema migrations."""
        ...

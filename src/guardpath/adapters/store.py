"""The database as a whole, for the services' work that is not one transaction: whether it can
serve, and bringing its schema to head (the `Store` port of guardpath.services.ports)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.health import StoreHealth, store_health
from guardpath.adapters.migrate import head_revision, upgrade


@cache
def _head() -> str | None:
    # The migration scripts are files on disk: read once per process, not at every probe.
    return head_revision()


class SqlStore:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.keyring = keyring

    def health(self) -> StoreHealth:
        return store_health(self.engine, self.keyring, _head())

    def upgrade(self) -> None:
        upgrade(self.engine)

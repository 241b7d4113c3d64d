"""Whether the database can serve: reachable, at the schema this code needs, its chain whole."""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring


@dataclass(frozen=True)
class StoreHealth:
    reachable: bool
    schema_current: bool
    """False also when the database cannot be reached: nothing is known of it then."""
    chain_verifies: bool
    """The newest audit entry matches its seal; not looked at without the current schema."""


def store_health(engine: Engine, keyring: Keyring, head: str | None) -> StoreHealth:
    """One connection: the schema's revision against `head`, then the chain's newest entry."""
    try:
        with engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() != head:
                return StoreHealth(True, False, False)  # no schema, no chain to look at
            return StoreHealth(True, True, audit.last_entry_verifies(conn, keyring))
    except SQLAlchemyError:
        return StoreHealth(False, False, False)

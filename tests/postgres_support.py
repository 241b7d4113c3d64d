"""A PostgreSQL database of its own for a test, on the local server, dropped afterwards.

Without a reachable server the test is skipped, except in CI (`CI=true`), which must run the
PostgreSQL tests. `GUARDPATH_TEST_POSTGRES` names the server (default the local one).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql

POSTGRES = os.environ.get("GUARDPATH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
"""The server, as SQLAlchemy addresses it, without a database."""


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """Create a database named `<prefix>_<random>`; yield its SQLAlchemy URL; drop it."""
    libpq = POSTGRES.replace("postgresql+psycopg://", "postgresql://", 1) + "/postgres"
    try:
        admin = psycopg.connect(libpq, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is unreachable at {POSTGRES}: {error}".strip()
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the PostgreSQL tests", pytrace=False)
        pytest.skip(message)
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()

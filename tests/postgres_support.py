"""A PostgreSQL database of its own for a test, on the local server, dropped afterwards; and
emptying one between tests.

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
from sqlalchemy import Engine, text

from guardpath.adapters.tables import metadata

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


def empty_tables(engine: Engine) -> None:
    """Each test starts from empty tables and sequences; tables a test made itself are dropped.
    DELETE rather than TRUNCATE: on tables this small TRUNCATE costs a hundred times more (new
    files for every table, each waited for on the disk)."""
    with engine.begin() as conn:
        found = text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        names = set(conn.execute(found).scalars())
        ours = {t.name for t in metadata.sorted_tables}
        for stray in sorted(names - ours - {"alembic_version"}):
            conn.execute(text(f'DROP TABLE "{stray}"'))
        for table in reversed(metadata.sorted_tables):  # those that refer to others first
            if table.name in names:
                conn.execute(table.delete())
        sequences = text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        for name in conn.execute(sequences).scalars():
            conn.execute(text("SELECT setval(:name, 1, false)"), {"name": f'public."{name}"'})

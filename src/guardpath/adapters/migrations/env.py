"""Alembic's environment: the schema only; the law never lives in a migration."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from guardpath.adapters.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through guardpath.adapters.migrate, which passes a connection"
    )
run(connection)

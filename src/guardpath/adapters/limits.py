"""Counters of the limits in the database: one atomic statement per hit, on SQLite and PostgreSQL.

A hit is `INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1 RETURNING hits`: PostgreSQL
locks the counter's row for the statement, SQLite holds its write lock, so two workers or two
hosts hitting the same counter at once get consecutive counts, never the same one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert

from guardpath.adapters.tables import rate_limits


def hit(conn: Connection, rule: str, subject: str, window: int, expires: int) -> int:
    """Count one hit of `subject` on `rule` in `window`; the count including this one."""
    values = {"rule": rule, "subject": subject, "window": window, "hits": 1, "expires": expires}
    return int(conn.execute(_hit(conn.dialect.name), values).scalar_one())


@cache
def _hit(dialect: str) -> ReturningInsert[Any]:
    """The hit's upsert, built once per dialect (building it costs more than running it)."""
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(rate_limits)
    return statement.on_conflict_do_update(
        index_elements=["rule", "subject", "window"], set_={"hits": rate_limits.c.hits + 1}
    ).returning(rate_limits.c.hits)


def hits(conn: Connection, rule: str, subject: str, window: int) -> int:
    """The hits of `subject` on `rule` in `window` so far, counting nothing."""
    c = rate_limits.c
    found = conn.execute(
        select(c.hits).where(c.rule == rule, c.subject == subject, c.window == window)
    ).scalar()
    return int(found or 0)


def give_back(conn: Connection, rule: str, subject: str, window: int) -> None:
    """Take one hit back (a reserved attempt that turned out right)."""
    c = rate_limits.c
    conn.execute(
        update(rate_limits)
        .where(c.rule == rule, c.subject == subject, c.window == window, c.hits > 0)
        .values(hits=c.hits - 1)
    )


def clear(conn: Connection, rule: str, subject: str) -> None:
    """Forget every hit of `subject` on `rule`."""
    conn.execute(
        delete(rate_limits).where(rate_limits.c.rule == rule, rate_limits.c.subject == subject)
    )


def purge(conn: Connection, now: int) -> int:
    """Delete the counters whose windows are over; how many."""
    return conn.execute(delete(rate_limits).where(rate_limits.c.expires <= now)).rowcount


class LimitCounters:
    """The counters on one transaction's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def hit(self, rule: str, subject: str, window: int, expires: int) -> int:
        return hit(self.conn, rule, subject, window, expires)

    def hits(self, rule: str, subject: str, window: int) -> int:
        return hits(self.conn, rule, subject, window)

    def give_back(self, rule: str, subject: str, window: int) -> None:
        give_back(self.conn, rule, subject, window)

    def clear(self, rule: str, subject: str) -> None:
        clear(self.conn, rule, subject)

    def purge(self, now: int) -> int:
        return purge(self.conn, now)

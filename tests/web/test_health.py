"""The probes: /healthz answers without the database, /readyz says what keeps the process from
serving (the database, the schema, the keys, the audit chain), and neither tells the public
anything more."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import select, update

from guardpath.adapters import audit
from guardpath.adapters.crypto import Keyring, write_key_file
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import audit_log
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.services.keys import rotate_keys
from guardpath.services.readiness import Readiness
from guardpath.settings import Settings, load_settings
from guardpath.web.app import create_app
from postgres_support import fresh_database

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/guardpath"
"""A loopback port where no server listens: the database is down."""


def ready(client: TestClient) -> tuple[int, dict[str, object]]:
    client.app.state.readiness.ttl = 0  # type: ignore[attr-defined]  # every probe looks again
    answer = client.get("/readyz")
    assert answer.headers["cache-control"] == "no-store"
    return answer.status_code, answer.json()


def test_it_says_the_process_answers_without_asking_the_database(settings: Settings) -> None:
    down = bootstrap(load_settings(data_dir=settings.data_dir, database_url=UNREACHABLE))
    with TestClient(create_app(ctx=down)) as client:
        answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_it_is_ready_on_a_migrated_database_and_says_nothing_more(client: TestClient) -> None:
    assert ready(client) == (200, {"status": "ready"})


def test_it_is_not_ready_while_the_database_is_down(settings: Settings) -> None:
    down = bootstrap(load_settings(data_dir=settings.data_dir, database_url=UNREACHABLE))
    with TestClient(create_app(ctx=down)) as client:
        assert ready(client) == (503, {"status": "not ready", "failing": ["database"]})


def test_it_is_not_ready_before_the_migrations(settings: Settings) -> None:
    fresh = bootstrap(settings)
    with TestClient(create_app(ctx=fresh)) as client:
        assert ready(client) == (503, {"status": "not ready", "failing": ["migrations"]})
        upgrade(fresh.engine)
        assert ready(client) == (200, {"status": "ready"})


def test_it_is_not_ready_when_the_newest_audit_entry_was_altered(
    client: TestClient, ctx: Context
) -> None:
    with ctx.engine.begin() as conn:
        audit.append(conn, ctx.keyring, audit.Entry(ctx.clock(), "cli:ops", "admin", "x", "y"))
    assert ready(client)[0] == 200

    with ctx.engine.begin() as conn:
        newest = conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq.desc())).scalar()
        conn.execute(update(audit_log).where(audit_log.c.seq == newest).values(action="z"))

    assert ready(client) == (503, {"status": "not ready", "failing": ["audit"]})


def test_it_is_not_ready_when_the_key_file_is_gone(client: TestClient, ctx: Context) -> None:
    ctx.settings.key_path.rename(ctx.settings.key_path.with_suffix(".moved"))

    assert ready(client) == (503, {"status": "not ready", "failing": ["keys"]})


def test_it_is_not_ready_when_the_key_file_holds_other_keys(
    client: TestClient, ctx: Context
) -> None:
    write_key_file(Keyring.generate(), ctx.settings.key_path)

    assert ready(client) == (503, {"status": "not ready", "failing": ["keys"]})


def test_it_asks_for_a_restart_once_a_key_rotation_began(
    client: TestClient, ctx: Context, settings: Settings
) -> None:
    rotate_keys(bootstrap(settings), Actor("cli:ops", Role.ADMIN))  # another process rotates

    assert ready(client) == (503, {"status": "not ready", "failing": ["keys"]})
    restarted = bootstrap(settings)
    with TestClient(create_app(ctx=restarted)) as fresh:
        assert ready(fresh) == (200, {"status": "ready"})


def test_it_is_ready_with_the_keys_given_in_the_environment(
    settings: Settings, ctx: Context
) -> None:
    text = json.dumps(ctx.keyring.as_json())
    given = bootstrap(load_settings(data_dir=settings.data_dir, keys=text))
    with TestClient(create_app(ctx=given)) as client:
        assert ready(client) == (200, {"status": "ready"})


def test_it_looks_at_most_once_a_second(ctx: Context) -> None:
    moment = [100.0]
    readiness = Readiness(ctx, ttl=1.0, now=lambda: moment[0])
    assert readiness.failing() == []

    moved = ctx.settings.key_path.rename(ctx.settings.key_path.with_suffix(".moved"))
    moment[0] += 0.5
    assert readiness.failing() == []  # the last look, half a second old

    moment[0] += 0.5
    assert readiness.failing() == ["keys"]
    moved.rename(ctx.settings.key_path)
    moment[0] += 1.0
    assert readiness.failing() == []


@pytest.fixture
def on_postgres(settings: Settings) -> Iterator[tuple[Context, str]]:
    with fresh_database("guardpath_ready") as url:
        context = bootstrap(load_settings(data_dir=settings.data_dir, database_url=url))
        upgrade(context.engine)
        yield context, url
        context.engine.dispose()


def _allow_connections(url: str, allowed: bool) -> None:
    """Stop (or restart) the database as its clients see it: no new connection is accepted
    and every open one is ended, while the server stays up for the other tests."""
    server, name = url.replace("postgresql+psycopg://", "postgresql://", 1).rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        flag = sql.SQL("true" if allowed else "false")
        admin.execute(
            sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS {}").format(sql.Identifier(name), flag)
        )
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )


@pytest.mark.postgresql
def test_it_answers_503_while_postgresql_refuses_and_200_once_it_is_back(
    on_postgres: tuple[Context, str], tmp_path: Path
) -> None:
    context, url = on_postgres
    with TestClient(create_app(ctx=context)) as client:
        assert ready(client) == (200, {"status": "ready"})

        _allow_connections(url, False)
        try:
            assert ready(client) == (503, {"status": "not ready", "failing": ["database"]})
            assert client.get("/healthz").status_code == 200
        finally:
            _allow_connections(url, True)

        assert ready(client) == (200, {"status": "ready"})

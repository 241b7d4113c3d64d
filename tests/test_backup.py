"""Backups: every row, engine-independent, sealed data still sealed; restores all or nothing."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import LargeBinary, Table, func, inspect, select

from guardpath.adapters.backup_store import table_rows
from guardpath.adapters.migrate import head_revision, upgrade
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import audit_log, case_counts, cases, contracts, metadata
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role, State
from guardpath.services import cases as services
from guardpath.services.backup import make_backup, restore_backup
from guardpath.services.demo import make_demo_data
from guardpath.settings import load_settings
from postgres_support import fresh_database

ADMIN = Actor("cli:test", Role.ADMIN)
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


def context(folder: Path, **settings: Any) -> Context:
    return bootstrap(load_settings(data_dir=folder, **settings), clock=lambda: NOW)


@pytest.fixture(scope="module", name="source_folder")
def source_folder_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of demo cases (all states, citizenship included), made once for the module."""
    folder = tmp_path_factory.mktemp("source")
    ctx = context(folder)
    upgrade(ctx.engine)
    make_demo_data(ctx, cases=30, seed=1, until=date(2026, 6, 30))
    ctx.engine.dispose()
    return folder


@pytest.fixture(name="source")
def source_fixture(source_folder: Path, tmp_path: Path) -> Iterator[Context]:
    folder = tmp_path / "source"
    shutil.copytree(source_folder, folder)
    ctx = context(folder)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture(name="target")
def target_fixture(source: Context, tmp_path: Path) -> Iterator[Context]:
    """An empty, upgraded SQLite database with the source's key file."""
    ctx = context(tmp_path / "target", key_file=source.settings.key_path)
    upgrade(ctx.engine)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the module, dropped afterwards; skipped without a server
    (but not in CI). Tests restore into it with force, so each starts from its own backup."""
    with fresh_database("guardpath_backup") as url:
        yield url


def schema_tables(ctx: Context) -> list[Table]:
    """Every table the database holds but Alembic's own, derived ones (`case_counts`) too: the
    comparisons read these, not the backup module's own list, so a table the backup leaves out
    is missed in the restored database instead of being left out of the comparison as well."""
    names = set(inspect(ctx.engine).get_table_names()) - {"alembic_version"}
    assert names == set(metadata.tables), "the database holds the declared schema"
    return [table for table in metadata.sorted_tables if table.name in names]


def everything(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in key order, with datetimes in UTC and bytes in base64."""
    with ctx.engine.connect() as conn:
        return {table.name: list(table_rows(conn, table)) for table in schema_tables(ctx)}


def backed_up(ctx: Context, folder: Path) -> Path:
    path = folder / f"guardpath-{ctx.engine.dialect.name}.jsonl.gz"
    make_backup(ctx, ADMIN, path)
    return path


def lines(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_it_restores_sqlite_into_a_new_sqlite_identically(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)

    restored = restore_backup(target, path)

    assert everything(target) == everything(source)
    assert restored.rows == sum(counts_of(source).values()) > 500
    assert counts_of(target)[contracts.name] and counts_of(target)[case_counts.name]
    assert restored.report.ok and restored.report.entries == len(everything(source)["audit_log"])


def counts_of(ctx: Context) -> dict[str, int]:
    """The rows of each table of the schema, counted here rather than by the backup module."""
    with ctx.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in schema_tables(ctx)
        }


def test_it_round_trips_sqlite_to_postgresql_and_back(
    source: Context, postgres_url: str, target: Context, tmp_path: Path
) -> None:
    pg = context(tmp_path / "pg", database_url=postgres_url, key_file=source.settings.key_path)
    upgrade(pg.engine)
    path = backed_up(source, tmp_path)
    original = everything(source)  # with the backup's own audit entry

    on_postgres = restore_backup(pg, path, force=True)
    copied = everything(pg)
    back = restore_backup(target, backed_up(pg, tmp_path))

    assert on_postgres.report.ok and back.report.ok
    assert copied == original
    assert everything(target) == everything(pg)  # including the second backup's audit entry
    pg.engine.dispose()


def test_it_lets_the_restored_postgresql_database_go_on_working(
    source: Context, postgres_url: str, tmp_path: Path
) -> None:
    pg = context(tmp_path / "pg", database_url=postgres_url, key_file=source.settings.key_path)
    upgrade(pg.engine)
    restore_backup(pg, backed_up(source, tmp_path), force=True)
    with pg.engine.connect() as conn:
        waiting = (
            conn.execute(select(cases.c.id).where(cases.c.state == State.SUBMITTED.value))
            .scalars()
            .first()
        )
    assert waiting is not None

    case = services.withdraw(pg, Actor("applicant", Role.APPLICANT), waiting, "family reasons")

    assert case.state is State.WITHDRAWN
    assert services.view_case(pg, Actor("r-1", Role.RECRUITER), waiting).history[-1].reason == (
        "family reasons"
    )
    pg.engine.dispose()


def test_it_writes_a_header_with_the_counts_and_keys_it_needs(
    source: Context, tmp_path: Path
) -> None:
    header, *rows, end = lines(backed_up(source, tmp_path))

    assert header["format"] == "guardpath-backup" and header["format_version"] == 2
    assert header["schema_revision"] == head_revision()
    assert header["law_version"] == source.legislation.version
    assert header["created_at"] == NOW.isoformat()
    assert header["tables"] == counts_of(source)
    assert header["key_ids"] == [source.keyring.active_id]
    assert len(rows) == end["rows"] == sum(header["tables"].values())


def in_clear(rows: list[dict[str, Any]]) -> tuple[str, bytes]:
    """The backup's readable values as text, and its binary (sealed) values as bytes."""
    binary = {
        (t.name, c.name)
        for t in metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, LargeBinary)
    }
    readable, sealed = [], b""
    for line in rows:
        for column, value in line["row"].items():
            if (line["table"], column) in binary and value is not None:
                sealed += base64.b64decode(value)
            else:
                readable.append(json.dumps(value, ensure_ascii=False))
    return "\n".join(readable), sealed


def test_it_keeps_personal_data_sealed_in_the_backup(source: Context, tmp_path: Path) -> None:
    _, *rows, _ = lines(backed_up(source, tmp_path))
    readable, sealed = in_clear(rows)
    with source.engine.connect() as conn:
        repository = CaseRepository(conn, source.keyring)
        ids = conn.execute(select(cases.c.id)).scalars().all()
        people = [repository.get(case_id).person for case_id in ids]

    assert len(people) == 30 and sealed
    for person in people:
        identity = (
            person.given_names,
            person.surname,
            person.native_name,
            person.passport_number,
            person.email,
            person.phone,
            person.birth_date.isoformat(),
        )
        for secret in filter(None, identity):
            assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", readable), secret
            assert secret.encode() not in sealed, secret


def test_it_records_the_backup_in_the_audit_chain(source: Context, tmp_path: Path) -> None:
    backed_up(source, tmp_path)

    with source.engine.connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (last.action, last.actor_id, last.subject) == ("make_backup", ADMIN.id, "database")

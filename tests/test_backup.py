"""Backups: every row, engine-independent, sealed data still sealed; restores all or nothing."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import LargeBinary, Table, func, inspect, select, update

from guardpath.adapters.migrate import head_revision, upgrade
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import audit_log, case_counts, cases, contracts, metadata, persons
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role, State
from guardpath.services import cases as services
from guardpath.services.backup import (
    BackupError,
    NotEmpty,
    closing_mac,
    make_backup,
    restore_backup,
    table_rows,
)
from guardpath.services.demo import make_demo_data
from guardpath.services.keys import reopen_all, rotate_keys
from guardpath.services.staff import add_staff
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


@pytest.fixture(scope="module")
def source_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of demo cases (all states, citizenship included), made once for the module."""
    folder = tmp_path_factory.mktemp("source")
    ctx = context(folder)
    upgrade(ctx.engine)
    make_demo_data(ctx, cases=30, seed=1, until=date(2026, 6, 30))
    ctx.engine.dispose()
    return folder


@pytest.fixture
def source(source_folder: Path, tmp_path: Path) -> Iterator[Context]:
    folder = tmp_path / "source"
    shutil.copytree(source_folder, folder)
    ctx = context(folder)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def target(source: Context, tmp_path: Path) -> Iterator[Context]:
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


def test_it_refuses_a_cut_short_backup_and_changes_nothing(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    whole = gzip.decompress(path.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(whole[: whole.rindex(b'{"end"')]))
    torn = tmp_path / "torn.jsonl.gz"
    torn.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    for broken, problem in ((cut, "ends before its closing line"), (torn, "cut short")):
        with pytest.raises(BackupError, match=problem):
            restore_backup(target, broken)

    assert sum(counts_of(target).values()) == 0


def test_it_refuses_an_altered_backup_even_when_forced_and_keeps_the_data(
    source: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    text_lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    changed = [line.replace('"state":"rejected"', '"state":"approved"') for line in text_lines]
    assert changed != text_lines
    altered = tmp_path / "altered.jsonl.gz"
    altered.write_bytes(gzip.compress("".join(changed).encode()))
    before = everything(source)

    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(source, altered, force=True)

    assert everything(source) == before


def test_it_refuses_a_target_with_cases_unless_forced(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    with source.engine.begin() as conn:
        conn.execute(update(persons).values(sex="female"))
    changed = everything(source)

    with pytest.raises(NotEmpty, match=r"30 cases.*--force"):
        restore_backup(source, path)
    unchanged = everything(source)
    restored = restore_backup(source, path, force=True)

    assert unchanged == changed
    assert restored.report.ok
    assert {row["sex"] for row in everything(source)["persons"]} == {"male", "female"}


def test_it_refuses_a_backup_made_with_other_keys(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    stranger = context(tmp_path / "stranger")
    upgrade(stranger.engine)

    with pytest.raises(BackupError, match="other index and audit keys"):
        restore_backup(stranger, path)

    assert sum(counts_of(stranger).values()) == 0
    stranger.engine.dispose()


def test_it_refuses_a_database_without_the_schema(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    bare = context(tmp_path / "bare", key_file=source.settings.key_path)

    with pytest.raises(BackupError, match="guardpath db upgrade"):
        restore_backup(bare, path)
    bare.engine.dispose()


def test_it_never_overwrites_a_file(source: Context, tmp_path: Path) -> None:
    path = backed_up(source, tmp_path)
    first = path.read_bytes()

    with pytest.raises(BackupError, match="exists"):
        make_backup(source, ADMIN, path)

    assert path.read_bytes() == first


def test_it_restores_a_backup_made_before_a_key_rotation(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    rotate_keys(source, ADMIN)  # the key file now has the new key, and the old one retired

    restored = restore_backup(
        context(target.settings.data_dir, key_file=source.settings.key_path), path
    )

    assert restored.report.ok
    assert reopen_all(target) == reopen_all(source)


def test_it_refuses_a_key_file_without_the_keys_the_backup_needs(
    source: Context, target: Context, tmp_path: Path
) -> None:
    path = backed_up(source, tmp_path)
    old = source.keyring.active_id
    rotate_keys(source, ADMIN)
    keys = json.loads(source.settings.key_path.read_text())
    del keys["data_keys"][old]
    keys["retired"] = []
    pruned = tmp_path / "pruned.json"
    pruned.write_text(json.dumps(keys))

    with pytest.raises(BackupError, match=f"lacks data keys {old}"):
        restore_backup(context(target.settings.data_dir, key_file=pruned), path)

    assert sum(counts_of(target).values()) == 0


# -- keyed backups: an edit with its digest recomputed ------------------------------------------
def rewritten(path: Path, edit: Any, folder: Path, *, mac_with: Context | None = None) -> Path:
    """The backup with `edit` applied to its lines and its closing SHA-256 recomputed, as
    anyone holding the file but not the audit key can; `mac_with` also recomputes the MAC
    (someone holding the keys too)."""
    *body, _ = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    changed = [edit(line) for line in body]
    assert changed != body, "the edit changes the backup"
    digest = hashlib.sha256("".join(changed).encode()).hexdigest()
    closing: dict[str, Any] = {"end": True, "rows": len(changed) - 1, "sha256": digest}
    closing["mac"] = closing_mac(mac_with.keyring, digest) if mac_with else "0" * 64
    out = folder / "rewritten.jsonl.gz"
    out.write_bytes(gzip.compress(("".join(changed) + json.dumps(closing) + "\n").encode()))
    return out


def rejected_to_approved(line: str) -> str:
    return line.replace('"state":"rejected"', '"state":"approved"')


def analyst_to_admin(line: str) -> str:
    return line.replace('"role":"analyst"', '"role":"admin"') if "staff_users" in line else line


@pytest.mark.parametrize("edit", [rejected_to_approved, analyst_to_admin])
def test_it_refuses_an_edited_backup_whose_digest_was_recomputed(
    source: Context, target: Context, tmp_path: Path, edit: Any
) -> None:
    if edit is analyst_to_admin:
        add_staff(source, ADMIN, "olena.analyst", "analyst", "correct horse battery")
    path = rewritten(backed_up(source, tmp_path), edit, tmp_path)

    with pytest.raises(BackupError, match="its MAC does not match"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0


def test_it_restores_nothing_when_the_restored_records_do_not_verify(
    source: Context, target: Context, tmp_path: Path
) -> None:
    """Even a backup whose MAC was recomputed with the keys: the rows are checked against
    their MACs and the chain inside the restore's transaction, which is then rolled back."""
    path = rewritten(backed_up(source, tmp_path), rejected_to_approved, tmp_path, mac_with=source)

    with pytest.raises(BackupError, match=r"cases [0-9a-f-]+: edited.*nothing was restored"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0


def test_it_restores_nothing_when_an_audit_entry_was_edited(
    source: Context, target: Context, tmp_path: Path
) -> None:
    def edited_entry(line: str) -> str:
        if '"table":"audit_log","row":{"seq":2,' not in line:
            return line
        return re.sub(r'"actor_id":"[^"]*"', '"actor_id":"someone-else"', line)

    path = rewritten(backed_up(source, tmp_path), edited_entry, tmp_path, mac_with=source)

    with pytest.raises(BackupError, match=r"audit entry \d+: changed.*nothing was restored"):
        restore_backup(target, path)

    assert sum(counts_of(target).values()) == 0

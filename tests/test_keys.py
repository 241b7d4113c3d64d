"""Key rotation: every sealed value moves under a new key, resumably, and stays readable."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from guardpath.adapters import audit, row_seals
from guardpath.adapters.crypto import Keyring
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.repository import document_context, draft_context, totp_context
from guardpath.adapters.tables import (
    audit_log,
    cases,
    documents,
    drafts,
    key_rotation,
    metadata,
    persons,
    staff_users,
)
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.services.demo import make_demo_data
from guardpath.services.keys import SEALED_COLUMNS, RotationError, reopen_all, rotate_keys
from guardpath.settings import load_settings

ADMIN = Actor("cli:test", Role.ADMIN)
NOW = datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


def context(folder: Path, **settings: Any) -> Context:
    return bootstrap(load_settings(data_dir=folder, **settings), clock=lambda: NOW)


def add_uploads(ctx: Context) -> None:
    """A document, a draft and a staff user's TOTP secret: the other sealed columns."""
    keyring, at = ctx.keyring, NOW
    with ctx.engine.begin() as conn:
        case_id = conn.execute(select(cases.c.id).limit(1)).scalar_one()
        for n in range(3):
            doc = str(uuid.uuid4())
            row = {
                "id": doc,
                "case_id": case_id,
                "kind": "passport",
                "media_type": "application/pdf",
                "size": 9,
                "sealed": keyring.seal(f"%PDF-1.{n}".encode(), document_context(doc)),
                "key_id": keyring.active_id,
                "created_at": at,
            }
            mac = row_seals.seal_row(conn, keyring, documents, row)
            conn.execute(documents.insert().values(**row, mac=mac))
        draft = str(uuid.uuid4())
        conn.execute(
            drafts.insert().values(
                id=draft,
                token_hash="t" * 64,
                sealed=keyring.seal_json({"surname": "Smith"}, draft_context(draft)),
                key_id=keyring.active_id,
                step="person",
                created_at=at,
                updated_at=at,
                expires_at=at,
            )
        )
        user = str(uuid.uuid4())
        account = {
            "id": user,
            "username": "recruiter-01",
            "password_hash": "x",
            "totp_sealed": keyring.seal(b"JBSWY3DPEHPK3PXP", totp_context(user)),
            "key_id": keyring.active_id,
            "role": "recruiter",
            "failed_logins": 0,
            "created_at": at,
            "disabled_at": None,
        }
        mac = row_seals.seal_row(conn, keyring, staff_users, account)
        conn.execute(staff_users.insert().values(**account, mac=mac))
        # Written as guardpath writes them: their MACs recorded in the chain.
        audit.append(conn, keyring, audit.Entry(at, "test", "admin", "add_uploads", "test"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database of 16 demo cases and a few uploads, made once and copied for each test."""
    folder = tmp_path_factory.mktemp("seeded")
    ctx = context(folder)
    upgrade(ctx.engine)
    make_demo_data(ctx, cases=16, seed=1, until=date(2026, 6, 30))
    add_uploads(ctx)
    ctx.engine.dispose()
    yield folder


@pytest.fixture
def ctx(template: Path, tmp_path: Path) -> Iterator[Context]:
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    ctx = context(folder)
    yield ctx
    ctx.engine.dispose()


def keys_on_disk(ctx: Context) -> Keyring:
    path = ctx.settings.key_path
    return Keyring.from_json(json.loads(path.read_text()), str(path))


def sealed_key_ids(ctx: Context) -> list[tuple[str, str | None, str]]:
    """(table, key_id column, key named in the value) for every sealed value."""
    found = []
    with ctx.engine.connect() as conn:
        for column in SEALED_COLUMNS:
            table = column.table
            query = select(table.c.key_id, column.sealed).where(column.sealed.is_not(None))
            for key_id, value in conn.execute(query):
                found.append((table.name, key_id, Keyring.key_id_of(value)))
    return found


def indexes(ctx: Context) -> list[tuple[str, str, str]]:
    with ctx.engine.connect() as conn:
        query = select(persons.c.id, persons.c.passport_index, persons.c.name_index)
        return [tuple(row) for row in conn.execute(query.order_by(persons.c.id))]


def test_it_rotates_every_sealed_value_to_a_new_key_that_opens(ctx: Context) -> None:
    old = ctx.keyring.active_id
    before = sealed_key_ids(ctx)

    rotation = rotate_keys(ctx, ADMIN, batch_size=25)

    after = sealed_key_ids(ctx)
    assert rotation.target_key_id != old
    assert {table for table, _, _ in before} == {column.table.name for column in SEALED_COLUMNS}
    assert len(after) == len(before) == rotation.rows_done == rotation.rows_this_run
    assert all(kid == named == rotation.target_key_id for _, kid, named in after)
    assert reopen_all(bootstrap(ctx.settings)) == len(before)  # with the key file on disk


def test_it_keeps_old_keys_in_the_key_file_as_retired(ctx: Context) -> None:
    old = ctx.keyring.active_id

    rotation = rotate_keys(ctx, ADMIN)

    on_disk = keys_on_disk(ctx)
    assert on_disk.active_id == rotation.target_key_id
    assert on_disk.retired == [old] and rotation.retired == (old,)
    assert set(on_disk.data_keys) == {old, rotation.target_key_id}
    assert (on_disk.index_key, on_disk.audit_key) == (ctx.keyring.index_key, ctx.keyring.audit_key)


def test_it_leaves_blind_indexes_unchanged_and_the_audit_chain_whole(ctx: Context) -> None:
    before = indexes(ctx)

    rotate_keys(ctx, ADMIN)

    assert indexes(ctx) == before
    with ctx.engine.connect() as conn:
        report = audit.verify(conn, ctx.keyring)
        actions = list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
    assert report.ok, report.problems
    assert actions[-2:] == ["start_key_rotation", "finish_key_rotation"]


class Interrupted(Exception):
    pass


def interrupt_after_first_batch(done: int, total: int) -> None:
    if done:
        raise Interrupted(f"stopped after {done} of {total}")


def test_it_resumes_an_interrupted_rotation_with_the_same_key(ctx: Context) -> None:
    old = ctx.keyring.active_id
    with pytest.raises(Interrupted):
        rotate_keys(ctx, ADMIN, batch_size=10, on_batch=interrupt_after_first_batch)
    target = ctx.keyring.active_id

    half_way = sealed_key_ids(ctx)
    mixed = {kid for _, kid, _ in half_way}
    readable = reopen_all(bootstrap(ctx.settings))  # half-way, the key file opens everything
    with ctx.engine.connect() as conn:
        progress = conn.execute(select(key_rotation)).one()
    resumed = rotate_keys(bootstrap(ctx.settings), ADMIN, resume=True)

    assert mixed == {old, target}
    assert readable == len(sealed_key_ids(ctx))
    assert progress.target_key_id == target and progress.finished_at is None
    assert 0 < progress.rows_done == sum(kid == target for _, kid, _ in half_way) < readable
    assert resumed.resumed and resumed.target_key_id == target
    assert resumed.rows_done == readable
    assert resumed.rows_this_run == readable - progress.rows_done
    assert set(keys_on_disk(ctx).data_keys) == {old, target}  # no second new key
    assert {kid for _, kid, _ in sealed_key_ids(ctx)} == {target}


def test_it_goes_on_with_an_unfinished_rotation_when_rotating_again(ctx: Context) -> None:
    with pytest.raises(Interrupted):
        rotate_keys(ctx, ADMIN, batch_size=5, on_batch=interrupt_after_first_batch)
    target = ctx.keyring.active_id

    again = rotate_keys(bootstrap(ctx.settings), ADMIN)

    assert again.resumed and again.target_key_id == target
    assert len(keys_on_disk(ctx).data_keys) == 2


def test_it_rotates_twice_keeping_both_old_keys(ctx: Context) -> None:
    first = ctx.keyring.active_id
    second = rotate_keys(ctx, ADMIN).target_key_id

    third = rotate_keys(ctx, ADMIN)

    assert third.retired == tuple(sorted((first, second)))
    assert {kid for _, kid, _ in sealed_key_ids(ctx)} == {third.target_key_id}
    assert reopen_all(bootstrap(ctx.settings)) == third.rows_this_run


def test_it_seals_new_cases_under_the_new_key_and_reads_old_ones(ctx: Context) -> None:
    rotation = rotate_keys(ctx, ADMIN)
    restarted = bootstrap(ctx.settings)  # a server started after the rotation
    with ctx.engine.connect() as conn:
        old_case = conn.execute(select(cases.c.id).order_by(cases.c.created_at)).scalars().first()
    application = ApplicationIn.model_validate(
        {
            "person": {
                "given_names": "Giorgi",
                "surname": "Beridze",
                "birth_date": "1994-03-02",
                "sex": "male",
                "citizenships": ["GE"],
                "passport_number": "GE1234567",
            },
            "consents": {"data_processing": True, "verification": True},
        }
    )

    new = services.submit_application(restarted, Actor("applicant", Role.APPLICANT), application)

    with ctx.engine.connect() as conn:
        key_id = conn.execute(
            select(persons.c.key_id).where(persons.c.id == new.case.person.id)
        ).scalar_one()
    assert key_id == rotation.target_key_id
    assert old_case is not None
    assert services.view_case(restarted, Actor("r-1", Role.RECRUITER), old_case).person.surname


def test_it_refuses_to_resume_when_nothing_is_unfinished(ctx: Context) -> None:
    key_file = ctx.settings.key_path.read_bytes()

    with pytest.raises(RotationError, match="--resume: there is no unfinished rotation"):
        rotate_keys(ctx, ADMIN, resume=True)

    assert ctx.settings.key_path.read_bytes() == key_file


def test_it_refuses_keys_given_in_the_environment(ctx: Context) -> None:
    keys = ctx.settings.key_path.read_text()
    given = context(ctx.settings.data_dir, keys=keys)

    with pytest.raises(RotationError, match="GUARDPATH_KEYS"):
        rotate_keys(given, ADMIN)

    assert ctx.settings.key_path.read_text() == keys


def test_it_stops_at_a_damaged_value_naming_it_and_changes_nothing_in_its_batch(
    ctx: Context,
) -> None:
    with ctx.engine.begin() as conn:
        victim, value = conn.execute(select(persons.c.id, persons.c.sealed).limit(1)).one()
        damaged = value[:-1] + bytes([value[-1] ^ 1])
        conn.execute(update(persons).where(persons.c.id == victim).values(sealed=damaged))
    old = ctx.keyring.active_id

    with pytest.raises(RotationError, match=f"persons.sealed of {victim} does not open"):
        rotate_keys(ctx, ADMIN, batch_size=1_000)

    assert {kid for table, kid, _ in sealed_key_ids(ctx) if table == "persons"} == {old}


def test_it_knows_every_sealed_column_of_the_schema() -> None:
    with_keys = {table.name for table in metadata.sorted_tables if "key_id" in table.c}

    assert {column.table.name for column in SEALED_COLUMNS} == with_keys


def test_it_runs_one_rotation_at_a_time(ctx: Context) -> None:
    key_file = ctx.settings.key_path.read_bytes()
    lock_path = ctx.settings.key_path.with_name("keys.json.lock")

    with open(lock_path, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(RotationError, match=r"another rotation .* is running"):
            rotate_keys(ctx, ADMIN)

    assert ctx.settings.key_path.read_bytes() == key_file
    assert rotate_keys(ctx, ADMIN).rows_done > 0  # the lock is free again


def test_it_keeps_a_key_another_process_rotated_to_meanwhile(ctx: Context) -> None:
    started_earlier = bootstrap(ctx.settings)  # loaded the key file before the other rotation
    first = rotate_keys(ctx, ADMIN)

    second = rotate_keys(started_earlier, ADMIN)

    assert first.target_key_id in keys_on_disk(ctx).data_keys
    assert set(second.retired) == {first.previous_key_id, first.target_key_id}
    assert reopen_all(bootstrap(ctx.settings)) == second.rows_done

"""Encryption at rest: a copy of the database alone reveals no one.

The people seeded here go through the services as they would in real use; then the test
reads what an intruder would have: the SQLite file, its write-ahead log and a backup, or every
column of every table on PostgreSQL. Each search is also run on a deliberately unsealed copy,
so a search that could never find anything cannot pass for a proof.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from guardpath.adapters.repository import SEALED_FACT
from guardpath.bootstrap import Context
from guardpath.services import cases as services

from .conftest import Cast, FakeClock, Journey, Staff

pytestmark = pytest.mark.integration

REASON = "Максим Журавльов: his brother still serves in Belgorod"

SECRETS = (
    "Maksym",
    "Zhuravlov",
    "Maksym Zhuravlov",
    "Максим Журавльов",
    "Журавльов",
    "AB1234567",
    "m.zhuravlov@example.org",
    "+380 67 123 4567",
    "1991-07-23",
    "his brother still serves in Belgorod",
    "Siarhei",
    "Kavalenka",
    "Сяргей Каваленка",
    "MP3456789",
    "1988-05-10",
    "no vacancy for a Belarusian sniper",
)


def forms(secret: str) -> set[bytes]:
    """Every way a string could sit in a file: UTF-8, UTF-16 either way, JSON-escaped."""
    found = set()
    for variant in {secret, secret.upper(), secret.lower()}:
        found |= {
            variant.encode("utf-8"),
            variant.encode("utf-16-le"),
            variant.encode("utf-16-be"),
            json.dumps(variant)[1:-1].encode("ascii"),
        }
    return found


def leaks(blobs: dict[str, bytes]) -> list[tuple[str, str]]:
    """(where, secret) for every secret found in any of its forms."""
    return [
        (where, secret)
        for where, blob in blobs.items()
        for secret in SECRETS
        if any(form in blob for form in forms(secret))
    ]


def seed(ctx: Context, clock: FakeClock, cast: Cast) -> None:
    """The Russian serviceman enlists, with a free-text note; the Belarusian is turned away."""
    journey = Journey(ctx, clock)
    russian = journey.submit(cast.russian())
    services.start_document_review(ctx, Staff.recruiter, russian)
    services.record_document_check(
        ctx,
        Staff.recruiter,
        russian,
        passed=True,
        previously_convicted=False,
        stay_basis="military_registration_document",
        stay_valid_until=date(2027, 1, 1),
        reason=REASON,
    )
    services.record_special_check(ctx, Staff.vetting, russian, "passed", reason=REASON)
    services.record_medical_result(ctx, Staff.medic, russian, "fit")
    services.record_psychological_result(ctx, Staff.medic, russian, "passed")
    services.record_physical_result(ctx, Staff.recruiter, russian, "passed")
    services.approve(ctx, Staff.commander, russian, rank_group="private", reason=REASON)
    services.sign_contract(ctx, Staff.commander, russian)
    services.start_service(ctx, Staff.commander, russian)
    services.view_case(ctx, Staff.recruiter, russian)

    belarusian = journey.submit(cast.belarusian())
    services.reject(ctx, Staff.recruiter, belarusian, reason="no vacancy for a Belarusian sniper")


def unseal_into_scratch(ctx: Context) -> None:
    """Break the property on purpose: the plaintext, as text and as UTF-16 bytes."""
    with ctx.engine.begin() as conn:
        binary = "BYTEA" if conn.dialect.name == "postgresql" else "BLOB"
        conn.execute(text(f"CREATE TABLE scratch (plain TEXT, wide {binary})"))
        for secret in SECRETS:
            conn.execute(
                text("INSERT INTO scratch VALUES (:plain, :wide)"),
                {"plain": secret, "wide": secret.encode("utf-16-le")},
            )


# -- SQLite: the file, its write-ahead log, a backup -----------------------------------------
def sqlite_files(ctx: Context, tmp_path: Path) -> dict[str, bytes]:
    database = ctx.settings.sqlite_path
    wal = database.with_name(database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the WAL was checkpointed too early"
    blobs = {"database": database.read_bytes(), "wal": wal.read_bytes()}
    copy = tmp_path / "backup.db"
    source, target = sqlite3.connect(database), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    blobs["backup"] = copy.read_bytes()
    return blobs


def test_it_leaves_no_one_readable_in_the_sqlite_file_its_wal_or_a_backup(
    sqlite_ctx: Context, clock: FakeClock, cast: Cast, tmp_path: Path
) -> None:
    seed(sqlite_ctx, clock, cast)
    assert leaks(sqlite_files(sqlite_ctx, tmp_path)) == []


def test_it_would_find_the_names_in_an_unsealed_sqlite_copy(
    sqlite_ctx: Context, clock: FakeClock, cast: Cast, tmp_path: Path
) -> None:
    seed(sqlite_ctx, clock, cast)
    unseal_into_scratch(sqlite_ctx)
    found = leaks(sqlite_files(sqlite_ctx, tmp_path))
    for where in ("wal", "backup"):
        assert {secret for w, secret in found if w == where} == set(SECRETS), where


# -- PostgreSQL: every column of every table ----------------------------------------------------
def postgres_columns(ctx: Context) -> dict[str, bytes]:
    with ctx.engine.connect() as conn:
        columns = conn.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
        ).all()
        assert {c.table_name for c in columns} >= {"persons", "case_history", "audit_log"}
        blobs = {}
        for table, column, kind in columns:
            read = f'"{column}"' if kind == "bytea" else f'"{column}"::text'
            values = conn.execute(text(f'SELECT {read} FROM "{table}"')).scalars()
            blobs[f"{table}.{column}"] = b"\0".join(
                bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
                for v in values
                if v is not None
            )
    return blobs


def test_it_leaves_no_one_readable_in_any_postgresql_column(
    postgres_ctx: Context, clock: FakeClock, cast: Cast
) -> None:
    seed(postgres_ctx, clock, cast)
    columns = postgres_columns(postgres_ctx)
    assert columns["persons.sealed"], "the people were seeded"
    assert leaks(columns) == []


def test_it_would_find_the_names_in_an_unsealed_postgresql_column(
    postgres_ctx: Context, clock: FakeClock, cast: Cast
) -> None:
    seed(postgres_ctx, clock, cast)
    unseal_into_scratch(postgres_ctx)
    found = leaks(postgres_columns(postgres_ctx))
    assert {s for where, s in found if where == "scratch.plain"} == set(SECRETS)
    assert {s for where, s in found if where == "scratch.wide"} == set(SECRETS)
    assert {where for where, _ in found} == {"scratch.plain", "scratch.wide"}, found


def find_reason(reasons: list[dict[str, Any]], rule: str) -> dict[str, Any]:
    for reason in reasons:
        if reason["rule"] == rule:
            return reason
        try:
            return find_reason(reason["children"], rule)
        except LookupError:
            continue
    raise LookupError(rule)


def test_it_keeps_the_laws_answer_in_the_history_without_the_birth_date(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.russian())
    journey.to_approved(case_id)
    stored = journey.load(case_id).history[-1]
    assert stored.answer is not None
    age = find_reason(stored.answer["reasons"], "enlistment.common.age")
    assert age["status"] == "met"
    assert age["facts"] == {"birth_date": SEALED_FACT}
    assert "1991-07-23" not in json.dumps(stored.answer)
    # What is not identity stays readable, so the decision can still be explained.
    stay = find_reason(stored.answer["reasons"], "enlistment.foreigners.lawful_stay")
    assert stay["facts"]["stay_basis"] == "temporary_residence_permit"

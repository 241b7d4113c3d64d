"""The audit chain: whole after a path, and every tampering with it found by position."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, text

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.transitions import NotPermitted
from guardpath.services import cases as services

from .conftest import Cast, FakeClock, Journey, Staff

pytestmark = pytest.mark.integration


def verify(ctx: Context) -> audit.Report:
    with ctx.engine.connect() as conn:
        return audit.verify(conn, ctx.keyring)


def problems(ctx: Context) -> set[tuple[int, str]]:
    return {(p.position, p.kind) for p in verify(ctx).problems}


@pytest.fixture
def chain(ctx: Context, cast: Cast, journey: Journey) -> Iterator[int]:
    """A volunteer taken to his interview and his record read; yields the chain's length."""
    case_id = journey.submit(cast.american())
    journey.to_interview(case_id)
    services.view_case(ctx, Staff.recruiter, case_id)
    report = verify(ctx)
    assert report.ok, report.problems
    assert report.entries >= 9
    yield report.entries


def sql(ctx: Context, statement: str, **params: object) -> None:
    """Tampering the way an intruder with the database would: plain SQL, no guardpath."""
    with ctx.engine.begin() as conn:
        conn.execute(text(statement), params)


def row(conn: Connection, seq: int) -> dict[str, object]:
    found = conn.execute(text("SELECT * FROM audit_log WHERE seq = :seq"), {"seq": seq})
    return dict(found.mappings().one())


def test_it_finds_a_changed_detail_by_its_position(ctx: Context, chain: int) -> None:
    details = json.dumps({"from": "interview", "to": "rejected"})
    sql(ctx, "UPDATE audit_log SET details = :details WHERE seq = 7", details=details)
    assert problems(ctx) == {(7, "changed")}


def test_it_finds_a_changed_actor_by_its_position(ctx: Context, chain: int) -> None:
    sql(ctx, "UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 4")
    assert problems(ctx) == {(4, "changed")}


def test_it_finds_a_removed_entry_in_the_middle(ctx: Context, chain: int) -> None:
    sql(ctx, "DELETE FROM audit_log WHERE seq = 6")
    assert problems(ctx) == {(6, "removed")}
    assert verify(ctx).entries == chain - 1


SEALS = ("prev_hash", "hash")
CONTENT = ("at", "actor_id", "role", "action", "subject", "details")


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(CONTENT, {(3, "changed"), (5, "changed")}, id="content-only"),
        pytest.param(
            CONTENT + SEALS,
            {
                (3, "changed"),
                (4, "inserted_or_reordered"),
                (5, "changed"),
                (6, "inserted_or_reordered"),
            },
            id="content-with-seals",
        ),
    ],
)
def test_it_finds_two_entries_swapped_under_their_positions(
    ctx: Context, chain: int, columns: tuple[str, ...], expected: set[tuple[int, str]]
) -> None:
    with ctx.engine.begin() as conn:
        third, fifth = row(conn, 3), row(conn, 5)
        for seq, content in ((3, fifth), (5, third)):
            values = {c: content[c] for c in columns}
            values["details"] = json.dumps(values["details"])
            assignments = ", ".join(f"{c} = :{c}" for c in columns)
            conn.execute(
                text(f"UPDATE audit_log SET {assignments} WHERE seq = :seq"), {**values, "seq": seq}
            )
    assert problems(ctx) == expected


def test_it_finds_a_forged_entry_appended_without_the_key(ctx: Context, chain: int) -> None:
    with ctx.engine.connect() as conn:
        last = row(conn, chain)
    entry = audit.Entry(datetime(2025, 3, 1, tzinfo=UTC), "admin-x", "admin", "approve", "c")
    # The forger knows the format and the previous link, but not the audit key.
    unkeyed = hashlib.sha256(audit._canonical(chain + 1, entry, str(last["hash"]))).hexdigest()
    sql(
        ctx,
        "INSERT INTO audit_log (seq, at, actor_id, role, action, subject, details, prev_hash, hash)"
        " VALUES (:seq, :at, 'admin-x', 'admin', 'approve', 'c', '{}', :prev, :hash)",
        seq=chain + 1,
        at=entry.at,
        prev=last["hash"],
        hash=unkeyed,
    )
    assert problems(ctx) == {(chain + 1, "changed")}


def test_it_logs_a_staff_read_of_a_persons_record(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.russian())
    before = verify(ctx).entries
    clock.advance(hours=1)
    case = services.view_case(ctx, Staff.vetting, case_id)
    assert case.person.surname == "Zhuravlov"
    with ctx.engine.connect() as conn:
        last = row(conn, before + 1)
    assert (last["action"], last["actor_id"], last["role"], last["subject"]) == (
        "read_person",
        "vetting-taras",
        "vetting_officer",
        case_id,
    )
    details = last["details"]  # plain SQL: JSON as text on SQLite, decoded on PostgreSQL
    details = json.loads(details) if isinstance(details, str) else details
    assert details == {"reference": case.reference}
    assert verify(ctx).ok


def test_it_refuses_an_analyst_a_persons_record_and_logs_nothing(
    ctx: Context, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.russian())
    before = verify(ctx).entries
    for outsider in (Staff.analyst, Staff.applicant):
        with pytest.raises(NotPermitted, match="may not open a person's record"):
            services.view_case(ctx, outsider, case_id)
    assert verify(ctx).entries == before


def test_it_verifies_entries_made_by_a_clock_outside_utc(ctx: Context) -> None:
    kyiv = timezone(timedelta(hours=2))
    with ctx.engine.begin() as conn:
        audit.append(
            conn,
            ctx.keyring,
            audit.Entry(datetime(2025, 1, 10, 11, 0, tzinfo=kyiv), "u", "admin", "x", "s", {}),
        )
    report = verify(ctx)
    assert report.ok, report.problems

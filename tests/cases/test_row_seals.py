"""Every decision bound to the chain: a row edited, inserted or deleted outside guardpath is
found by table and id, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.model import CitizenshipState
from guardpath.services import cases as services
from guardpath.services.staff import add_staff

from .conftest import Cast, FakeClock, Journey, Staff

pytestmark = pytest.mark.integration


def report(ctx: Context) -> audit.Report:
    with ctx.engine.connect() as conn:
        return audit.verify(conn, ctx.keyring)


def found(ctx: Context) -> set[tuple[str, str, str]]:
    return {(p.table, p.row_id, p.kind) for p in report(ctx).rows}


def sql(ctx: Context, statement: str, **params: object) -> None:
    """Tampering the way an intruder with the database would: plain SQL, no guardpath."""
    with ctx.engine.begin() as conn:
        conn.execute(text(statement), params)


@dataclass(frozen=True)
class Records:
    rejected: str
    serving: str
    analyst: str


@pytest.fixture
def records(ctx: Context, clock: FakeClock, cast: Cast, journey: Journey) -> Iterator[Records]:
    """A rejected applicant, a serviceman whose citizenship was granted, an analyst's account."""
    rejected = journey.submit(cast.russian())
    services.reject(ctx, Staff.recruiter, rejected, "no documents")
    serving = journey.submit(cast.american())
    journey.to_citizenship(serving, "2027-06-01", CitizenshipState.SUBMITTED)
    services.decide_citizenship_application(ctx, Staff.migration, serving, CitizenshipState.GRANTED)
    analyst = add_staff(ctx, Staff.admin, "olena.analyst", "analyst", "correct horse battery")
    whole = report(ctx)
    assert whole.ok, (whole.problems, whole.rows)
    yield Records(rejected, serving, analyst.id)


def test_every_decision_made_through_guardpath_verifies(ctx: Context, records: Records) -> None:
    with ctx.engine.connect() as conn:
        sealed = {
            table: conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE mac IS NOT NULL")
            ).scalar_one()
            for table in (
                "cases",
                "case_history",
                "contracts",
                "service_periods",
                "citizenship_applications",
                "staff_users",
                "persons",
            )
        }
    assert all(n > 0 for n in sealed.values()), sealed
    assert report(ctx).ok


def test_it_finds_a_case_moved_from_rejected_to_approved(ctx: Context, records: Records) -> None:
    sql(ctx, "UPDATE cases SET state = 'approved' WHERE id = :id", id=records.rejected)
    assert found(ctx) == {("cases", records.rejected, "edited")}
    assert not report(ctx).ok


def test_it_finds_a_history_entry_rewritten(ctx: Context, records: Records) -> None:
    sql(
        ctx,
        "UPDATE case_history SET to_state = 'approved' WHERE case_id = :id AND seq = 2",
        id=records.rejected,
    )
    assert found(ctx) == {("case_history", f"{records.rejected}:2", "edited")}


def test_it_finds_an_analyst_made_admin(ctx: Context, records: Records) -> None:
    sql(ctx, "UPDATE staff_users SET role = 'admin' WHERE id = :id", id=records.analyst)
    assert found(ctx) == {("staff_users", records.analyst, "edited")}


def test_it_finds_a_contract_lengthened_and_a_citizenship_refused(
    ctx: Context, records: Records
) -> None:
    sql(ctx, "UPDATE contracts SET years = 9 WHERE case_id = :id", id=records.serving)
    sql(
        ctx,
        "UPDATE citizenship_applications SET state = 'refused' WHERE case_id = :id",
        id=records.serving,
    )
    assert found(ctx) == {
        ("contracts", records.serving, "edited"),
        ("citizenship_applications", records.serving, "edited"),
    }


def test_it_finds_an_older_version_of_a_row_put_back(ctx: Context, records: Records) -> None:
    """The old row had a valid MAC; the chain knows it is no longer the row's MAC."""
    with ctx.engine.connect() as conn:
        before = conn.execute(
            text("SELECT state, version, mac FROM cases WHERE id = :id"), {"id": records.serving}
        ).one()
    services.discharge(ctx, Staff.commander, records.serving, "end of contract")
    sql(
        ctx,
        "UPDATE cases SET state = :state, version = :version, mac = :mac WHERE id = :id",
        state=before.state,
        version=before.version,
        mac=before.mac,
        id=records.serving,
    )
    assert before.mac is not None
    assert found(ctx) == {("cases", records.serving, "edited")}


def test_it_finds_a_row_inserted_outside_guardpath(ctx: Context, records: Records) -> None:
    sql(
        ctx,
        "INSERT INTO case_history (case_id, seq, action, from_state, to_state, actor_id, role, at)"
        " VALUES (:id, 3, 'approve', 'rejected', 'approved', 'recruiter-ivan', 'recruiter',"
        " '2025-02-01 10:00:00')",
        id=records.rejected,
    )
    assert found(ctx) == {("case_history", f"{records.rejected}:3", "inserted")}


def test_it_finds_a_row_deleted_outside_guardpath(ctx: Context, records: Records) -> None:
    sql(
        ctx,
        "DELETE FROM case_history WHERE case_id = :id AND seq = 2",
        id=records.rejected,
    )
    assert found(ctx) == {("case_history", f"{records.rejected}:2", "deleted")}


def test_it_finds_a_row_copied_with_its_mac_into_another_row(
    ctx: Context, records: Records
) -> None:
    with ctx.engine.connect() as conn:
        mac = conn.execute(
            text("SELECT mac FROM cases WHERE id = :id"), {"id": records.serving}
        ).scalar_one()
    sql(ctx, "UPDATE cases SET mac = :mac WHERE id = :id", mac=mac, id=records.rejected)
    assert found(ctx) == {("cases", records.rejected, "edited")}

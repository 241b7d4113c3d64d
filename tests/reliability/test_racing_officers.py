"""Twenty officers take the same step on the same case at the same moment, each on its own
thread and connection, with the version they all read: exactly one wins, the other nineteen
are told of the conflict, and the history and the audit chain show one transition.

On SQLite (a fresh migrated file) and on PostgreSQL (a fresh database on the local server,
127.0.0.1:5432 as postgres, dropped after; skipped where the server cannot be reached, except
when CI=true, where that fails).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy import func, select

from cast import application
from guardpath.adapters import audit, database
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import audit_log
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Case, Role, State
from guardpath.cases.transitions import Conflict
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.settings import load_settings
from postgres_support import fresh_database

pytestmark = pytest.mark.integration

CLIENTS = 20

APPLICANT = Actor("applicant", Role.APPLICANT)
RECRUITER = Actor("recruiter-olena", Role.RECRUITER)
VETTING = Actor("vetting-taras", Role.VETTING_OFFICER)
MEDIC = Actor("medic-iryna", Role.MEDICAL_OFFICER)
COMMANDER = Actor("commander-bohdan", Role.COMMANDER)

APPLICATION = application("belarusian")


@pytest.fixture(autouse=True)
def _setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """No developer settings; a connection pool for every client,
    so that all twenty hold a connection at once instead of queueing for one of fifteen."""
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)

    def sized(url: str, **options: Any) -> sqlalchemy.Engine:
        return sqlalchemy.create_engine(url, pool_size=CLIENTS + 2, max_overflow=0, **options)

    monkeypatch.setattr(database, "create_engine", sized)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with fresh_database("guardpath_race") as url:
        yield url


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgresql),
    ]
)
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    url = request.getfixturevalue("postgres_database") if request.param == "postgresql" else None
    context = bootstrap(load_settings(data_dir=tmp_path / "data", database_url=url))
    upgrade(context.engine)
    yield context
    context.engine.dispose()


def load(ctx: Context, case_id: str) -> Case:
    with ctx.unit_of_work() as uow:
        return uow.cases.get(case_id)


def submit(ctx: Context) -> Case:
    application = ApplicationIn.model_validate(APPLICATION)
    return services.submit_application(ctx, APPLICANT, application).case


def to_interview(ctx: Context, case_id: str) -> Case:
    services.start_document_review(ctx, RECRUITER, case_id)
    case = services.record_document_check(
        ctx,
        RECRUITER,
        case_id,
        passed=True,
        previously_convicted=False,
        stay_basis="temporary_residence_permit",
        stay_valid_until=date(2099, 1, 1),
    )
    if case.state is State.SPECIAL_CHECK:
        services.record_special_check(ctx, VETTING, case_id, "passed")
    services.record_medical_result(ctx, MEDIC, case_id, "fit")
    services.record_psychological_result(ctx, MEDIC, case_id, "passed")
    return services.record_physical_result(ctx, RECRUITER, case_id, "passed")


Attempt = Callable[[], Case]


def race(attempts: list[Attempt]) -> list[Case | BaseException]:
    """Every attempt on its own thread, released together by a barrier."""
    start = threading.Barrier(len(attempts), timeout=30)

    def run(attempt: Attempt) -> Case | BaseException:
        start.wait()
        try:
            return attempt()
        except Exception as error:
            return error

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(run, attempts))


def assert_one_winner_and_one_transition(
    ctx: Context, case_id: str, before: Case, results: list[Case | BaseException]
) -> Case:
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if not isinstance(r, Case)]
    assert len(results) == CLIENTS
    assert len(winners) == 1, results
    assert len(losers) == CLIENTS - 1
    assert all(isinstance(r, Conflict) for r in losers), losers
    after = load(ctx, case_id)
    assert after.state is winners[0].state
    assert after.version == before.version + 1
    assert len(after.history) == len(before.history) + 1
    assert after.history[:-1] == before.history
    with ctx.engine.connect() as conn:
        report = audit.verify(conn, ctx.keyring)
        moves = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.subject == case_id, audit_log.c.action.in_(["approve", "reject"]))
        ).scalar_one()
    assert report.ok, report.problems
    assert moves == 1
    return after


def test_twenty_officers_rejecting_one_case_at_once_make_one_rejection(ctx: Context) -> None:
    case = submit(ctx)
    before = load(ctx, case.id)
    seen = before.version

    def reject(n: int) -> Attempt:
        return lambda: services.reject(
            ctx, RECRUITER, case.id, reason=f"officer {n}: no vacancy", expected_version=seen
        )

    results = race([reject(n) for n in range(CLIENTS)])
    after = assert_one_winner_and_one_transition(ctx, case.id, before, results)
    assert after.state is State.REJECTED
    assert after.history[-1].action == "reject"


def test_ten_approvals_and_ten_rejections_of_one_case_at_once_make_one_decision(
    ctx: Context,
) -> None:
    case = submit(ctx)
    to_interview(ctx, case.id)
    before = load(ctx, case.id)
    assert before.state is State.INTERVIEW
    seen = before.version

    def approve() -> Case:
        return services.approve(
            ctx, COMMANDER, case.id, rank_group="private", expected_version=seen
        )

    def reject() -> Case:
        return services.reject(ctx, COMMANDER, case.id, reason="no", expected_version=seen)

    attempts: list[Attempt] = [approve, reject] * (CLIENTS // 2)
    results = race(attempts)
    after = assert_one_winner_and_one_transition(ctx, case.id, before, results)
    assert after.state in (State.APPROVED, State.REJECTED)

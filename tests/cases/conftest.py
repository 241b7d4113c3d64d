"""Fixtures for the case tests: a clock we move, the database on two backends, and a cast.

Three speeds: the domain alone (no fixture here needed), `sqlite_ctx` (a file in a temporary
folder) and `ctx`, which runs a test once on SQLite and once on PostgreSQL. PostgreSQL is the
local server (trust auth, user postgres). Each session gets its own database, migrated once
(the SQLite template of tests/conftest.py too, copied for each test), and each test starts
from empty tables.
Where the server cannot be reached the PostgreSQL runs are skipped, except in CI (CI=true),
where they must run and a missing server fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from cast import Cast
from guardpath.adapters.database import make_engine
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import metadata
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Case, CitizenshipState, Role, State
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.settings import load_settings
from postgres_support import empty_tables, fresh_database

START = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "integration: runs against a real database")
    config.addinivalue_line("markers", "postgresql: needs the PostgreSQL server")


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own GUARDPATH_ settings (production, keys) must not leak into a test."""
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


# -- the clock -----------------------------------------------------------------------------
@dataclass
class FakeClock:
    """The services' clock: it stands still until a test moves it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, day: date | str, hour: int = 9) -> datetime:
        on = date.fromisoformat(day) if isinstance(day, str) else day
        self.now = datetime(on.year, on.month, on.day, hour, tzinfo=UTC)
        return self.now

    def today(self) -> date:
        return self.now.date()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# -- the databases ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own for this session on the local server, dropped at the end."""
    with fresh_database("guardpath_test") as url:
        # Durability on commit is the server's business, not these tests': skip the wait.
        yield f"{url}?options=-csynchronous_commit%3Doff"


@pytest.fixture(scope="session")
def legislation() -> Legislation:
    return default_legislation()


@pytest.fixture(scope="session")
def postgres_migrated(postgres_url: str) -> str:
    """The session's PostgreSQL database, migrated once."""
    engine = make_engine(load_settings(database_url=postgres_url))
    upgrade(engine)
    engine.dispose()
    return postgres_url


def _context(
    tmp_path: Path, clock: FakeClock, legislation: Legislation, database: Path | str
) -> Context:
    """A context on a copy of the SQLite template (a path) or on PostgreSQL (a URL)."""
    url = database if isinstance(database, str) else None
    settings = load_settings(data_dir=tmp_path / "data", database_url=url)
    if isinstance(database, Path):
        settings.data_dir.mkdir(parents=True)
        shutil.copyfile(database, settings.sqlite_path)
    context = bootstrap(settings, clock=clock, legislation=legislation)
    if url is None:
        event.listen(context.engine, "connect", _no_fsync)
    else:
        empty_tables(context.engine)
    return context


def _no_fsync(connection: Any, _record: Any) -> None:
    # Surviving a power cut is SQLite's business, not these tests': skip the fsync per commit
    # (WAL and BEGIN IMMEDIATE, which the tests do rely on, are unchanged).
    connection.execute("PRAGMA synchronous=OFF")


BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.integration),
    pytest.param("postgresql", marks=[pytest.mark.integration, pytest.mark.postgresql]),
]


@pytest.fixture(params=BACKENDS)
def ctx(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock, legislation: Legislation
) -> Iterator[Context]:
    """The composition root on SQLite, then on PostgreSQL, with the fake clock."""
    database = request.getfixturevalue(
        "postgres_migrated" if request.param == "postgresql" else "sqlite_template"
    )
    context = _context(tmp_path, clock, legislation, database)
    yield context
    context.engine.dispose()


@pytest.fixture
def sqlite_ctx(
    sqlite_template: Path, tmp_path: Path, clock: FakeClock, legislation: Legislation
) -> Iterator[Context]:
    context = _context(tmp_path, clock, legislation, sqlite_template)
    yield context
    context.engine.dispose()


@pytest.fixture
def postgres_ctx(
    postgres_migrated: str, tmp_path: Path, clock: FakeClock, legislation: Legislation
) -> Iterator[Context]:
    context = _context(tmp_path, clock, legislation, postgres_migrated)
    yield context
    context.engine.dispose()


Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(context: Context) -> Snapshot:
    """Every row of every table, in key order: equal snapshots mean nothing was written."""
    with context.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


@pytest.fixture
def tables() -> Callable[[Context], Snapshot]:
    return snapshot


# -- the cast (tests/cast.py) ------------------------------------------------------------------
@pytest.fixture
def cast() -> Cast:
    return Cast()


# Who may take each step, and from where: written out from domain.md §5 and design.md
# ("each role sees and does only what the role needs"), not read back from the code.
R, S = Role, State
APPLYING = {S.SUBMITTED, S.DOCUMENT_REVIEW, S.SPECIAL_CHECK, S.MEDICAL, S.PSYCHOLOGICAL}
APPLYING |= {S.PHYSICAL, S.INTERVIEW, S.APPROVED, S.CONTRACT_SIGNED}
SERVING = {S.PROBATION, S.IN_SERVICE}
WHO_MAY: dict[str, tuple[set[Role], set[State]]] = {
    "submit_application": ({R.APPLICANT, R.RECRUITER}, {S.DRAFT}),
    "start_document_review": ({R.RECRUITER}, {S.SUBMITTED}),
    "record_document_check": ({R.RECRUITER}, {S.DOCUMENT_REVIEW}),
    # Also later, for a case whose documents were checked before the check existed.
    "record_special_check": (
        {R.VETTING_OFFICER},
        {S.SPECIAL_CHECK, S.MEDICAL, S.PSYCHOLOGICAL, S.PHYSICAL, S.INTERVIEW},
    ),
    "record_medical_result": ({R.MEDICAL_OFFICER}, {S.MEDICAL}),
    "record_psychological_result": ({R.MEDICAL_OFFICER}, {S.PSYCHOLOGICAL}),
    "record_physical_result": ({R.RECRUITER}, {S.PHYSICAL}),
    "approve": ({R.COMMANDER}, {S.INTERVIEW}),
    "reject": ({R.RECRUITER, R.VETTING_OFFICER, R.COMMANDER}, APPLYING),
    "withdraw": ({R.APPLICANT, R.RECRUITER}, APPLYING | {S.DRAFT}),
    "sign_contract": ({R.COMMANDER}, {S.APPROVED}),
    "start_service": ({R.COMMANDER}, {S.CONTRACT_SIGNED}),
    "complete_probation": ({R.COMMANDER}, {S.PROBATION}),
    "record_award": ({R.COMMANDER}, SERVING),
    "discharge": ({R.COMMANDER}, SERVING),
    "record_state_award": ({R.MIGRATION_OFFICER}, SERVING | {S.DISCHARGED}),
    "prepare_citizenship_application": ({R.MIGRATION_OFFICER}, SERVING | {S.DISCHARGED}),
    "decide_citizenship_application": ({R.MIGRATION_OFFICER}, SERVING | {S.DISCHARGED}),
}
"""The admin may take every step besides these roles."""


class Staff:
    """The people who work the cases, one per role."""

    applicant = Actor("applicant", Role.APPLICANT)
    recruiter = Actor("recruiter-olena", Role.RECRUITER)
    vetting = Actor("vetting-taras", Role.VETTING_OFFICER)
    medic = Actor("medic-iryna", Role.MEDICAL_OFFICER)
    commander = Actor("commander-bohdan", Role.COMMANDER)
    migration = Actor("migration-oksana", Role.MIGRATION_OFFICER)
    analyst = Actor("analyst-petro", Role.ANALYST)
    admin = Actor("admin-hanna", Role.ADMIN)

    @classmethod
    def of(cls, role: Role) -> Actor:
        return next(a for a in vars(cls).values() if isinstance(a, Actor) and a.role is role)


@pytest.fixture
def staff() -> type[Staff]:
    return Staff


# -- moving a case along ----------------------------------------------------------------------
class Journey:
    """Takes a case through the process, a day per step, as the staff would."""

    def __init__(self, ctx: Context, clock: FakeClock) -> None:
        self.ctx = ctx
        self.clock = clock

    def load(self, case_id: str) -> Case:
        with self.ctx.unit_of_work() as uow:
            return uow.cases.get(case_id)

    def submit(self, application: ApplicationIn) -> str:
        return services.submit_application(self.ctx, Staff.applicant, application).case.id

    def to_interview(self, case_id: str, stay_valid_until: date = date(2030, 1, 1)) -> Case:
        ctx, s = self.ctx, Staff
        services.start_document_review(ctx, s.recruiter, case_id)
        self.clock.advance(days=1)
        case = services.record_document_check(
            ctx,
            s.recruiter,
            case_id,
            passed=True,
            previously_convicted=False,
            stay_basis="temporary_residence_permit",
            stay_valid_until=stay_valid_until,
        )
        if case.state is State.SPECIAL_CHECK:
            self.clock.advance(days=1)
            services.record_special_check(ctx, s.vetting, case_id, "passed")
        self.clock.advance(days=1)
        services.record_medical_result(ctx, s.medic, case_id, "fit")
        services.record_psychological_result(ctx, s.medic, case_id, "passed")
        self.clock.advance(days=1)
        return services.record_physical_result(ctx, s.recruiter, case_id, "passed")

    def to_approved(self, case_id: str, rank_group: str = "private", **approve: Any) -> Case:
        self.to_interview(case_id)
        self.clock.advance(days=1)
        return services.approve(
            self.ctx, Staff.commander, case_id, rank_group=rank_group, **approve
        )

    def to_probation(self, case_id: str, years: int | None = None, **approve: Any) -> Case:
        self.to_approved(case_id, **approve)
        self.clock.advance(days=1)
        services.sign_contract(self.ctx, Staff.commander, case_id, years=years)
        return services.start_service(self.ctx, Staff.commander, case_id)

    def to_service(self, case_id: str, **approve: Any) -> Case:
        case = self.to_probation(case_id, **approve)
        assert case.contract is not None
        self.clock.set(case.contract.probation_ends_on)
        return services.complete_probation(self.ctx, Staff.commander, case_id)

    def to_citizenship(self, case_id: str, on: str, to: CitizenshipState) -> Case:
        self.to_service(case_id)
        self.clock.set(on)
        services.prepare_citizenship_application(self.ctx, Staff.migration, case_id)
        return services.decide_citizenship_application(self.ctx, Staff.migration, case_id, to)


@pytest.fixture
def journey(ctx: Context, clock: FakeClock) -> Journey:
    return Journey(ctx, clock)


@pytest.fixture
def sqlite_journey(sqlite_ctx: Context, clock: FakeClock) -> Journey:
    return Journey(sqlite_ctx, clock)

"""Fixtures for the staff console: one account per role, a browser signed in as any of them,
and a cast of volunteers whose cases are really run through the services.

A test module imports the fixtures it uses (`from web.staff_fixtures import console_fixture`);
each is registered under its short name (`console`), so a test's parameter does not shadow the
import. They build on tests/web/conftest.py's `ctx`, `clock` and `app`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyotp
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from cast import application
from guardpath.adapters.repository import document_context
from guardpath.adapters.tables import documents, metadata
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role, State
from guardpath.services import cases as services
from guardpath.services import staff as staff_services
from guardpath.services.applications import ApplicationIn
from guardpath.services.staff import StaffSession, add_staff
from guardpath.web.staff.session import COOKIE
from web.conftest import csrf_of

PASSWORD = "correct horse battery staple"
BASE_URL = "http://localhost"  # plain http on this machine: the cookie may go without Secure
STAFF_ROLES = tuple(r for r in Role if r is not Role.APPLICANT)
REFUSED = "The username, password or code is not right"


def log_in(client: Any, username: str, password: str, code: str) -> Any:
    """Through the login page, as a browser would: the form's token, then the post."""
    form = client.get("/staff/login")
    data = {"username": username, "password": password, "code": code, "csrf": csrf_of(form.text)}
    return client.post("/staff/login", data=data, follow_redirects=False)


# From the cast (tests/cast.py): the Russian serviceman who crossed over, and the Belarusian
# volunteer with his passport written as the Belarusian passport prints it.
RUSSIAN: dict[str, Any] = application("russian", phone=None)
BELARUSIAN: dict[str, Any] = application("belarusian", passport_number="MP 3456789")


@dataclass
class Accounts:
    """A staff account per role (username = the role's name), created on first use."""

    ctx: Context
    clock: Any
    secrets: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def ensure(self, role: Role) -> str:
        username = role.value.replace("_", "-")
        if username not in self.secrets:
            made = add_staff(self.ctx, ADMIN, username, role, PASSWORD)
            self.secrets[username], self.ids[username] = made.totp_secret, made.id
        return username

    def code(self, username: str) -> str:
        return pyotp.TOTP(self.secrets[username]).at(self.clock.now)

    def session(self, role: Role) -> StaffSession:
        """A fresh session through the login service; the clock moves on a TOTP step, so
        the next login has a fresh code."""
        username = self.ensure(role)
        session = staff_services.log_in(self.ctx, username, PASSWORD, self.code(username))
        self.clock.advance(seconds=30)
        return session


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(name="accounts")
def accounts_fixture(ctx: Context, clock: Any, monkeypatch: pytest.MonkeyPatch) -> Accounts:
    """Accounts with argon2 at its cheapest, so tests stay fast (the real cost is ~0.4 s a
    hash on a small machine; what is tested is the same code)."""
    monkeypatch.setattr(staff_services, "HASHER", CHEAP_HASHER)
    return Accounts(ctx, clock)


@dataclass
class Console:
    """A browser on the staff console. `as_role` signs it in (a session straight from the
    login service), and `post` sends a form with the session's CSRF token."""

    client: TestClient
    accounts: Accounts
    session: StaffSession | None = None

    def as_role(self, role: Role) -> Console:
        self.session = self.accounts.session(role)
        self.client.cookies.set(COOKIE, self.session.token)
        return self

    def signed_out(self) -> Console:
        self.session = None
        self.client.cookies.clear()
        return self

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, csrf: bool = True) -> Any:
        form = dict(data or {})
        if csrf and self.session is not None:
            form.setdefault("csrf", self.session.csrf)
        return self.client.post(path, data=form, follow_redirects=False)


@pytest.fixture(name="staff_client")
def staff_client_fixture(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


@pytest.fixture(name="console")
def console_fixture(staff_client: TestClient, accounts: Accounts) -> Console:
    return Console(staff_client, accounts)


# -- cases -----------------------------------------------------------------------------------
APPLICANT = Actor("applicant", Role.APPLICANT)
ADMIN = Actor("cli:root", Role.ADMIN)
RECRUITER = Actor("recruiter-olena", Role.RECRUITER)
VETTING = Actor("vetting-taras", Role.VETTING_OFFICER)
MEDIC = Actor("medic-iryna", Role.MEDICAL_OFFICER)
COMMANDER = Actor("commander-bohdan", Role.COMMANDER)
ROUTE = (
    State.DOCUMENT_REVIEW,
    State.SPECIAL_CHECK,
    State.MEDICAL,
    State.PSYCHOLOGICAL,
    State.PHYSICAL,
    State.INTERVIEW,
    State.APPROVED,
    State.CONTRACT_SIGNED,
    State.PROBATION,
)


@dataclass
class Seeded:
    """Submits applications and moves cases along, as the staff would."""

    ctx: Context

    def submit(self, data: dict[str, Any] | None = None) -> str:
        application = ApplicationIn.model_validate(data or RUSSIAN)
        return services.submit_application(self.ctx, APPLICANT, application).case.id

    def case(self, case_id: str) -> Any:
        with self.ctx.unit_of_work() as uow:
            return uow.cases.get(case_id)

    def advance(self, case_id: str, to: State) -> None:
        """Step the case forward until it reaches `to` (one of ROUTE)."""
        steps = {
            State.SUBMITTED: lambda: services.start_document_review(self.ctx, RECRUITER, case_id),
            State.DOCUMENT_REVIEW: lambda: services.record_document_check(
                self.ctx,
                RECRUITER,
                case_id,
                passed=True,
                previously_convicted=False,
                stay_basis="temporary_residence_permit",
                stay_valid_until=self.ctx.clock().date().replace(year=2030),
            ),
            State.SPECIAL_CHECK: lambda: services.record_special_check(
                self.ctx, VETTING, case_id, "passed"
            ),
            State.MEDICAL: lambda: services.record_medical_result(self.ctx, MEDIC, case_id, "fit"),
            State.PSYCHOLOGICAL: lambda: services.record_psychological_result(
                self.ctx, MEDIC, case_id, "passed"
            ),
            State.PHYSICAL: lambda: services.record_physical_result(
                self.ctx, RECRUITER, case_id, "passed"
            ),
            State.INTERVIEW: lambda: services.approve(
                self.ctx, COMMANDER, case_id, rank_group="private"
            ),
            State.APPROVED: lambda: services.sign_contract(self.ctx, COMMANDER, case_id),
            State.CONTRACT_SIGNED: lambda: services.start_service(self.ctx, COMMANDER, case_id),
        }
        while (state := self.case(case_id).state) is not to:
            steps[state]()


@pytest.fixture(name="seeded")
def seeded_fixture(ctx: Context) -> Seeded:
    return Seeded(ctx)


def snapshot(ctx: Context) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal snapshots mean nothing was written."""
    with ctx.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


PDF = b"%PDF-1.4\n% a scanned passport\n"


def add_document(ctx, case_id: str, content: bytes = PDF) -> str:
    document_id = str(uuid.uuid4())
    with ctx.engine.begin() as conn:
        conn.execute(
            documents.insert().values(
                id=document_id,
                case_id=case_id,
                kind="passport",
                media_type="application/pdf",
                size=len(content),
                sealed=ctx.keyring.seal(content, document_context(document_id)),
                key_id=ctx.keyring.active_id,
                created_at=ctx.clock(),
            )
        )
    return document_id

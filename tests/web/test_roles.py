"""Who may reach which route: every route of the app, walked by every role and by no one,
against a declared matrix.

`test_it_admits_exactly_the_declared_roles_on_every_route` enumerates the app's routes (the
`app.routes` tree, with included routers flattened), fills path parameters from a seeded case
(a Russian volunteer's case at the medical commission, with a document), and requests each one
as: no session, each staff role, and an applicant (a session row for an account with the role
`applicant`, which the console must not honour). A request is refused when the answer is 401,
403 or a redirect to the login page; anything else (200, a redirect elsewhere, 400, 404, 409,
422) means the route let that caller in. Staff forms carry the session's CSRF token and a stale
case version, so every admitted step ends in a conflict and no case moves during the walk.

The set of callers let in must equal the matrix exactly, and every route must be declared.
Loosening any permission fails it. For example, letting analysts search (in services/staff.py,
`CASE_ROLES = ACCOUNT_ROLES` instead of `ACCOUNT_ROLES - {Role.ANALYST}`) fails with

    GET /staff/search: admitted analyst, not declared
    POST /staff/search: admitted analyst, not declared

(the case page stays closed to them: no state of a case is theirs to open); and letting vetting
officers approve (in cases/transitions.py, `Role.VETTING_OFFICER` added to the `approve` step)
fails with

    POST /staff/cases/{case_id}/approve: admitted vetting_officer, not declared

Both were tried, and the permission restored. A new route fails until it is declared here.
"""

from __future__ import annotations

import re
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from guardpath.adapters.tables import staff_sessions, staff_users
from guardpath.cases.model import Role, State
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.services.staff import token_hash
from guardpath.web.staff.session import COOKIE
from web.staff_fixtures import (  # noqa: F401
    APPLICANT,
    BASE_URL,
    RUSSIAN,
    STAFF_ROLES,
    Accounts,
    Seeded,
    accounts_fixture,
    add_document,
    seeded_fixture,
)

NONE = "none"
EVERYONE = frozenset({NONE, *(r.value for r in Role)})
STAFF = frozenset(r.value for r in STAFF_ROLES)
CASE_WORKERS = STAFF - {"analyst"}
ADMIN = "admin"


def roles(*names: str) -> frozenset[str]:
    return frozenset({*names, ADMIN})


# The case walked is at the medical commission: the roles that may open it are those with a
# queue or a step there (recruiters and vetting officers may still reject it).
SEES_A_CASE_AT_MEDICAL = roles("recruiter", "vetting_officer", "medical_officer", "commander")

MATRIX: dict[str, frozenset[str]] = {
    # public: the same answer for everyone, signed in or not
    "GET /": EVERYONE,
    "GET /static": EVERYONE,
    "GET /healthz": EVERYONE,  # the probes (and /metrics, when on, behind its own token)
    "GET /readyz": EVERYONE,
    "GET /api/v1/openapi.json": EVERYONE,
    "GET /api/v1/docs": EVERYONE,
    "GET /docs/oauth2-redirect": EVERYONE,
    "POST /api/v1/checks/enlistment": EVERYONE,
    "POST /api/v1/checks/citizenship": EVERYONE,
    "POST /api/v1/applications": EVERYONE,
    "GET /api/v1/applications/{reference}": EVERYONE,
    "GET /check": EVERYONE,
    "POST /check": EVERYONE,
    "GET /check/citizenship": EVERYONE,
    "POST /check/citizenship": EVERYONE,
    "GET /check/all": EVERYONE,
    "POST /check/all": EVERYONE,
    "POST /check/next": EVERYONE,
    "GET /check/citizenship/all": EVERYONE,
    "POST /check/citizenship/all": EVERYONE,
    "POST /check/citizenship/next": EVERYONE,
    "GET /apply": EVERYONE,
    "POST /apply/start": EVERYONE,
    "POST /apply/discard": EVERYONE,
    "POST /apply/documents/upload": EVERYONE,
    "POST /apply/documents/remove": EVERYONE,
    "POST /apply/submit": EVERYONE,
    "GET /apply/sent": EVERYONE,
    "POST /apply/sent/done": EVERYONE,
    "GET /apply/{step}": EVERYONE,
    "POST /apply/about": EVERYONE,
    "POST /apply/stay": EVERYONE,
    "POST /apply/formation": EVERYONE,
    "POST /apply/{step}": EVERYONE,
    "GET /status": EVERYONE,
    "POST /status": EVERYONE,
    "GET /law/changes": EVERYONE,
    # the console
    "GET /staff/login": EVERYONE,
    "POST /staff/login": EVERYONE,
    "POST /staff/logout": STAFF,
    "GET /staff": STAFF,
    "GET /staff/search": CASE_WORKERS,
    "POST /staff/search": CASE_WORKERS,
    "GET /staff/cases/{case_id}": SEES_A_CASE_AT_MEDICAL,
    # a step's confirmation names no one: any case worker hears where a case went
    "GET /staff/cases/{case_id}/done/{action}": CASE_WORKERS,
    "GET /staff/cases/{case_id}/documents/{document_id}": SEES_A_CASE_AT_MEDICAL,
    "GET /staff/cases/{case_id}/papers/{lang}/{kind}.pdf": SEES_A_CASE_AT_MEDICAL,
    "POST /staff/cases/{case_id}/start_document_review": roles("recruiter"),
    "POST /staff/cases/{case_id}/record_document_check": roles("recruiter"),
    "POST /staff/cases/{case_id}/record_special_check": roles("vetting_officer"),
    "POST /staff/cases/{case_id}/record_medical_result": roles("medical_officer"),
    "POST /staff/cases/{case_id}/record_psychological_result": roles("medical_officer"),
    "POST /staff/cases/{case_id}/record_physical_result": roles("recruiter"),
    "POST /staff/cases/{case_id}/approve": roles("commander"),
    "POST /staff/cases/{case_id}/reject": roles("recruiter", "vetting_officer", "commander"),
    "POST /staff/cases/{case_id}/withdraw": roles("recruiter"),
    "POST /staff/cases/{case_id}/sign_contract": roles("commander"),
    "POST /staff/cases/{case_id}/start_service": roles("commander"),
    "POST /staff/cases/{case_id}/complete_probation": roles("commander"),
    "POST /staff/cases/{case_id}/record_award": roles("commander"),
    "POST /staff/cases/{case_id}/discharge": roles("commander"),
    "POST /staff/cases/{case_id}/record_state_award": roles("migration_officer"),
    "POST /staff/cases/{case_id}/prepare_citizenship_application": roles("migration_officer"),
    "POST /staff/cases/{case_id}/decide_citizenship_application": roles("migration_officer"),
    "GET /staff/cases/{case_id}/screening": roles("vetting_officer"),
    "POST /staff/cases/{case_id}/screening/{other_case_id}": roles("vetting_officer"),
    "GET /staff/statistics": roles("analyst"),
    "GET /staff/statistics.csv": roles("analyst"),
    "GET /staff/what-if": roles("analyst"),
    "POST /staff/what-if": roles("analyst"),
    "POST /staff/what-if.csv": roles("analyst"),
}
STATIC_FILE = "/static/guardpath.css"
LOGIN = "/staff/login"  # where a refused visitor is sent; logging out adds ?signed_out=1


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def endpoints(app: Any) -> list[Endpoint]:
    """Every method and path of the app; logging out last, since it ends the session."""
    found = []
    for route in iter_route_contexts(app.routes):
        methods = sorted(set(getattr(route, "methods", None) or {"GET"}) - {"HEAD"})
        found += [Endpoint(method, route.path) for method in methods]
    return sorted(found, key=lambda endpoint: endpoint.path == "/staff/logout")


@dataclass
class Walk:
    """The seeded case and one session per caller."""

    params: dict[str, str]
    resume_code: str
    cookies: dict[str, str | None]  # caller -> session token
    csrf: dict[str, str]  # caller -> the token its forms carry

    def url(self, endpoint: Endpoint) -> str:
        if endpoint.path == "/static":
            return STATIC_FILE
        missing = set(re.findall(r"{(\w+)}", endpoint.path)) - set(self.params)
        assert not missing, f"{endpoint.key}: give the walk a value for {missing}"
        return endpoint.path.format(**self.params)


def applicant_session(ctx) -> str:
    """A session for an account whose role is `applicant`: the console must not honour it."""
    token, user_id, now = secrets.token_urlsafe(32), str(uuid.uuid4()), ctx.clock()
    with ctx.engine.begin() as conn:
        conn.execute(
            staff_users.insert().values(
                id=user_id,
                username="an-applicant",
                password_hash="-",
                totp_sealed=b"-",
                key_id="-",
                role="applicant",
                failed_logins=0,
                created_at=now,
            )
        )
        conn.execute(
            staff_sessions.insert().values(
                token_hash=token_hash(token),
                user_id=user_id,
                csrf_token="c" * 43,
                created_at=now,
                expires_at=now.replace(year=now.year + 1),
                last_seen_at=now,
            )
        )
    return token


@pytest.fixture
def walk(ctx, accounts: Accounts, seeded: Seeded) -> Walk:
    application = ApplicationIn.model_validate(RUSSIAN)
    submitted = services.submit_application(ctx, APPLICANT, application)
    case_id = submitted.case.id
    seeded.advance(case_id, State.MEDICAL)
    cookies: dict[str, str | None] = {NONE: None, "applicant": applicant_session(ctx)}
    csrf = {NONE: secrets.token_urlsafe(32), "applicant": "c" * 43}
    for role in STAFF_ROLES:
        session = accounts.session(role)
        cookies[role.value], csrf[role.value] = session.token, session.csrf
    params = {
        "case_id": case_id,
        "other_case_id": "another-case",  # the form gives no decision: refused as a bad request
        "lang": "uk",
        "kind": "contract",
        "document_id": add_document(ctx, case_id),
        "reference": submitted.case.reference,
        "step": "about",
        "action": "approve",
    }
    return Walk(params, submitted.resume_code, cookies, csrf)


def refused(response: Any) -> bool:
    to_login = response.status_code in (302, 303) and response.headers.get("location", "").endswith(
        "/staff/login"
    )
    return response.status_code in (401, 403) or to_login


def ask(client: TestClient, walk: Walk, caller: str, endpoint: Endpoint) -> Any:
    """One request as this caller: its session cookie, and the tokens its forms carry."""
    client.cookies.clear()
    csrf, token = walk.csrf[caller], walk.cookies[caller]
    for name in ("gp_csrf", "gp_login"):  # the public forms' and the login form's own tokens
        client.cookies.set(name, csrf)
    if token:
        client.cookies.set(COOKIE, token)
    headers = {"X-Resume-Code": walk.resume_code}
    if endpoint.method == "GET":
        return client.get(walk.url(endpoint), headers=headers, follow_redirects=False)
    form = {"csrf": csrf, "version": "999999"}
    return client.request(
        endpoint.method, walk.url(endpoint), data=form, headers=headers, follow_redirects=False
    )


def admitted(app: Any, walk: Walk, routes: list[Endpoint]) -> dict[str, set[str]]:
    """Which callers each route lets in; the callers walk side by side, each in its browser."""

    def walk_as(caller: str) -> list[tuple[str, str]]:
        with TestClient(app, base_url=BASE_URL) as client:
            return [
                (endpoint.key, caller)
                for endpoint in routes
                if not refused(ask(client, walk, caller, endpoint))
            ]

    let_in: dict[str, set[str]] = {endpoint.key: set() for endpoint in routes}
    with ThreadPoolExecutor(max_workers=len(walk.cookies)) as pool:
        for key, caller in chain.from_iterable(pool.map(walk_as, walk.cookies)):
            let_in[key].add(caller)
    return let_in


def test_it_declares_every_route_of_the_app(app):
    routes = {endpoint.key for endpoint in endpoints(app)}

    assert routes - set(MATRIX) == set(), "declare who may reach these routes"
    assert set(MATRIX) - routes == set(), "these declared routes no longer exist"


def test_it_admits_exactly_the_declared_roles_on_every_route(app, walk: Walk, seeded: Seeded):
    problems = []
    for key, allowed in admitted(app, walk, endpoints(app)).items():
        declared = MATRIX.get(key, frozenset())
        for caller in sorted(allowed - declared):
            problems.append(f"{key}: admitted {caller}, not declared")
        for caller in sorted(declared - allowed):
            problems.append(f"{key}: refused {caller}, declared")

    assert problems == [], "\n".join(problems)
    assert seeded.case(walk.params["case_id"]).state is State.MEDICAL, "the walk moved the case"

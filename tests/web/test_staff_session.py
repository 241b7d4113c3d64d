"""A session is a random token in an HttpOnly, SameSite=Strict cookie; the database holds only
its SHA-256. Each login starts a new one, logging out ends it, and it lasts eight hours."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select

from guardpath.adapters.tables import staff_sessions
from guardpath.cases.model import Role
from guardpath.web.staff.session import COOKIE, SECURE_COOKIE
from web.conftest import csrf_of
from web.staff_fixtures import (  # noqa: F401
    PASSWORD,
    Accounts,
    Console,
    accounts_fixture,
    console_fixture,
    log_in,
    staff_client_fixture,
)


def test_it_gives_a_new_session_at_every_login(staff_client, accounts: Accounts, clock):
    name = accounts.ensure(Role.RECRUITER)
    log_in(staff_client, name, PASSWORD, accounts.code(name))
    first = staff_client.cookies[COOKIE]
    clock.advance(seconds=30)

    log_in(staff_client, name, PASSWORD, accounts.code(name))
    second = staff_client.cookies[COOKIE]

    assert second != first
    staff_client.cookies.set(COOKIE, first)
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303


def test_it_keeps_only_the_hash_of_the_token(staff_client, accounts: Accounts, ctx):
    name = accounts.ensure(Role.RECRUITER)
    log_in(staff_client, name, PASSWORD, accounts.code(name))
    token = staff_client.cookies[COOKIE]

    with ctx.engine.connect() as conn:
        stored = conn.execute(select(staff_sessions.c.token_hash)).scalars().all()

    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_it_ends_the_session_at_logout(console: Console):
    console.as_role(Role.RECRUITER)
    token = console.session.token

    response = console.post("/staff/logout")

    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?signed_out=1"
    console.client.cookies.set(COOKIE, token)
    assert console.get("/staff").status_code == 303


def test_it_ends_the_session_after_eight_hours(console: Console, clock):
    console.as_role(Role.RECRUITER)
    for _ in range(23):  # used every twenty minutes, so the idle timeout never ends it
        clock.advance(minutes=20)
        assert console.get("/staff").status_code == 200
    clock.advance(minutes=19)
    assert console.get("/staff").status_code == 200

    clock.advance(minutes=1)

    assert console.get("/staff").headers["location"] == "/staff/login"


def test_it_sets_the_cookie_httponly_and_samesite_strict(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)

    cookie = log_in(staff_client, name, PASSWORD, accounts.code(name)).headers["set-cookie"]

    assert cookie.startswith(f"{COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower(), "plain http on localhost is the one exception"


def test_it_sets_a_secure_host_cookie_over_https(app, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)
    with TestClient(app, base_url="https://staff.example.org") as client:
        cookie = log_in(client, name, PASSWORD, accounts.code(name)).headers["set-cookie"]

    assert cookie.startswith(f"{SECURE_COOKIE}=")
    assert "; secure" in cookie.lower()


def test_it_sets_a_secure_cookie_in_production_even_on_localhost(
    staff_client, accounts: Accounts, ctx, monkeypatch
):
    name = accounts.ensure(Role.RECRUITER)
    form = staff_client.get("/staff/login")
    monkeypatch.setattr(type(ctx.settings), "production", property(lambda self: True))
    data = {"username": name, "password": PASSWORD, "code": accounts.code(name)}

    response = staff_client.post(
        "/staff/login", data=data | {"csrf": csrf_of(form.text)}, follow_redirects=False
    )

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SECURE_COOKIE}=")
    assert "; secure" in cookie.lower()


def test_it_sends_a_visitor_without_a_session_to_the_login_page(staff_client):
    response = staff_client.get("/staff", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login"

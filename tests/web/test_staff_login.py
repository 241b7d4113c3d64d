"""Logging in takes the password and a fresh TOTP code; every refusal reads the same."""

from __future__ import annotations

from guardpath.cases.model import Role
from web.staff_fixtures import (  # noqa: F401
    PASSWORD,
    REFUSED,
    Accounts,
    accounts_fixture,
    log_in,
    staff_client_fixture,
)


def test_it_logs_in_with_the_password_and_a_current_code(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)

    response = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert response.status_code == 303
    assert response.headers["location"] == "/staff"
    console = staff_client.get("/staff")
    assert console.status_code == 200
    assert "recruiter" in console.text


def test_it_refuses_a_wrong_code(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)
    right = accounts.code(name)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = log_in(staff_client, name, PASSWORD, wrong)

    assert response.status_code == 200
    assert REFUSED in response.text
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303
    assert f'id="username" name="username" value="{name}"' in response.text  # kept, to retry
    assert PASSWORD not in response.text and wrong not in response.text
    assert "locked" not in response.text  # accounts are throttled per client, never locked


def test_it_refuses_a_code_used_once_already(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)
    code = accounts.code(name)
    assert log_in(staff_client, name, PASSWORD, code).status_code == 303
    staff_client.cookies.clear()

    again = log_in(staff_client, name, PASSWORD, code)

    assert again.status_code == 200
    assert REFUSED in again.text


def test_it_says_the_same_for_an_unknown_user_a_wrong_password_and_a_wrong_code(
    staff_client, accounts: Accounts
):
    name = accounts.ensure(Role.RECRUITER)
    code = accounts.code(name)

    answers = [
        log_in(staff_client, "nobody", PASSWORD, code),
        log_in(staff_client, name, "not the password", code),
        log_in(staff_client, name, PASSWORD, "000000" if code != "000000" else "111111"),
    ]

    assert {a.status_code for a in answers} == {200}
    bodies = {a.text.split('name="csrf" value="')[0] for a in answers}
    assert len(bodies) == 1, "the pages differ before the form's token"


def test_it_refuses_a_login_form_without_its_token(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.RECRUITER)
    staff_client.get("/staff/login")
    data = {"username": name, "password": PASSWORD, "code": accounts.code(name), "csrf": "x" * 43}

    response = staff_client.post("/staff/login", data=data, follow_redirects=False)

    assert response.status_code == 403
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303

"""Five failed logins lock the account for fifteen minutes; many from one address are slowed."""

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


def test_it_locks_the_account_after_five_failures(staff_client, accounts: Accounts, clock):
    name = accounts.ensure(Role.COMMANDER)
    for _ in range(5):
        assert log_in(staff_client, name, "wrong password!", accounts.code(name)).status_code == 200

    locked = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert locked.status_code == 200
    assert REFUSED in locked.text


def test_it_unlocks_the_account_after_fifteen_minutes(staff_client, accounts: Accounts, clock):
    name = accounts.ensure(Role.COMMANDER)
    for _ in range(5):
        log_in(staff_client, name, "wrong password!", accounts.code(name))

    clock.advance(minutes=14, seconds=30)
    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 200
    clock.advance(minutes=1)

    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303


def test_it_counts_failures_afresh_after_a_good_login(staff_client, accounts: Accounts, clock):
    name = accounts.ensure(Role.COMMANDER)
    for _ in range(4):
        log_in(staff_client, name, "wrong password!", accounts.code(name))
    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303
    clock.advance(seconds=30)

    log_in(staff_client, name, "wrong password!", accounts.code(name))

    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303


def test_it_slows_down_one_address_that_keeps_failing(staff_client, accounts: Accounts, app):
    app.state.staff_login_limiter.limit = 3
    for _ in range(3):
        log_in(staff_client, "nobody", PASSWORD, "123456")
    name = accounts.ensure(Role.COMMANDER)

    response = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert response.status_code == 429
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303

"""Failed logins are throttled per address, and per username and address, in the database: an
address that keeps failing is slowed (429), and no one can lock an account's owner out by
failing on purpose from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guardpath.cases.model import Role
from guardpath.services.limits import LOGINS_PER_CLIENT, LOGINS_PER_USERNAME
from web.staff_fixtures import (  # noqa: F401
    BASE_URL,
    PASSWORD,
    REFUSED,
    Accounts,
    accounts_fixture,
    log_in,
    staff_client_fixture,
)

ATTACKER = ("203.0.113.66", 40000)


@pytest.fixture
def attacker(app: FastAPI) -> Iterator[TestClient]:
    """A browser at another address than the account's owner."""
    with TestClient(app, base_url=BASE_URL, client=ATTACKER) as client:
        yield client


def fail(client: TestClient, name: str, times: int, accounts: Accounts) -> list[int]:
    return [
        log_in(client, name, "wrong password!", accounts.code(name)).status_code
        for _ in range(times)
    ]


def test_it_slows_an_address_after_five_failures_on_one_username(
    staff_client, accounts: Accounts, clock
):
    name = accounts.ensure(Role.COMMANDER)
    assert fail(staff_client, name, LOGINS_PER_USERNAME.count, accounts) == [200] * 5

    slowed = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert slowed.status_code == 429
    assert 0 < int(slowed.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed attempts from this address" in slowed.text


def test_it_keeps_the_account_open_to_its_owner_while_another_address_fails(
    staff_client, attacker: TestClient, accounts: Accounts, clock
):
    name = accounts.ensure(Role.COMMANDER)
    refused = fail(attacker, name, LOGINS_PER_USERNAME.count + 3, accounts)
    assert refused[-1] == 429, "the attacker's own address is slowed"

    owner = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert owner.status_code == 303, "the owner, elsewhere, logs in as ever"


def test_it_lets_the_address_try_again_after_fifteen_minutes(
    staff_client, accounts: Accounts, clock
):
    name = accounts.ensure(Role.COMMANDER)
    fail(staff_client, name, LOGINS_PER_USERNAME.count, accounts)
    clock.advance(minutes=14)
    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 429
    clock.advance(minutes=1, seconds=1)

    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303


def test_it_counts_failures_afresh_after_a_good_login(staff_client, accounts: Accounts, clock):
    name = accounts.ensure(Role.COMMANDER)
    fail(staff_client, name, LOGINS_PER_USERNAME.count - 1, accounts)
    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303
    clock.advance(seconds=30)

    assert fail(staff_client, name, LOGINS_PER_USERNAME.count - 1, accounts) == [200] * 4
    assert log_in(staff_client, name, PASSWORD, accounts.code(name)).status_code == 303


def test_it_slows_down_one_address_that_keeps_failing_across_usernames(
    staff_client, accounts: Accounts
):
    for number in range(LOGINS_PER_CLIENT.count):
        assert log_in(staff_client, f"nobody{number}", PASSWORD, "123456").status_code == 200
    name = accounts.ensure(Role.COMMANDER)

    response = log_in(staff_client, name, PASSWORD, accounts.code(name))

    assert response.status_code == 429
    assert staff_client.get("/staff", follow_redirects=False).status_code == 303


def test_it_refuses_with_the_same_words_whatever_was_wrong(staff_client, accounts: Accounts):
    name = accounts.ensure(Role.COMMANDER)

    unknown = log_in(staff_client, "nobody", PASSWORD, accounts.code(name))
    wrong = log_in(staff_client, name, "wrong password!", accounts.code(name))

    assert REFUSED in unknown.text and REFUSED in wrong.text

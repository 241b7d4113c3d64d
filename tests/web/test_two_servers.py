"""Two `guardpath serve` processes on one PostgreSQL database serve one site: every piece of
state is in the database, none in a process. A staff session made through one works through
the other, a rate limit counts the requests to both, and two officers acting on one case
through different processes get exactly one winner."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyotp
import pytest
from sqlalchemy import select

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import cases
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role, State
from guardpath.services.limits import STATUS_GUESSES_PER_REFERENCE
from guardpath.services.staff import add_staff
from guardpath.settings import load_settings
from postgres_support import fresh_database
from serving import serving
from web.staff_fixtures import RUSSIAN, Seeded

PASSWORD = "correct horse battery staple"
ADMIN = Actor("cli:root", Role.ADMIN)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Site:
    ctx: Context
    env: dict[str, str]
    secrets: dict[str, str]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for name in [name for name in os.environ if name.startswith("GUARDPATH_")]:
        monkeypatch.delenv(name)
    with fresh_database("guardpath_two_servers") as url:
        folder = tmp_path / "data"
        ctx = bootstrap(load_settings(data_dir=folder, database_url=url))
        upgrade(ctx.engine)
        secrets = {
            name: add_staff(ctx, ADMIN, name, Role.COMMANDER, PASSWORD).totp_secret
            for name in ("commander-a", "commander-b")
        }
        env = {"GUARDPATH_DATA_DIR": str(folder), "GUARDPATH_DATABASE_URL": url}
        yield Site(ctx, env, secrets)
        ctx.engine.dispose()


@pytest.fixture
def servers(site: Site) -> Iterator[tuple[str, str]]:
    with serving(site.env) as first, serving(site.env) as second:
        yield first, second


def log_in(http: httpx.Client, site: Site, username: str) -> None:
    form = http.get("/staff/login")
    token = CSRF.search(form.text)
    assert token, "no form token on the login page"
    code = pyotp.TOTP(site.secrets[username]).now()
    data = {"username": username, "password": PASSWORD, "code": code, "csrf": token.group(1)}
    answer = http.post("/staff/login", data=data)
    assert answer.status_code == 303, answer.text


def test_it_keeps_a_staff_session_made_through_one_server_on_the_other(
    site: Site, servers: tuple[str, str]
) -> None:
    first, second = servers
    with httpx.Client(base_url=first, timeout=60) as through_first:
        log_in(through_first, site, "commander-a")
        cookies = through_first.cookies

    with httpx.Client(base_url=second, timeout=60, cookies=cookies) as through_second:
        console = through_second.get("/staff")

    assert console.status_code == 200
    assert "commander-a" in console.text


def test_it_counts_a_rate_limit_over_both_servers(site: Site, servers: tuple[str, str]) -> None:
    reference = Seeded(site.ctx).case(Seeded(site.ctx).submit(RUSSIAN)).reference
    wrong = {"X-Resume-Code": "AAAA-BBBB-CCCC-DDDD"}
    clients = [httpx.Client(base_url=url, timeout=60) for url in servers]
    try:
        answers = [
            clients[n % 2].get(f"/api/v1/applications/{reference}", headers=wrong).status_code
            for n in range(STATUS_GUESSES_PER_REFERENCE.count + 1)
        ]
    finally:
        for client in clients:
            client.close()

    allowed = STATUS_GUESSES_PER_REFERENCE.count
    assert answers[:allowed] == [404] * allowed
    assert answers[-1] == 429, "the guesses at both servers counted as one"


def test_it_lets_exactly_one_of_two_officers_on_two_servers_approve_a_case(
    site: Site, servers: tuple[str, str]
) -> None:
    seeded = Seeded(site.ctx)
    case_id = seeded.submit(RUSSIAN)
    seeded.advance(case_id, State.INTERVIEW)
    with site.ctx.engine.connect() as conn:
        version = conn.execute(select(cases.c.version).where(cases.c.id == case_id)).scalar_one()
    officers = []
    for url, name in zip(servers, ("commander-a", "commander-b"), strict=True):
        http = httpx.Client(base_url=url, timeout=60)
        log_in(http, site, name)
        token = CSRF.search(http.get(f"/staff/cases/{case_id}").text)
        assert token, "no CSRF token on the case page"
        officers.append((http, token.group(1)))
    start = threading.Barrier(2, timeout=60)
    answers: list[int] = []

    def approve(http: httpx.Client, csrf: str) -> None:
        data = {"csrf": csrf, "version": str(version), "rank_group": "private"}
        start.wait()
        answers.append(http.post(f"/staff/cases/{case_id}/approve", data=data).status_code)

    threads = [threading.Thread(target=approve, args=officer) for officer in officers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for http, _csrf in officers:
            http.close()

    assert sorted(answers) == [303, 409]
    assert seeded.case(case_id).state is State.APPROVED
    assert len([e for e in seeded.case(case_id).history if e.action == "approve"]) == 1

"""Analysts see aggregates only: no case page, no search, no list of cases."""

from __future__ import annotations

from sqlalchemy import select

from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role
from web.staff_fixtures import (  # noqa: F401
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)


def test_it_refuses_an_analyst_a_case_page(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.ANALYST)

    page = console.get(f"/staff/cases/{case_id}")

    assert page.status_code == 403
    assert "Zhuravlov" not in page.text
    with ctx.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action)).scalars().all()
    assert "read_person" not in actions


def test_it_refuses_an_analyst_the_search(console: Console, seeded: Seeded):
    seeded.submit()
    console.as_role(Role.ANALYST)

    assert console.get("/staff/search").status_code == 403
    response = console.post("/staff/search", {"by": "passport", "passport": "AB1234567"})
    assert response.status_code == 403
    assert "AB1234567" not in response.text


def test_it_shows_an_analyst_no_queue_of_cases(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    reference = seeded.case(case_id).reference
    console.as_role(Role.ANALYST)

    page = console.get("/staff")

    assert page.status_code == 200
    assert reference not in page.text
    assert case_id not in page.text
    assert 'href="/staff/statistics"' in page.text

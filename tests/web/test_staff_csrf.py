"""Every state-changing staff form needs the session's CSRF token: without it, or with another,
the answer is 403 and nothing is written."""

from __future__ import annotations

import pytest

from guardpath.cases.model import Role, State
from web.staff_fixtures import (  # noqa: F401
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    snapshot,
    staff_client_fixture,
)

FORGED = {"missing": None, "wrong": "A" * 43, "empty": ""}


@pytest.mark.parametrize("token", FORGED.values(), ids=FORGED.keys())
def test_it_refuses_a_step_without_the_sessions_token(
    console: Console, seeded: Seeded, ctx, token: str | None
):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    form = {"version": seeded.case(case_id).version}
    if token is not None:
        form["csrf"] = token
    before = snapshot(ctx)

    response = console.post(f"/staff/cases/{case_id}/start_document_review", form, csrf=False)

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert snapshot(ctx) == before
    assert seeded.case(case_id).state is State.SUBMITTED


def test_it_refuses_another_sessions_token(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    other = console.accounts.session(Role.RECRUITER)
    console.as_role(Role.RECRUITER)
    form = {"version": seeded.case(case_id).version, "csrf": other.csrf}
    before = snapshot(ctx)

    response = console.post(f"/staff/cases/{case_id}/start_document_review", form, csrf=False)

    assert response.status_code == 403
    assert snapshot(ctx) == before


def test_it_refuses_a_logout_without_the_token(console: Console, ctx):
    console.as_role(Role.RECRUITER)
    before = snapshot(ctx)

    response = console.post("/staff/logout", csrf=False)

    assert response.status_code == 403
    assert snapshot(ctx) == before
    assert console.get("/staff").status_code == 200


def test_it_refuses_a_search_without_the_token(console: Console, seeded: Seeded, ctx):
    seeded.submit()
    console.as_role(Role.RECRUITER)
    before = snapshot(ctx)

    response = console.post("/staff/search", {"by": "passport", "passport": "AB1234567"}, False)

    assert response.status_code == 403
    assert "AB1234567" not in response.text
    assert snapshot(ctx) == before

"""A whole staff session (login, queue, case page, search, a step) leaves no personal data in
the application's logs: requests are logged by their route's template, never their path, query
or form. (The server's own access log sees only paths; the search is a POST so names never
reach one.)"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from guardpath.cases.model import Role
from guardpath.web.staff.session import COOKIE
from web.staff_fixtures import (  # noqa: F401
    PASSWORD,
    RUSSIAN,
    Accounts,
    Seeded,
    accounts_fixture,
    log_in,
    seeded_fixture,
    staff_client_fixture,
)

PERSONAL = ("Maksym", "Zhuravlov", "Максим", "Журавльов", "AB1234567", "1991-07-23", "zhuravlov@")
BOOKMARKED_SEARCH = {"name": "Maksym Zhuravlov", "birth_date": "1991-07-23"}
"""A search sent as a GET, as from a bookmark: the form ignores it, the log must too."""
TEMPLATES = (
    "POST /api/v1/applications 201 ",
    "GET /api/v1/applications/{reference} 200 ",
    "GET /staff/cases/{case_id} 200 ",
    "GET /staff/search 200 ",
    "POST /staff/cases/{case_id}/start_document_review 303 ",
)
"""Request lines the session must leave: method, the route's template, status."""


def app_log(records: list[logging.LogRecord]) -> str:
    """The messages of guardpath's own loggers. httpx's client logger writes each request's
    full URL: it is the test's browser talking, not the application."""
    ours = [r for r in records if r.name == "guardpath" or r.name.startswith("guardpath.")]
    return "\n".join(record.getMessage() for record in ours)


def test_it_writes_no_personal_data_to_the_logs(
    staff_client: TestClient, accounts: Accounts, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = seeded.submit(RUSSIAN)
    name = accounts.ensure(Role.RECRUITER)
    caplog.set_level(logging.DEBUG)

    applied = staff_client.post("/api/v1/applications", json=RUSSIAN).json()
    followed = staff_client.get(
        f"/api/v1/applications/{applied['reference']}",
        headers={"X-Resume-Code": applied["resume_code"]},
    )
    log_in(staff_client, name, PASSWORD, accounts.code(name))
    csrf = staff_client.get(f"/staff/cases/{case_id}").text.split('name="csrf" value="')[1][:43]
    staff_client.get("/staff")
    assert staff_client.get("/staff/search", params=BOOKMARKED_SEARCH).status_code == 200
    for form in (
        {"by": "name", "name": "Максим Журавльов", "birth_date": "1991-07-23"},
        {"by": "name", "name": "Maksym Zhuravlov", "birth_date": "1991-07-23"},
        {"by": "passport", "passport": "AB 1234567"},
    ):
        assert "found" in staff_client.post("/staff/search", data=form | {"csrf": csrf}).text
    staff_client.post(
        f"/staff/cases/{case_id}/start_document_review", data={"csrf": csrf, "version": 1}
    )
    staff_client.post("/staff/logout", data={"csrf": csrf})

    assert followed.status_code == 200 and COOKIE not in staff_client.cookies
    logged = app_log(caplog.records)
    for template in TEMPLATES:
        assert template in logged, template
    references = (seeded.case(case_id).reference, applied["reference"])
    identifiers = (case_id, *references, applied["resume_code"], urlencode(BOOKMARKED_SEARCH))
    for value in (*PERSONAL, *identifiers):
        assert value not in logged, value

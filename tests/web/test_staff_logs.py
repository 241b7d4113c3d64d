"""A whole staff session (login, queue, case page, search, a step) leaves no personal data in
the application's logs: requests are logged by their route's template, never their path or form.
(The server's own access log sees only paths; the search is a POST so names never reach one.)"""

from __future__ import annotations

import logging

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


def test_it_writes_no_personal_data_to_the_logs(
    staff_client, accounts: Accounts, seeded: Seeded, caplog
):
    case_id = seeded.submit(RUSSIAN)
    name = accounts.ensure(Role.RECRUITER)
    caplog.set_level(logging.DEBUG)

    log_in(staff_client, name, PASSWORD, accounts.code(name))
    csrf = staff_client.get(f"/staff/cases/{case_id}").text.split('name="csrf" value="')[1][:43]
    staff_client.get("/staff")
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

    assert COOKIE not in staff_client.cookies
    assert caplog.records, "the requests were logged"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in PERSONAL:
        assert value not in logged

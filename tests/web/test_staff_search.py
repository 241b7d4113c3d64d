"""Search by name in either script (with the birth date) or by passport number; results list
only cases the role may open, and the search itself is logged without what was searched."""

from __future__ import annotations

import re

from sqlalchemy import select

from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role
from web.staff_fixtures import (  # noqa: F401
    BELARUSIAN,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)


def found(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/cases/([^"/]+)"><code>', html)


def by_name(console: Console, name: str, birth_date: str) -> list[str]:
    response = console.post("/staff/search", {"by": "name", "name": name, "birth_date": birth_date})
    assert response.status_code == 200
    return found(response.text)


def by_passport(console: Console, number: str) -> list[str]:
    response = console.post("/staff/search", {"by": "passport", "passport": number})
    assert response.status_code == 200
    return found(response.text)


def test_it_finds_the_same_person_by_cyrillic_and_by_latin_name(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    seeded.submit(BELARUSIAN)
    console.as_role(Role.RECRUITER)

    assert by_name(console, "Maksym Zhuravlov", "1991-07-23") == [case_id]
    assert by_name(console, "Максим Журавльов", "1991-07-23") == [case_id]
    assert by_name(console, "ZHURAVLOV maksym", "1991-07-23") == [case_id]


def test_it_finds_a_belarusian_by_his_name_in_belarusian(console: Console, seeded: Seeded):
    case_id = seeded.submit(BELARUSIAN)
    console.as_role(Role.RECRUITER)

    assert by_name(console, "Сяргей Каваленка", "1988-05-10") == [case_id]


def test_it_needs_the_birth_date_to_search_by_name(console: Console, seeded: Seeded):
    seeded.submit()
    console.as_role(Role.RECRUITER)

    response = console.post("/staff/search", {"by": "name", "name": "Maksym Zhuravlov"})

    assert response.status_code == 400
    assert found(response.text) == []
    assert by_name(console, "Maksym Zhuravlov", "1991-07-24") == []


def test_it_finds_a_passport_typed_with_spaces_and_in_lower_case(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    assert by_passport(console, "ab 123 4567") == [case_id]
    assert by_passport(console, "AB-1234567") == [case_id]
    assert by_passport(console, "АВ1234567") == [case_id]  # Cyrillic А and В


def test_it_lists_only_cases_the_role_may_open(console: Console, seeded: Seeded):
    seeded.submit()
    console.as_role(Role.MEDICAL_OFFICER)

    assert by_passport(console, "AB1234567") == []


def test_it_logs_the_search_but_not_what_was_searched(console: Console, seeded: Seeded, ctx):
    seeded.submit()
    console.as_role(Role.RECRUITER)

    by_passport(console, "AB1234567")

    with ctx.engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "search_person")).one()
    assert entry.details == {"by": "passport", "found": 1}
    assert "AB1234567" not in str(tuple(entry))


def test_it_searches_by_post_so_nothing_lands_in_a_url(console: Console):
    console.as_role(Role.RECRUITER)

    page = console.get("/staff/search")

    forms = re.findall(r'<form method="([a-z]+)" action="/staff/search"', page.text)
    assert forms == ["post", "post"]

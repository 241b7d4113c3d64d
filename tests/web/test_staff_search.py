"""Search by part of a name in either script (the birth date optional) or by passport number,
through keyed tokens only; results list only cases the role may open, and the search itself is
logged without what was searched."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from guardpath.adapters.tables import audit_log, name_tokens
from guardpath.cases.model import Role
from guardpath.services.search import index_names, passport_forms
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


def by_name(console: Console, name: str, birth_date: str = "") -> list[str]:
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


def test_it_finds_a_person_by_part_of_a_name_in_either_script_without_the_birth_date(
    console: Console, seeded: Seeded
):
    case_id = seeded.submit()
    seeded.submit(BELARUSIAN)
    console.as_role(Role.RECRUITER)

    assert by_name(console, "Zhuravlov") == [case_id]
    assert by_name(console, "Журавльов") == [case_id]  # Cyrillic query, Latin passport name
    assert by_name(console, "Schurawlow") == [case_id]  # the German spelling
    assert by_name(console, "zhurawlow MAKSIM") == [case_id]
    assert by_name(console, "Maksym Kavalenka") == []  # every word must match the same person


def test_it_narrows_by_the_birth_date_when_one_is_given(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    assert by_name(console, "Maksym", "1991-07-23") == [case_id]
    assert by_name(console, "Maksym", "1991-07-24") == []


def test_it_shows_how_many_people_match(console: Console, seeded: Seeded):
    seeded.submit()
    console.as_role(Role.MEDICAL_OFFICER)  # may open none of them at submission

    response = console.post("/staff/search", {"by": "name", "name": "Zhuravlov"})

    assert found(response.text) == []
    assert "People whose names match: 1." in response.text


def test_it_asks_for_a_usable_name_or_date_and_keeps_what_was_typed(
    console: Console, seeded: Seeded
):
    seeded.submit()
    console.as_role(Role.RECRUITER)

    empty = console.post("/staff/search", {"by": "name", "name": "M"})
    bad_date = console.post(
        "/staff/search", {"by": "name", "name": "Maksym", "birth_date": "1991-02-30"}
    )

    assert empty.status_code == 400
    assert "Give at least one part of the name, two letters or more." in empty.text
    assert bad_date.status_code == 400
    assert "Date of birth: give a real date, or leave it empty." in bad_date.text
    assert 'value="Maksym"' in bad_date.text
    assert found(bad_date.text) == []


def test_it_keeps_only_keyed_tokens_and_writes_them_for_people_stored_before(
    console: Console, seeded: Seeded, ctx
):
    case_id = seeded.submit()
    ctx.engine.dispose()  # checkpoint the write-ahead log into the file
    raw = b"".join(p.read_bytes() for p in Path(ctx.settings.data_dir).glob("guardpath.db*"))
    for part in ("Zhuravlov", "Maksym", "Журавльов", "Максим", "Suravlov", "maksim", "zhuravl"):
        for variant in (part, part.lower(), part.upper()):
            assert variant.encode() not in raw, part
    with ctx.engine.begin() as conn:
        stored = [row.token_hash for row in conn.execute(select(name_tokens))]  # 2 parts, 2 scripts
        conn.execute(name_tokens.delete())  # as a database stored before the tokens existed
    assert len(stored) == 2 and all(len(h) == 64 and int(h, 16) >= 0 for h in stored)
    console.as_role(Role.RECRUITER)
    assert by_name(console, "Zhuravlov") == []

    assert index_names(ctx) == 1

    assert by_name(console, "Zhuravlov") == [case_id]
    assert index_names(ctx) == 0  # nothing left to do


def test_it_reads_cyrillic_lookalikes_in_a_passport_number_as_latin():
    assert passport_forms(" ав 123 ") == ["АВ 123", "AB 123"]


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

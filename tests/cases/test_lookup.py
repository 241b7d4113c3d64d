"""Finding a person by keyed blind indexes: equality only, normalised, and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from guardpath.bootstrap import Context

from .conftest import Cast, Journey

pytestmark = pytest.mark.integration


@pytest.fixture
def zhuravlov(ctx: Context, cast: Cast, journey: Journey) -> str:
    """The Russian serviceman among others; returns his person id."""
    journey.submit(cast.american())
    journey.submit(cast.belarusian())
    case_id = journey.submit(cast.russian())
    return journey.load(case_id).person.id


def test_it_finds_a_person_by_passport_number_however_it_is_typed(
    ctx: Context, zhuravlov: str
) -> None:
    with ctx.unit_of_work() as uow:
        for number in ("AB1234567", "ab1234567", "AB 123 4567", " ab-1234567 "):
            assert uow.cases.person_ids_by_passport(number) == [zhuravlov], number


def test_it_finds_nobody_by_a_passport_number_one_digit_off(ctx: Context, zhuravlov: str) -> None:
    with ctx.unit_of_work() as uow:
        assert uow.cases.person_ids_by_passport("AB1234568") == []


def test_it_finds_a_person_by_name_and_birth_date_in_any_order_and_case(
    ctx: Context, zhuravlov: str
) -> None:
    with ctx.unit_of_work() as uow:
        for name in ("Maksym Zhuravlov", "zhuravlov maksym", "ZHURAVLOV,  Maksym"):
            assert uow.cases.person_ids_by_name(name, date(1991, 7, 23)) == [zhuravlov], name


def test_it_finds_nobody_by_the_right_name_with_another_birth_date(
    ctx: Context, zhuravlov: str
) -> None:
    with ctx.unit_of_work() as uow:
        assert uow.cases.person_ids_by_name("Maksym Zhuravlov", date(1991, 7, 24)) == []
        assert uow.cases.person_ids_by_name("Maksym Zhuravlova", date(1991, 7, 23)) == []


def test_it_finds_both_cases_of_a_person_who_applied_twice(
    ctx: Context, cast: Cast, journey: Journey
) -> None:
    first = journey.load(journey.submit(cast.georgian())).person.id
    second = journey.load(journey.submit(cast.georgian(passport_number="15ab 09876"))).person.id
    with ctx.unit_of_work() as uow:
        assert sorted(uow.cases.person_ids_by_passport("15AB09876")) == sorted([first, second])
        assert len(uow.cases.person_ids_by_name("Beridze Nino", date(1996, 5, 10))) == 2


def test_it_keeps_indexes_unreadable_without_the_index_key(ctx: Context, zhuravlov: str) -> None:
    from sqlalchemy import select

    from guardpath.adapters.repository import passport_index
    from guardpath.adapters.tables import persons

    with ctx.engine.connect() as conn:
        stored = conn.execute(
            select(persons.c.passport_index).where(persons.c.id == zhuravlov)
        ).scalar_one()
    assert stored == passport_index(ctx.keyring, "AB1234567")
    assert "AB1234567" not in stored
    other = ctx.keyring.__class__.generate()  # another deployment's keys
    assert passport_index(other, "AB1234567") != stored

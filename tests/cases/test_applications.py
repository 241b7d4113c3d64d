"""A bad application is refused naming the field, before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from guardpath.bootstrap import Context
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn

from .conftest import Cast, Snapshot, Staff

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def person(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda raw: raw["person"].update(fields)


def top(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda raw: raw.update(fields)


def without_verification(raw: dict[str, Any]) -> None:
    raw["consents"] = {"data_processing": True}


BAD: list[Any] = [
    pytest.param(top(religion="none"), ("religion",), "Extra inputs", id="unknown-key"),
    pytest.param(person(nickname="Max"), ("person", "nickname"), "Extra", id="unknown-person-key"),
    pytest.param(
        top(facts={"medical": "fit", "mood": "calm"}), ("facts",), "mood", id="unknown-fact"
    ),
    pytest.param(top(facts={"stay_basis": "tourist"}), ("facts",), "stay_basis", id="bad-fact"),
    pytest.param(person(citizenships=["XX"]), ("person", "citizenships"), "'XX'", id="bad-country"),
    pytest.param(
        person(citizenships=["RUS"]), ("person", "citizenships"), "alpha-2", id="alpha-3-country"
    ),
    pytest.param(
        person(birth_date=TOMORROW), ("person", "birth_date"), "future", id="future-birth-date"
    ),
    pytest.param(without_verification, ("consents", "verification"), "required", id="no-consent"),
    pytest.param(
        top(consents={"data_processing": True, "verification": False}),
        ("consents",),
        "verification",
        id="consent-refused",
    ),
    pytest.param(
        person(given_names="Maksym\x00"), ("person", "given_names"), "control", id="nul-in-name"
    ),
    pytest.param(
        person(surname="Zhuravlov\nDROP"), ("person", "surname"), "control", id="newline-in-name"
    ),
    pytest.param(
        person(native_name="Мак\u0085сим"), ("person", "native_name"), "control", id="c1-in-name"
    ),
    pytest.param(person(given_names="   "), ("person", "given_names"), "at least", id="blank"),
    pytest.param(person(sex="m"), ("person", "sex"), "male", id="bad-sex"),
    pytest.param(person(email="not-an-email"), ("person", "email"), "pattern", id="bad-email"),
    pytest.param(top(formation="police"), ("formation",), "ngu", id="bad-formation"),
]


@pytest.mark.integration
@pytest.mark.parametrize(("spoil", "field", "message"), BAD)
def test_it_refuses_a_bad_application_naming_the_field_and_writes_nothing(
    sqlite_ctx: Context,
    cast: Cast,
    tables: Callable[[Context], Snapshot],
    spoil: Callable[[dict[str, Any]], None],
    field: tuple[str, ...],
    message: str,
) -> None:
    raw = cast.data("russian")
    spoil(raw)
    before = tables(sqlite_ctx)
    with pytest.raises(ValidationError) as refused:
        services.submit_application(sqlite_ctx, Staff.applicant, ApplicationIn.model_validate(raw))
    errors = refused.value.errors()
    assert [e["loc"][: len(field)] for e in errors] == [field], errors
    assert message in errors[0]["msg"]
    assert tables(sqlite_ctx) == before
    assert all(len(rows) == 0 for name, rows in before.items() if name != "alembic_version")


def test_it_accepts_every_member_of_the_cast(cast: Cast) -> None:
    for who in ("american", "stateless", "belarusian", "georgian", "russian"):
        application = cast.application(who)
        assert application.consents.data_processing and application.consents.verification


def test_it_keeps_a_stateless_person_as_no_citizenship_and_sorts_the_rest(cast: Cast) -> None:
    assert cast.stateless().person.citizenships == []
    dual = cast.american(citizenships=["US", "PL", "US"])
    assert dual.person.citizenships == ["PL", "US"]


def test_it_strips_the_spaces_around_a_name(cast: Cast) -> None:
    assert cast.russian(given_names="  Maksym ").person.given_names == "Maksym"

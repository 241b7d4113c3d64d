"""Two claims of docs/security.md that no other test held: a sealed identity opens only in its
own row, and every answer carries the security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import persons
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.settings import load_settings
from guardpath.web.security import HEADERS


def application(surname: str, passport: str) -> ApplicationIn:
    return ApplicationIn.model_validate(
        {
            "person": {
                "given_names": "Maksym",
                "surname": surname,
                "birth_date": "1991-07-23",
                "sex": "male",
                "citizenships": ["RU"],
                "passport_number": passport,
            },
            "consents": {"data_processing": True, "verification": True},
        }
    )


@pytest.fixture
def own_ctx(tmp_path: Path) -> Iterator[Context]:
    context = bootstrap(load_settings(data_dir=tmp_path / "data", database_url=None))
    upgrade(context.engine)
    yield context
    context.engine.dispose()


def test_a_sealed_identity_moved_to_another_persons_row_does_not_open(own_ctx: Context) -> None:
    applicant = Actor("applicant", Role.APPLICANT)
    first = services.submit_application(own_ctx, applicant, application("Zhuravlov", "AB1"))
    second = services.submit_application(own_ctx, applicant, application("Kavalenka", "MP2"))
    one, two = first.case.person.id, second.case.person.id
    with own_ctx.engine.begin() as conn:
        rows = conn.execute(select(persons.c.id, persons.c.sealed))
        sealed = {row.id: row.sealed for row in rows}
        conn.execute(persons.update().where(persons.c.id == one).values(sealed=sealed[two]))
    with own_ctx.unit_of_work() as uow:
        assert uow.cases.get(second.case.id).person.surname == "Kavalenka"
        with pytest.raises(InvalidTag):
            uow.cases.get(first.case.id)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/openapi.json", None),
        ("POST", "/api/v1/checks/enlistment", {"facts": {}, "on": "2025-03-01"}),
        ("POST", "/api/v1/checks/enlistment", {"facts": {"nationality": "RU"}, "on": "x"}),
        ("POST", "/api/v1/applications", {"person": {}}),
        ("GET", "/api/v1/applications/GP-AAAAAAAAAA", None),
        ("GET", "/", None),
        ("GET", "/staff", None),
    ],
)
def test_every_answer_carries_the_security_headers(
    reliability_app: FastAPI, method: str, path: str, body: object
) -> None:
    with TestClient(reliability_app, follow_redirects=False) as client:
        response = client.request(method, path, json=body)
    assert response.status_code < 500
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    if path.startswith(("/api/v1/applications", "/staff")):
        assert response.headers["Cache-Control"] == "no-store"

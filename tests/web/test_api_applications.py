"""The applications API: submit, follow with the resume code, and tell no one else anything."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from guardpath.services.limits import STATUS_GUESSES_PER_CLIENT

from .conftest import Clock

PERSON = {
    "given_names": "Aliaksandra",
    "surname": "Kvyatkouskaya",
    "native_name": "Аляксандра Квяткоўская",
    "birth_date": "1994-07-03",
    "sex": "female",
    "citizenships": ["BY"],
    "passport_number": "MP7731904",
    "email": "a.kvyat@example.org",
    "phone": "+48 22 555 0199",
}
APPLICATION = {
    "person": PERSON,
    "facts": {"stay_basis": "temporary_residence_permit", "stay_valid_until": "2027-06-30"},
    "formation": "ngu",
    "consents": {"data_processing": True, "verification": True},
}
SECRETS = [
    PERSON["given_names"],
    PERSON["surname"],
    PERSON["native_name"],
    PERSON["passport_number"],
    PERSON["email"],
    PERSON["phone"],
]


def apply(client: TestClient, **changes: Any) -> Any:
    return client.post("/api/v1/applications", json={**APPLICATION, **changes})


def look_up(client: TestClient, reference: str, code: str | None) -> Any:
    headers = {"X-Resume-Code": code} if code is not None else {}
    return client.get(f"/api/v1/applications/{reference}", headers=headers)


@pytest.fixture
def submitted(client: TestClient) -> dict[str, str]:
    created = apply(client)
    assert created.status_code == 201, created.text
    body: dict[str, str] = created.json()
    return body


def test_it_answers_201_with_a_reference_and_a_resume_code(
    submitted: dict[str, str],
) -> None:
    assert re.fullmatch(r"GP-[A-Z0-9]{10}", submitted["reference"])
    assert re.fullmatch(r"([A-Z0-9]{4}-){3}[A-Z0-9]{4}", submitted["resume_code"])
    assert submitted["status"] == "submitted"


def test_it_shows_the_status_and_history_to_the_holder_of_the_code(
    client: TestClient, submitted: dict[str, str]
) -> None:
    found = look_up(client, submitted["reference"], submitted["resume_code"])

    assert found.status_code == 200
    body = found.json()
    assert body["reference"] == submitted["reference"]
    assert body["status"] == "submitted"
    assert body["submitted_on"] == "2025-03-01"
    assert body["history"] == [{"at": "2025-03-01T09:00:00Z", "status": "submitted"}]


def test_it_forgives_case_and_missing_dashes_in_the_code(
    client: TestClient, submitted: dict[str, str]
) -> None:
    typed = submitted["resume_code"].replace("-", "").lower()

    assert look_up(client, submitted["reference"].lower(), typed).status_code == 200


def test_it_answers_the_same_404_for_a_wrong_code_a_missing_code_and_an_unknown_reference(
    client: TestClient, submitted: dict[str, str]
) -> None:
    wrong = look_up(client, submitted["reference"], "AAAA-BBBB-CCCC-DDDD")
    missing = look_up(client, submitted["reference"], None)
    unknown = look_up(client, "GP-AAAAAAAAAA", submitted["resume_code"])

    assert {r.status_code for r in (wrong, missing, unknown)} == {404}
    assert wrong.content == missing.content == unknown.content
    # Every header alike but the request's own id, which tells nothing of the application.
    assert {**wrong.headers, "x-request-id": ""} == {**unknown.headers, "x-request-id": ""}


def test_it_throttles_guesses_at_one_reference_with_retry_after(
    client: TestClient, submitted: dict[str, str], clock: Clock
) -> None:
    reference = submitted["reference"]
    for _ in range(5):
        assert look_up(client, reference, "AAAA-BBBB-CCCC-DDDD").status_code == 404

    blocked = look_up(client, reference, submitted["resume_code"])

    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    clock.advance(minutes=15, seconds=1)
    assert look_up(client, reference, submitted["resume_code"]).status_code == 200


def test_it_throttles_unknown_references_exactly_like_real_ones(client: TestClient) -> None:
    for _ in range(5):
        assert look_up(client, "GP-NOSUCHREF2", "AAAA-BBBB-CCCC-DDDD").status_code == 404

    assert look_up(client, "GP-NOSUCHREF2", "AAAA-BBBB-CCCC-DDDD").status_code == 429


def test_it_throttles_one_client_guessing_across_references(client: TestClient) -> None:
    for number in range(STATUS_GUESSES_PER_CLIENT.count):
        assert look_up(client, f"GP-GUESS{number:05d}", "AAAA-BBBB-CCCC-DDDD").status_code == 404

    assert look_up(client, "GP-GUESS99999", "AAAA-BBBB-CCCC-DDDD").status_code == 429


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consents": {"data_processing": True, "verification": False}}, "consents"),
        ({"person": {**PERSON, "citizenships": ["XX"]}}, "citizenships"),
        ({"person": {**PERSON, "birth_date": "1994-13-03"}}, "birth_date"),
        ({"formation": "navy"}, "formation"),
        ({"facts": {"stay_basis": "tourist"}}, "facts"),
        ({"person": {k: v for k, v in PERSON.items() if k != "surname"}}, "surname"),
    ],
)
def test_it_answers_422_naming_the_field(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    refused = apply(client, **changes)

    assert refused.status_code == 422
    assert any(field in problem["loc"] for problem in refused.json()["detail"])


def test_it_answers_422_without_echoing_what_was_sent(client: TestClient) -> None:
    body = {**APPLICATION, "person": {**PERSON, "given_names": "\ud800", "surname": 7}}

    refused = client.post(
        "/api/v1/applications",
        content=json.dumps(body),  # a lone surrogate: valid JSON, not encodable as UTF-8
        headers={"content-type": "application/json"},
    )

    assert refused.status_code == 422
    assert {tuple(p["loc"][-1:]) for p in refused.json()["detail"]} == {
        ("given_names",),
        ("surname",),
    }
    assert all("input" not in problem for problem in refused.json()["detail"])


def test_it_describes_every_answer_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    create = paths["/api/v1/applications"]["post"]["responses"]
    read = paths["/api/v1/applications/{reference}"]["get"]["responses"]
    assert {"201", "422"} <= set(create)
    assert {"200", "404", "422", "429"} <= set(read)
    assert "Retry-After" in read["429"]["headers"]
    assert "content" in create["201"] and "content" in read["404"]


def test_it_keeps_nothing_of_the_person_in_clear_in_the_database(
    client: TestClient, database_bytes: Callable[[], bytes]
) -> None:
    created = apply(client)
    assert created.status_code == 201

    stored = database_bytes()

    assert stored
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret
    assert created.json()["resume_code"].encode() not in stored


@pytest.fixture
def every_log() -> Iterator[list[str]]:
    """Every record of the root logger and of guardpath.web, at every level."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    loggers = [logging.getLogger(), logging.getLogger("guardpath.web")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_it_writes_no_personal_data_to_the_logs(
    client: TestClient, every_log: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = apply(client).json()
    look_up(client, created["reference"], created["resume_code"])
    apply(client, person={**PERSON, "email": "broken"})  # a 422 echoes nothing into the logs

    text = "\n".join(every_log) + caplog.text
    assert "POST /api/v1/applications 201" in text  # the request log is there
    for secret in [*SECRETS, created["resume_code"]]:
        assert secret not in text, secret

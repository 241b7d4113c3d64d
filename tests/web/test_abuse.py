"""The abuses of the attack review, each reproduced and refused: guesses sent at once, a third
party locking an applicant out, quotas on drafts, uploads and submissions, a 300 MB body on the
login form, and error pages that keep the security headers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.services import documents
from guardpath.services.limits import DRAFTS_PER_CLIENT, STATUS_GUESSES_PER_REFERENCE, TooMany
from guardpath.services.status import NoSuchApplication, view_application_status
from guardpath.settings import Settings
from guardpath.web.pages.uploads import FORM_LIMIT
from guardpath.web.security import HEADERS

from .test_api_applications import apply, look_up
from .test_uploads import PDF, upload

Csrf = Callable[[str], str]
WRONG = "AAAA-BBBB-CCCC-DDDD"


# -- guessing ----------------------------------------------------------------------------------
def test_it_checks_only_five_of_forty_guesses_sent_at_once(
    client: TestClient, ctx: Context
) -> None:
    reference = apply(client).json()["reference"]
    start = threading.Barrier(40, timeout=60)
    outcomes: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            view_application_status(ctx, reference, WRONG, "198.51.100.9")
        except NoSuchApplication:
            outcomes.append("checked")
        except TooMany:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes.count("checked") == STATUS_GUESSES_PER_REFERENCE.count
    assert outcomes.count("refused") == 40 - STATUS_GUESSES_PER_REFERENCE.count


def test_it_keeps_an_application_open_to_its_applicant_while_someone_else_guesses(
    app: FastAPI, client: TestClient
) -> None:
    created = apply(client).json()
    with TestClient(app, client=("203.0.113.66", 40000)) as attacker:
        answers = [look_up(attacker, created["reference"], WRONG).status_code for _ in range(8)]
    assert answers[-1] == 429, "the guessing address is slowed"

    own = look_up(client, created["reference"], created["resume_code"])

    assert own.status_code == 200, "the applicant, at their own address, is not"


# -- quotas ------------------------------------------------------------------------------------
@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Small quotas, so that a test reaches them."""
    return settings.model_copy(update={"submissions_per_hour": 3, "draft_storage_mb": 100})


def test_it_limits_submissions_per_client_and_hour_on_the_api(client: TestClient, clock) -> None:
    answers = [apply(client).status_code for _ in range(4)]

    assert answers == [201, 201, 201, 429]
    clock.advance(hours=1)
    assert apply(client).status_code == 201


def test_it_limits_new_drafts_per_client_and_day(app: FastAPI, csrf: Csrf) -> None:
    answers = []
    for _ in range(DRAFTS_PER_CLIENT.count + 1):
        with TestClient(app) as browser:  # a fresh browser each time: no draft cookie
            token = csrf(browser.get("/apply").text)
            answers.append(browser.post("/apply/start", data={"csrf": token}))

    assert {a.status_code for a in answers[:-1]} == {200}
    refused = answers[-1]
    assert refused.status_code == 429
    assert "Too many requests" in refused.text
    assert int(refused.headers["Retry-After"]) > 0


@pytest.fixture
def token(client: TestClient, csrf: Csrf) -> str:
    token = csrf(client.get("/apply").text)
    client.post("/apply/start", data={"csrf": token})
    return token


def scan(megabytes: float) -> bytes:
    return PDF + b"\x00" * (int(megabytes * 1024 * 1024) - len(PDF))


def test_it_limits_the_bytes_one_draft_may_hold(client: TestClient, token: str) -> None:
    for _ in range(4):
        assert upload(client, token, "p.pdf", scan(4.9), "application/pdf").status_code == 200

    refused = upload(client, token, "p.pdf", scan(4.9), "application/pdf")

    assert refused.status_code == 507
    assert "up to 20 MB" in refused.text


def test_it_limits_what_all_drafts_together_may_hold(ctx: Context) -> None:
    from guardpath.services.drafts import start_draft

    first, _ = start_draft(ctx)
    second, _ = start_draft(ctx)
    documents.attach_document(ctx, first.id, "passport", scan(4.9), storage_limit=8 << 20)

    with pytest.raises(documents.DocumentRefused) as refused:
        documents.attach_document(ctx, second.id, "passport", scan(4.9), storage_limit=8 << 20)

    assert refused.value.reason == "storage_full"
    assert len(documents.documents_of_draft(ctx, second.id)) == 0


# -- bodies ------------------------------------------------------------------------------------
def drive(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST to the app an endless body in 1 MB chunks; (the status, how many bytes it read)."""
    read = 0
    status = 0
    chunk = b"x" * (1024 * 1024)

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("198.51.100.4", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return status, read


FORM = (b"content-type", b"application/x-www-form-urlencoded")


def test_it_refuses_a_300_mb_login_body_before_reading_it(app: FastAPI) -> None:
    declared = (b"content-length", str(300 * 1024 * 1024).encode())

    status, read = drive(app, "/staff/login", [FORM, declared])

    assert status == 413
    assert read == 0


def test_it_stops_reading_an_endless_login_body_past_the_limit(app: FastAPI) -> None:
    status, read = drive(app, "/staff/login", [FORM])

    assert status == 413
    assert read <= FORM_LIMIT + 1024 * 1024  # the one chunk that went past


# -- error pages -------------------------------------------------------------------------------
@pytest.fixture
def failing_app(app: FastAPI) -> Iterator[TestClient]:
    @app.get("/fails")
    def fails() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(("path", "status"), [("/no-such-page", 404), ("/fails", 500)])
def test_it_answers_html_errors_with_a_page_in_the_language_with_the_headers(
    failing_app: TestClient, path: str, status: int
) -> None:
    answer = failing_app.get(path, headers={"Accept-Language": "uk"})

    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="uk">' in answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    for name, value in HEADERS.items():
        assert answer.headers[name] == value


def test_it_keeps_json_problems_on_the_api(failing_app: TestClient) -> None:
    answer = failing_app.get("/api/v1/no-such-thing")

    assert answer.status_code == 404
    assert answer.json() == {"detail": "Not Found"}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"

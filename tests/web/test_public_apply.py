"""The application through the pages, step by step, its confirmation and its status."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from guardpath.adapters.tables import documents, drafts
from guardpath.bootstrap import Context
from guardpath.services import drafts as drafts_service
from guardpath.web.pages import apply_forms, apply_models

from .conftest import Clock
from .test_public_pages import ABOUT, PDF, section, send

Csrf = Callable[[str], str]


# -- the application ---------------------------------------------------------------------------
def start(client: TestClient, csrf: Csrf) -> str:
    token = csrf(client.get("/apply").text)
    started = client.post("/apply/start", data={"csrf": token})
    assert started.url.path == "/apply/about"
    return token


def fill_in(client: TestClient, token: str) -> None:
    stay = {
        "stay_basis": "temporary_residence_permit",
        "stay_valid_until": "2027-12-31",
        "previously_convicted": "no",
    }
    for step, data in [
        ("about", ABOUT),
        ("stay", stay),
        ("formation", {"formation": "ngu", "rank_group": "private"}),
    ]:
        saved = client.post(f"/apply/{step}", data={"csrf": token, "go": "next", **data})
        assert saved.status_code == 200, saved.text
    uploaded = client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": "passport"},
        files={"file": ("passport.pdf", PDF, "application/pdf")},
    )
    assert uploaded.url.path == "/apply/documents"


def submit(client: TestClient, token: str) -> tuple[str, str]:
    sent = client.post(
        "/apply/submit", data={"csrf": token, "data_processing": "yes", "verification": "yes"}
    )
    assert sent.status_code == 200, sent.text
    assert sent.url.path == "/apply/sent"  # redirected: Reload and Back send nothing again
    return shown(sent.text)


def shown(page: str) -> tuple[str, str]:
    reference = re.search(r'id="reference">(GP-[A-Z0-9]+)<', page)
    code = re.search(r'id="resume-code">([A-Z0-9-]{19})<', page)
    assert reference and code
    return reference.group(1), code.group(1)


def test_it_takes_an_application_through_the_pages_to_its_status(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    review = client.get("/apply/review")
    assert "Wexford-Smythe" in review.text and "Passport or travel document" in review.text

    reference, code = submit(client, token)

    status = send(client, csrf, "/status", {"reference": reference, "code": code})
    assert status.status_code == 200
    assert "Received" in section(status.text, "state")
    assert "What comes next" in status.text
    assert "applicant" not in section(status.text, "history")  # who acted is not shown
    wrong = send(client, csrf, "/status", {"reference": reference, "code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 404
    assert "We found no application with this reference number and resume code" in wrong.text
    assert "AAAA-BBBB" not in wrong.text
    with ctx.engine.connect() as conn:
        assert conn.execute(select(drafts)).first() is None
        moved = conn.execute(select(documents.c.case_id, documents.c.draft_id)).one()
    assert moved.case_id is not None and moved.draft_id is None


def test_it_resumes_a_draft_from_its_cookie_in_another_visit(
    app: Any, client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    client.post("/apply/about", data={"csrf": token, "go": "next", **ABOUT})
    cookie = client.cookies.get("gp_draft")
    assert cookie

    with TestClient(app) as later:
        later.cookies.set("gp_draft", cookie, path="/apply")
        resumed = later.get("/apply")
        about = later.get("/apply/about")

    assert resumed.url.path == "/apply/stay"
    assert 'value="Wexford-Smythe"' in about.text


def test_it_sets_the_draft_cookie_http_only_and_same_site_strict_and_stores_only_its_hash(
    client: TestClient, csrf: Csrf, ctx: Context, database_bytes: Callable[[], bytes]
) -> None:
    page = client.get("/apply")
    started = client.post("/apply/start", data={"csrf": csrf(page.text)}, follow_redirects=False)

    header = started.headers["set-cookie"]
    assert "gp_draft=" in header and "HttpOnly" in header and "SameSite=strict" in header
    cookie = client.cookies["gp_draft"]
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(drafts.c.token_hash)).scalar_one()
    assert stored == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie.encode() not in database_bytes()


def test_it_forgets_a_draft_after_30_days(client: TestClient, csrf: Csrf, clock: Clock) -> None:
    token = start(client, csrf)
    client.post("/apply/about", data={"csrf": token, "go": "next", **ABOUT})

    clock.advance(days=31)
    page = client.get("/apply")

    assert page.url.path == "/apply"
    assert "Start the application" in page.text


def test_it_shows_each_step_error_beside_its_field_and_keeps_the_rest(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    wrong = {**ABOUT, "email": "not-an-email", "birth_date": "2999-01-01"}

    page = client.post("/apply/about", data={"csrf": token, "go": "next", **wrong})

    assert page.status_code == 422
    for name, message in [
        ("email", "Enter an email address such as name@example.org"),
        ("birth_date", "it must be after 1900 and not in the future"),
    ]:
        field = page.text[page.text.index(f'id="f-{name}"') :]
        assert message in field[: field.index("</div>")]
    assert 'value="Wexford-Smythe"' in page.text and 'value="ZX9081726"' in page.text


def test_it_requires_both_consents(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    fill_in(client, token)

    page = client.post("/apply/submit", data={"csrf": token, "data_processing": "yes"})

    assert page.status_code == 422
    field = page.text[page.text.index('id="f-verification"') :]
    assert "Decree 84/2024 requires both consents" in field[: field.index("</div>")]


def test_it_submits_a_draft_once_even_if_sent_twice(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    draft = drafts_service.open_draft(ctx, client.cookies["gp_draft"])
    assert draft is not None
    steps = apply_forms.saved_steps(draft.data)
    consents = apply_forms.consents_step(
        apply_models.ConsentsForm(data_processing="yes", verification="yes")
    )
    application = apply_forms.application_from(steps, consents)
    assert application is not None

    drafts_service.submit_draft(ctx, draft, application)
    with pytest.raises(drafts_service.AlreadySubmitted):
        drafts_service.submit_draft(ctx, draft, application)

    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1


def test_it_deletes_a_draft_and_its_documents_on_request(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    fill_in(client, token)

    deleted = client.post("/apply/discard", data={"csrf": token})

    assert "Draft deleted" in deleted.text
    with ctx.engine.connect() as conn:
        assert conn.execute(select(drafts)).first() is None
        assert conn.execute(select(documents)).first() is None


def test_it_seals_the_draft_and_logs_nothing_of_the_person_through_the_pages(
    client: TestClient,
    csrf: Csrf,
    database_bytes: Callable[[], bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    token = start(client, csrf)
    fill_in(client, token)
    in_draft = database_bytes()
    reference, code = submit(client, token)
    send(client, csrf, "/status", {"reference": reference, "code": code})

    secrets = [ABOUT["given_names"], ABOUT["surname"], ABOUT["passport_number"], ABOUT["email"]]
    for secret in secrets:
        assert secret.encode() not in in_draft, secret
        assert secret.encode() not in database_bytes(), secret
        assert secret not in caplog.text, secret
    assert code not in caplog.text
    assert b"WEXFORD-SMYTHE" not in database_bytes()  # the uploaded document is sealed too
    assert "POST /apply/submit 303" in caplog.text  # the request log is there, without them


# -- the confirmation, shown again ---------------------------------------------------------------
def test_it_shows_the_confirmation_again_in_the_other_language(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    reference, code = submit(client, token)

    ukrainian = client.get("/apply/sent", params={"lang": "uk"})
    english = client.get("/apply/sent", params={"lang": "en"})

    assert ukrainian.status_code == 200 and '<html lang="uk">' in ukrainian.text
    assert shown(ukrainian.text) == (reference, code) == shown(english.text)
    assert "Заяву надіслано" in ukrainian.text


def test_it_shows_the_code_to_no_other_browser_and_not_after_15_minutes(
    app: Any, client: TestClient, csrf: Csrf, clock: Clock
) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    _reference, code = submit(client, token)
    sealed = client.cookies.get("gp_sent")
    assert sealed and code not in sealed

    with TestClient(app) as other:  # the sealed cookie alone, without the browser's session
        other.cookies.set("gp_sent", sealed, path="/apply")
        elsewhere = other.get("/apply/sent")
    clock.advance(minutes=16)
    later = client.get("/apply/sent")

    assert code not in elsewhere.text and "no longer shown" in elsewhere.text
    assert code not in later.text and "no longer shown" in later.text


def test_back_and_send_again_return_to_the_confirmation(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    reference, _code = submit(client, token)

    back = client.get("/apply/review")
    again = client.post(
        "/apply/submit", data={"csrf": token, "data_processing": "yes", "verification": "yes"}
    )

    assert back.url.path == again.url.path == "/apply/sent"
    assert shown(again.text)[0] == reference


def test_it_stops_showing_the_code_when_asked(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    _reference, code = submit(client, token)

    done = client.post("/apply/sent/done", data={"csrf": token})

    assert done.url.path == "/status"
    assert code not in client.get("/apply/sent").text

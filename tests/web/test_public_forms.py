"""The application's forms as people fill them: errors only after a submit, one summary at the
top linking to the inputs, messages that say what to do, what was typed kept, names in Latin
letters, no emoji, and the smaller comforts (Change returns to the review, file names)."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.settings import Settings
from guardpath.web.app import create_app

from .test_public_apply import fill_in, start
from .test_public_pages import ABOUT, PDF

Csrf = Callable[[str], str]


def about(client: TestClient, token: str, **changes: str) -> str:
    page = client.post("/apply/about", data={"csrf": token, "go": "next", **ABOUT, **changes})
    assert page.status_code == 422, page.text
    return page.text


def test_a_step_opened_again_shows_what_was_typed_but_no_errors(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    about(client, token, email="not-an-email")

    again = client.get("/apply/about")

    assert 'value="not-an-email"' in again.text
    assert 'id="errors"' not in again.text and "field-error" not in again.text
    assert not again.text.split("<title>")[1].startswith("Error:")


def test_a_wrong_step_has_one_summary_linking_to_the_inputs_and_error_in_its_title(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    page = about(client, token, email="not-an-email", birth_date="1990-02-30")

    assert "<title>Error: About you" in page
    assert page.count('id="errors"') == 1 and 'role="alert"' not in page
    assert 'href="#i-email"' in page and 'href="#i-birth_date"' in page
    assert 'id="i-email"' in page and 'id="i-birth_date"' in page
    assert "February 1990 has 28 days" in page
    assert 'value="1990-02-30"' in page


def test_it_asks_for_names_in_latin_letters_and_keeps_the_own_script_apart(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    page = about(client, token, given_names="Іван")
    assert "Write this in Latin letters, as in your passport" in page
    assert 'value="Іван"' in page

    fine = client.post(
        "/apply/about",
        data={"csrf": token, "go": "next", **ABOUT, "native_name": "Джонатан Вексфорд-Смайт"},
    )
    assert fine.url.path == "/apply/stay"


def test_it_refuses_emoji_and_symbols_in_names_and_document_numbers(
    client: TestClient, csrf: Csrf
) -> None:
    token = start(client, csrf)
    page = about(client, token, surname="Smythe 😀", passport_number="ZX90★81726")

    assert "a name cannot contain emoji, digits or symbols" in page
    assert "Use only the letters and digits of the document number" in page


def test_each_field_is_as_long_as_its_check_allows(client: TestClient, csrf: Csrf) -> None:
    start(client, csrf)
    page = client.get("/apply/about").text

    for name, length in [("given_names", 200), ("surname", 200), ("native_name", 200)]:
        assert re.search(rf'id="i-{name}"[^>]*maxlength="{length}"', page), name
    assert re.search(r'id="i-passport_number"[^>]*maxlength="64"', page)
    assert re.search(r'id="i-email"[^>]*maxlength="254"', page)


def test_missing_consents_are_in_the_summary_at_the_top(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    fill_in(client, token)

    page = client.post("/apply/submit", data={"csrf": token, "data_processing": "yes"})

    assert page.status_code == 422
    summary = page.text[page.text.index('id="errors"') : page.text.index('id="consents"')]
    assert 'href="#i-verification"' in summary
    assert 'id="i-verification"' in page.text


def test_change_from_the_review_returns_to_the_review(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    fill_in(client, token)
    review = client.get("/apply/review").text
    assert 'href="/apply/stay?from=review"' in review
    assert '<span class="visually-hidden"> Your stay and background</span>' in review

    step = client.get("/apply/stay", params={"from": "review"})
    assert 'name="from" value="review"' in step.text
    saved = client.post(
        "/apply/stay",
        data={
            "csrf": token,
            "go": "next",
            "from": "review",
            "stay_basis": "permanent_residence_permit",
            "previously_convicted": "no",
        },
    )
    assert saved.url.path == "/apply/review"


def test_the_documents_list_shows_the_file_names(
    client: TestClient, csrf: Csrf, ctx: Context
) -> None:
    token = start(client, csrf)
    fill_in(client, token)  # uploads passport.pdf

    listed = client.get("/apply/documents").text
    review = client.get("/apply/review").text

    assert '<td class="file-name">passport.pdf</td>' in listed
    assert "passport.pdf" in review
    client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": "other"},
        files={"file": ("C:\\scans\\permit.pdf", PDF, "application/pdf")},
    )
    assert '<td class="file-name">permit.pdf</td>' in client.get("/apply/documents").text


def test_the_resume_code_is_a_plain_text_field(client: TestClient) -> None:
    page = client.get("/status").text

    code = re.search(r'<input id="i-code"[^>]*>', page)
    assert code is not None
    assert 'type="text"' in code.group(0) and 'autocomplete="off"' in code.group(0)
    assert 'spellcheck="false"' in code.group(0)


def test_contact_the_recruiters_shows_the_configured_contact(
    settings: Settings, ctx: Context
) -> None:
    with TestClient(create_app(ctx=ctx)) as plain:
        assert "recruitment office where you applied" in plain.get("/status").text
    configured = settings.model_copy(update={"recruiters_contact": "Recruitment office, room 4"})
    ctx.settings = configured
    with TestClient(create_app(ctx=ctx)) as client:
        page = client.get("/status", params={"lang": "uk"}).text
    assert "Зв’язок із рекрутерами: Recruitment office, room 4" in page


def test_a_refused_upload_keeps_the_document_kind_chosen(client: TestClient, csrf: Csrf) -> None:
    token = start(client, csrf)
    too_large = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)

    refused = client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": "stay_document"},
        files={"file": ("permit.pdf", too_large, "application/pdf")},
    )
    wrong = client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": "criminal_record"},
        files={"file": ("record.pdf", b"not a pdf at all", "application/pdf")},
    )

    assert refused.status_code == 413
    assert '<option value="stay_document" selected>' in refused.text
    assert wrong.status_code in (400, 422)
    assert '<option value="criminal_record" selected>' in wrong.text

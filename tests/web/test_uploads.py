"""Uploaded documents: accepted by what they contain, refused clearly otherwise, stored sealed."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from guardpath.adapters.tables import documents
from guardpath.bootstrap import Context
from guardpath.services.documents import MAX_DOCUMENT_BYTES, open_document, sniff_media_type

Csrf = Callable[[str], str]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Title (HRYHORENKO passport)>> endobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture
def token(client: TestClient, csrf: Csrf) -> str:
    """A started application: its draft cookie is in the client, the form token returned."""
    token = csrf(client.get("/apply").text)
    client.post("/apply/start", data={"csrf": token})
    return token


def upload(
    client: TestClient, token: str, name: str, content: bytes, claimed: str, kind: str = "passport"
) -> Response:
    return client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": kind},
        files={"file": (name, content, claimed)},
    )


def stored(ctx: Context) -> list[str]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(select(documents.c.media_type)).scalars())


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png"), (b"GIF89a", None)],
)
def test_it_reads_the_type_from_the_magic_bytes(content: bytes, expected: str | None) -> None:
    assert sniff_media_type(content) == expected


@pytest.mark.parametrize(
    ("name", "content", "claimed", "expected"),
    [
        ("passport.pdf", PDF, "application/pdf", "application/pdf"),
        ("permit.JPG", JPEG, "image/jpeg", "image/jpeg"),
        ("photo.png", PNG, "application/octet-stream", "image/png"),
        ("scan", PNG, "text/plain", "image/png"),  # no name to contradict the content
    ],
)
def test_it_accepts_pdf_jpeg_and_png_by_their_content(
    client: TestClient,
    token: str,
    ctx: Context,
    name: str,
    content: bytes,
    claimed: str,
    expected: str,
) -> None:
    sent = upload(client, token, name, content, claimed)

    assert sent.url.path == "/apply/documents"
    assert stored(ctx) == [expected]


def test_it_refuses_a_png_named_pdf_with_a_clear_message(
    client: TestClient, token: str, ctx: Context
) -> None:
    sent = upload(client, token, "passport.pdf", PNG, "application/pdf")

    assert sent.status_code == 422
    field = unescape(sent.text[sent.text.index('id="f-file"') :])
    assert "This file's name says PDF, but it contains a PNG." in field[: field.index("</div>")]
    assert stored(ctx) == []


def test_it_refuses_a_text_file_named_jpg(client: TestClient, token: str, ctx: Context) -> None:
    sent = upload(client, token, "permit.jpg", b"just some text\n", "image/jpeg")

    assert sent.status_code == 422
    assert "This file is not a PDF, JPEG or PNG." in sent.text
    assert stored(ctx) == []


def test_it_refuses_a_file_over_5_mb(client: TestClient, token: str, ctx: Context) -> None:
    too_big = PDF + b"0" * MAX_DOCUMENT_BYTES

    sent = upload(client, token, "big.pdf", too_big, "application/pdf")

    assert sent.status_code in (413, 422)
    assert "This file is larger than 5 MB." in sent.text
    assert stored(ctx) == []


def test_it_accepts_a_file_of_exactly_5_mb(client: TestClient, token: str, ctx: Context) -> None:
    exactly = PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF))

    upload(client, token, "big.pdf", exactly, "application/pdf")

    assert stored(ctx) == ["application/pdf"]


def test_it_asks_what_kind_of_document_it_is(client: TestClient, token: str) -> None:
    sent = upload(client, token, "passport.pdf", PDF, "application/pdf", kind="diary")

    assert sent.status_code == 422
    assert "Choose what kind of document this is." in sent.text


def test_it_refuses_an_upload_without_the_pages_token(
    client: TestClient, token: str, ctx: Context
) -> None:
    sent = upload(client, "forged-token-" + "x" * 40, "passport.pdf", PDF, "application/pdf")

    assert sent.status_code == 403
    assert stored(ctx) == []


def test_it_stores_documents_sealed_and_opens_them_again(
    client: TestClient, token: str, ctx: Context, database_bytes: Callable[[], bytes]
) -> None:
    upload(client, token, "passport.pdf", PDF, "application/pdf")

    assert b"HRYHORENKO" not in database_bytes()
    assert b"passport.pdf" not in database_bytes()  # no file name is kept
    with ctx.engine.connect() as conn:
        document_id = conn.execute(select(documents.c.id)).scalar_one()
    assert open_document(ctx, document_id)[1] == PDF


def test_it_lets_the_applicant_remove_a_document(
    client: TestClient, token: str, ctx: Context
) -> None:
    upload(client, token, "passport.pdf", PDF, "application/pdf")
    with ctx.engine.connect() as conn:
        document_id = conn.execute(select(documents.c.id)).scalar_one()

    client.post("/apply/documents/remove", data={"csrf": token, "document": document_id})

    assert stored(ctx) == []

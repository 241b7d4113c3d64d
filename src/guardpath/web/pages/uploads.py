"""Reading an uploaded document: in memory only (a document is sealed before it is stored, and
never lands on disk in clear), and no more than the limit allows.

It is read by an async dependency (`UploadDep`) so that the handler can be a plain function,
run in the thread pool: its database and engine work never blocks the event loop. The same
dependency checks the form's CSRF token with the pages' one check (`common.require_csrf`), so
the handler runs only for an upload this browser's page sent. A page's
form is read by FastAPI (a form model, or pages/common.py's `CheckedForm`), its size bounded
by web/bodies.py before."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from guardpath.services.documents import MAX_DOCUMENT_BYTES
from guardpath.web.pages.common import require_csrf

FORM_LIMIT = 64 * 1024
"""A page's form: a few short fields (a name is at most 200 characters)."""
BODY_LIMIT = MAX_DOCUMENT_BYTES + FORM_LIMIT
"""One document and a few small fields."""


class UploadTooLarge(Exception):
    """The request is larger than one document may be."""


class BadUpload(Exception):
    """Not a form with a file."""


class _InMemoryParser(MultiPartParser):
    spool_max_size = BODY_LIMIT


HEAD_BYTES = 8192
"""How much of a refused upload's start is kept to find the document kind chosen (the fields
come before the file in the form)."""
KIND_FIELD = re.compile(rb'name="kind"\r\n\r\n([a-z_]{1,32})\r\n')


def kind_in(head: bytes) -> str:
    """The document kind a multipart body's start carries, or ""."""
    found = KIND_FIELD.search(head)
    return found.group(1).decode() if found else ""


async def _limited(request: Request, limit: int, head: bytearray) -> AsyncGenerator[bytes, None]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        if received > limit:
            raise UploadTooLarge
        yield chunk


async def _head_of(request: Request) -> bytes:
    """The start of a body not otherwise read (it is refused for its declared size)."""
    head = bytearray()
    try:
        async for chunk in request.stream():
            head += chunk
            if len(head) >= HEAD_BYTES:
                break
    except HTTPException:  # the body limit's refusal past the first bytes
        pass
    return bytes(head[:HEAD_BYTES])


async def read_upload(request: Request, head: bytearray) -> FormData:
    """The upload form's fields and its one file; raises UploadTooLarge or BadUpload. `head`
    receives the body's first bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > BODY_LIMIT:
        head += await _head_of(request)
        raise UploadTooLarge
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadUpload
    parser = _InMemoryParser(
        request.headers, _limited(request, BODY_LIMIT, head), max_files=1, max_fields=8
    )
    try:
        return await parser.parse()
    except MultiPartException:
        raise BadUpload from None


@dataclass(frozen=True)
class Upload:
    """An upload form as read: its fields, or why it could not be (`too_large`, `empty`)."""

    form: FormData = field(default_factory=FormData)
    problem: str | None = None
    kind: str = ""
    """The document kind chosen, found even in an upload refused unread."""


async def read_upload_form(request: Request) -> Upload:
    head = bytearray()
    try:
        return Upload(await read_upload(request, head))
    except UploadTooLarge:
        return Upload(problem="too_large", kind=kind_in(bytes(head)))
    except BadUpload:
        return Upload(problem="empty", kind=kind_in(bytes(head)))


def file_content(form: FormData, name: str = "file") -> tuple[bytes, str | None]:
    """The file's bytes (at most one more than a document may have) and its name; empty if
    none was sent. The parser kept the file in memory, so reading it blocks on nothing."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile):
        return b"", None
    try:
        return upload.file.read(MAX_DOCUMENT_BYTES + 1), upload.filename
    finally:
        upload.file.close()


async def checked_upload(
    request: Request, upload: Annotated[Upload, Depends(read_upload_form)]
) -> Upload:
    """The upload, its CSRF token checked when its form could be read (FormExpired if it does
    not match); a body refused unread (too large, not a form) carries no token to check, and
    is answered with its refusal, storing nothing."""
    if upload.problem is None:
        require_csrf(request, upload.form)
    return upload


UploadDep = Annotated[Upload, Depends(checked_upload)]
"""An upload form read within the size limit, its CSRF token matched."""

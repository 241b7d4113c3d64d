"""Documents an applicant uploads: PDF, JPEG or PNG, up to 5 MB, sealed at rest.

The type is read from the content's first bytes, never from the file's name or the type the
browser claims: a text file named .jpg is refused, and so is a PNG named .pdf (a name that
contradicts the content is refused rather than guessed at). No file name is kept (names often
carry the person's name).
"""

from __future__ import annotations

import uuid

from guardpath.adapters.documents import DocumentInfo as DocumentInfo
from guardpath.cases.transitions import NotFound
from guardpath.services.ports import Ports

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS_PER_DRAFT = 10
MAX_DRAFT_BYTES = 20 * 1024 * 1024
"""All of one draft's documents together: a passport, a permit, a record and a few more."""
DEFAULT_STORAGE_LIMIT = 1024 * 1024 * 1024
"""All unsent drafts' documents together (GUARDPATH_DRAFT_STORAGE_MB decides in the app)."""
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
ACCEPTED_TYPES = tuple(media_type for _, media_type in SIGNATURES)
EXTENSIONS = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
KINDS = ("passport", "stay_document", "criminal_record", "military_experience", "other")


class DocumentRefused(ValueError):
    """An upload that is not accepted; `reason` is one of: kind, empty, too_large, type,
    mismatch (the name says one accepted type, the content is another), too_many, and for
    want of room draft_full (MAX_DRAFT_BYTES) or storage_full (every draft's together)."""

    def __init__(
        self, reason: str, message: str, found: str | None = None, named: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.found = found
        self.named = named


def sniff_media_type(content: bytes) -> str | None:
    """The media type the content's magic bytes declare, if it is one guardpath accepts."""
    return next((kind for magic, kind in SIGNATURES if content.startswith(magic)), None)


def named_media_type(filename: str | None) -> str | None:
    """The accepted type a file's name claims by its extension, if any."""
    _stem, dot, extension = (filename or "").rpartition(".")
    return EXTENSIONS.get(extension.lower()) if dot else None


def _check(kind: str, content: bytes, filename: str | None) -> str:
    if kind not in KINDS:
        raise DocumentRefused("kind", f"kind: expected one of {', '.join(KINDS)}")
    if not content:
        raise DocumentRefused("empty", "the file is empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused("too_large", f"the file is over {MAX_DOCUMENT_BYTES} bytes")
    media_type = sniff_media_type(content)
    if media_type is None:
        raise DocumentRefused("type", "the content is not a PDF, JPEG or PNG")
    named = named_media_type(filename)
    if named is not None and named != media_type:
        raise DocumentRefused(
            "mismatch", f"the name says {named} but the content is {media_type}", media_type, named
        )
    return media_type


def attach_document(
    ctx: Ports,
    draft_id: str,
    kind: str,
    content: bytes,
    filename: str | None = None,
    storage_limit: int = DEFAULT_STORAGE_LIMIT,
) -> DocumentInfo:
    """Keep an uploaded document with a draft, sealed; refuses what is not accepted, and what
    the draft's or all drafts' room cannot take. The file's name is only compared with its
    content, and not kept."""
    media_type = _check(kind, content, filename)
    info = DocumentInfo(str(uuid.uuid4()), kind, media_type, len(content), ctx.clock())
    with ctx.unit_of_work() as uow:
        uow.documents.lock_draft(draft_id)
        count, size = uow.documents.held_by_draft(draft_id)
        if count >= MAX_DOCUMENTS_PER_DRAFT:
            raise DocumentRefused("too_many", f"at most {MAX_DOCUMENTS_PER_DRAFT} documents")
        if size + info.size > MAX_DRAFT_BYTES:
            raise DocumentRefused("draft_full", f"at most {MAX_DRAFT_BYTES} bytes per draft")
        if uow.documents.held_by_drafts() + info.size > storage_limit:
            raise DocumentRefused("storage_full", "the drafts' storage is full; try later")
        uow.documents.add_to_draft(draft_id, info, content)
        uow.commit()
    return info


def documents_of_draft(ctx: Ports, draft_id: str) -> list[DocumentInfo]:
    with ctx.reading() as uow:
        return uow.documents.of_draft(draft_id)


def documents_of_case(ctx: Ports, case_id: str) -> list[DocumentInfo]:
    with ctx.reading() as uow:
        return uow.documents.of_case(case_id)


def remove_document(ctx: Ports, draft_id: str, document_id: str) -> bool:
    """Remove one of the draft's documents; False if the draft has no such document."""
    with ctx.unit_of_work() as uow:
        removed = uow.documents.remove_from_draft(draft_id, document_id)
        uow.commit()
    return removed


def open_document(ctx: Ports, document_id: str) -> tuple[DocumentInfo, bytes]:
    """A document's content, opened (for staff, whose routes check the role and log the read)."""
    with ctx.reading() as uow:
        found = uow.documents.open(document_id)
    if found is None:
        raise NotFound(f"no document {document_id}")
    return found

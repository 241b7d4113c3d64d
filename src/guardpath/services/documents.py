"""Documents an applicant uploads: PDF, JPEG or PNG, up to 5 MB, sealed at rest.

The type is read from the content's first bytes, never from the file's name or the type the
browser claims: a text file named .jpg is refused, and so is a PNG named .pdf (a name that
contradicts the content is refused rather than guessed at). No file name is kept (names often
carry the person's name).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select

from guardpath.adapters.database import reading
from guardpath.adapters.repository import document_context
from guardpath.adapters.tables import documents, drafts
from guardpath.bootstrap import Context

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


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    kind: str
    media_type: str
    size: int
    created_at: datetime


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
    ctx: Context,
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
    d = documents.c
    with ctx.engine.begin() as conn:
        # The draft's row, locked: two uploads to one draft at once are checked one by one.
        conn.execute(select(drafts.c.id).where(drafts.c.id == draft_id).with_for_update())
        count, size = conn.execute(
            select(func.count(), func.coalesce(func.sum(d.size), 0)).where(d.draft_id == draft_id)
        ).one()
        if count >= MAX_DOCUMENTS_PER_DRAFT:
            raise DocumentRefused("too_many", f"at most {MAX_DOCUMENTS_PER_DRAFT} documents")
        if size + info.size > MAX_DRAFT_BYTES:
            raise DocumentRefused("draft_full", f"at most {MAX_DRAFT_BYTES} bytes per draft")
        held = conn.execute(
            select(func.coalesce(func.sum(d.size), 0)).where(d.draft_id.is_not(None))
        ).scalar_one()
        if held + info.size > storage_limit:
            raise DocumentRefused("storage_full", "the drafts' storage is full; try later")
        conn.execute(
            documents.insert().values(
                id=info.id,
                case_id=None,
                draft_id=draft_id,
                kind=kind,
                media_type=media_type,
                size=info.size,
                sealed=ctx.keyring.seal(content, document_context(info.id)),
                key_id=ctx.keyring.active_id,
                created_at=info.created_at,
            )
        )
    return info


def documents_of_draft(ctx: Context, draft_id: str) -> list[DocumentInfo]:
    return _listed(ctx, documents.c.draft_id == draft_id)


def documents_of_case(ctx: Context, case_id: str) -> list[DocumentInfo]:
    return _listed(ctx, documents.c.case_id == case_id)


def _listed(ctx: Context, where: ColumnElement[bool]) -> list[DocumentInfo]:
    d = documents.c
    query = select(d.id, d.kind, d.media_type, d.size, d.created_at).where(where)
    with reading(ctx.engine) as conn:
        rows = conn.execute(query.order_by(d.created_at, d.id))
        return [DocumentInfo(r.id, r.kind, r.media_type, r.size, r.created_at) for r in rows]


def remove_document(ctx: Context, draft_id: str, document_id: str) -> bool:
    """Remove one of the draft's documents; False if the draft has no such document."""
    with ctx.engine.begin() as conn:
        removed = conn.execute(
            delete(documents).where(documents.c.id == document_id, documents.c.draft_id == draft_id)
        ).rowcount
    return bool(removed)


def open_document(ctx: Context, document_id: str) -> tuple[DocumentInfo, bytes]:
    """A document's content, opened (for staff, whose routes check the role and log the read)."""
    with ctx.engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    info = DocumentInfo(row.id, row.kind, row.media_type, row.size, row.created_at)
    return info, ctx.keyring.open(row.sealed, document_context(row.id))

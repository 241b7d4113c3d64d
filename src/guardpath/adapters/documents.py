"""Uploaded documents: sealed at rest with the data key, kept with a draft until it is sent,
then with its case. What a draft may hold is the service's to decide
(guardpath.services.documents); this module counts, writes, lists and opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, select

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.sealing import document_context
from guardpath.adapters.tables import documents, drafts


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    kind: str
    media_type: str
    size: int
    created_at: datetime


def _info(row: Any) -> DocumentInfo:
    return DocumentInfo(row.id, row.kind, row.media_type, row.size, row.created_at)


class DocumentRepository:
    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def lock_draft(self, draft_id: str) -> None:
        """Hold the draft's row until the transaction ends: two uploads to one draft at once
        are then checked one after the other."""
        self.conn.execute(select(drafts.c.id).where(drafts.c.id == draft_id).with_for_update())

    def held_by_draft(self, draft_id: str) -> tuple[int, int]:
        """How many documents the draft holds, and their bytes together."""
        d = documents.c
        count, size = self.conn.execute(
            select(func.count(), func.coalesce(func.sum(d.size), 0)).where(d.draft_id == draft_id)
        ).one()
        return int(count), int(size)

    def held_by_drafts(self) -> int:
        """The bytes of every unsent draft's documents together."""
        d = documents.c
        total = self.conn.execute(
            select(func.coalesce(func.sum(d.size), 0)).where(d.draft_id.is_not(None))
        ).scalar_one()
        return int(total)

    def add_to_draft(self, draft_id: str, info: DocumentInfo, content: bytes) -> None:
        self.conn.execute(
            documents.insert().values(
                id=info.id,
                case_id=None,
                draft_id=draft_id,
                kind=info.kind,
                media_type=info.media_type,
                size=info.size,
                sealed=self.keyring.seal(content, document_context(info.id)),
                key_id=self.keyring.active_id,
                created_at=info.created_at,
            )
        )

    def of_draft(self, draft_id: str) -> list[DocumentInfo]:
        return self._listed(documents.c.draft_id == draft_id)

    def of_case(self, case_id: str) -> list[DocumentInfo]:
        return self._listed(documents.c.case_id == case_id)

    def _listed(self, where: ColumnElement[bool]) -> list[DocumentInfo]:
        d = documents.c
        query = select(d.id, d.kind, d.media_type, d.size, d.created_at).where(where)
        return [_info(r) for r in self.conn.execute(query.order_by(d.created_at, d.id))]

    def remove_from_draft(self, draft_id: str, document_id: str) -> bool:
        """Remove one of the draft's documents; False if the draft has no such document."""
        where = (documents.c.id == document_id, documents.c.draft_id == draft_id)
        return bool(self.conn.execute(delete(documents).where(*where)).rowcount)

    def open(self, document_id: str) -> tuple[DocumentInfo, bytes] | None:
        """A document with its content opened; None if there is no such document."""
        row = self.conn.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            return None
        return _info(row), self.keyring.open(row.sealed, document_context(row.id))

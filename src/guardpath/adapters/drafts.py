"""Applications in progress: the drafts table and the documents uploaded with a draft.

A draft's content (the steps' values, personal data among them) is one sealed JSON value bound
to its row (adapters/sealing.py's `draft_context`); the row keeps the token's hash, never the
token. The repository works on the unit of work's connection and commits nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.row_seals import reseal
from guardpath.adapters.sealing import draft_context
from guardpath.adapters.tables import documents, drafts


@dataclass(frozen=True)
class Draft:
    """A draft as stored: its step reached, its opened content and when it expires."""

    id: str
    step: str
    data: dict[str, Any]
    expires_at: datetime


class DraftRepository:
    """The drafts of one transaction."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def add(self, draft: Draft, token_hash: str, at: datetime) -> None:
        self.conn.execute(
            drafts.insert().values(
                id=draft.id,
                token_hash=token_hash,
                sealed=self.keyring.seal_json(draft.data, draft_context(draft.id)),
                key_id=self.keyring.active_id,
                step=draft.step,
                created_at=at,
                updated_at=at,
                expires_at=draft.expires_at,
            )
        )

    def find(self, token_hash: str) -> Draft | None:
        """The draft whose token has this hash, opened (expired or not), or None."""
        row = self.conn.execute(select(drafts).where(drafts.c.token_hash == token_hash)).first()
        if row is None:
            return None
        data = self.keyring.open_json(row.sealed, draft_context(row.id))
        return Draft(row.id, row.step, data, row.expires_at)

    def save(self, draft: Draft, at: datetime) -> None:
        """Store the draft's content, step and expiry over what its row held."""
        self.conn.execute(
            update(drafts)
            .where(drafts.c.id == draft.id)
            .values(
                sealed=self.keyring.seal_json(draft.data, draft_context(draft.id)),
                key_id=self.keyring.active_id,
                step=draft.step,
                updated_at=at,
                expires_at=draft.expires_at,
            )
        )

    def set_step(self, draft_id: str, step: str, unless: str | None = None) -> bool:
        """Note the step reached, unless the draft is at `unless`; whether it was noted."""
        query = update(drafts).where(drafts.c.id == draft_id)
        if unless is not None:
            query = query.where(drafts.c.step != unless)
        return bool(self.conn.execute(query.values(step=step)).rowcount)

    def remove(self, draft_id: str) -> None:
        """Delete the draft and every document still uploaded with it."""
        self.conn.execute(delete(documents).where(documents.c.draft_id == draft_id))
        self.conn.execute(delete(drafts).where(drafts.c.id == draft_id))

    def purge(self, now: datetime) -> int:
        """Delete the drafts expired by `now`, with their documents; how many drafts."""
        expired = select(drafts.c.id).where(drafts.c.expires_at <= now)
        self.conn.execute(delete(documents).where(documents.c.draft_id.in_(expired)))
        return self.conn.execute(delete(drafts).where(drafts.c.expires_at <= now)).rowcount

    def move_documents(self, draft_id: str, case_id: str) -> int:
        """Give the draft's documents to a case (each row with its new MAC); how many."""
        return reseal(
            self.conn,
            self.keyring,
            documents,
            documents.c.draft_id == draft_id,
            {"case_id": case_id, "draft_id": None},
        )

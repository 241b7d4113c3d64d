"""Staff sessions: kept by the SHA-256 of the browser's token only (guardpath.cases.tokens), so
a copy of the database opens no session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from guardpath.adapters.tables import staff_sessions, staff_users


@dataclass(frozen=True)
class StoredSession:
    """A session with what its account is now: its role, and whether it is disabled or locked."""

    user_id: str
    username: str
    role: str
    csrf: str
    expires_at: datetime
    last_seen_at: datetime
    disabled_at: datetime | None
    locked_until: datetime | None


class SessionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def start(self, key: str, user_id: str, csrf: str, at: datetime, expires_at: datetime) -> None:
        self.conn.execute(
            staff_sessions.insert().values(
                token_hash=key,
                user_id=user_id,
                csrf_token=csrf,
                created_at=at,
                expires_at=expires_at,
                last_seen_at=at,
            )
        )

    def find(self, key: str) -> StoredSession | None:
        """The session whose token hashes to `key`, with its account; None if there is none."""
        u = staff_users.c
        row = self.conn.execute(
            select(staff_sessions, u.username, u.role, u.disabled_at, u.locked_until)
            .join(staff_users, u.id == staff_sessions.c.user_id)
            .where(staff_sessions.c.token_hash == key)
        ).first()
        if row is None:
            return None
        return StoredSession(
            row.user_id,
            row.username,
            row.role,
            row.csrf_token,
            row.expires_at,
            row.last_seen_at,
            row.disabled_at,
            row.locked_until,
        )

    def seen(self, key: str, at: datetime) -> None:
        self.conn.execute(
            update(staff_sessions).where(staff_sessions.c.token_hash == key).values(last_seen_at=at)
        )

    def end(self, key: str) -> None:
        self.conn.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == key))

    def end_all_of(self, user_id: str) -> int:
        """End every session of the account; how many there were."""
        where = staff_sessions.c.user_id == user_id
        return self.conn.execute(delete(staff_sessions).where(where)).rowcount

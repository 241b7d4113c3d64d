"""Staff accounts: their rows, the TOTP secret sealed with the data key, and each change that
the row's MAC covers resealed (guardpath.adapters.row_seals)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.row_seals import reseal, seal_row
from guardpath.adapters.sealing import totp_context
from guardpath.adapters.tables import staff_users


@dataclass(frozen=True)
class StaffAccount:
    """An account as stored; its TOTP secret stays sealed until `StaffRepository.secret`."""

    id: str
    username: str
    role: str
    password_hash: str
    totp_sealed: bytes
    failed_logins: int
    locked_until: datetime | None
    last_totp_step: int | None
    disabled_at: datetime | None


def _account(row: Any) -> StaffAccount:
    return StaffAccount(
        row.id,
        row.username,
        row.role,
        row.password_hash,
        row.totp_sealed,
        row.failed_logins,
        row.locked_until,
        row.last_totp_step,
        row.disabled_at,
    )


class StaffRepository:
    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self.conn = conn
        self.keyring = keyring

    def add(
        self,
        user_id: str,
        username: str,
        role: str,
        password_hash: str,
        totp_secret: str,
        at: datetime,
    ) -> None:
        """A new account, its secret sealed and its row's MAC noted for the audit entry."""
        row = {
            "id": user_id,
            "username": username,
            "password_hash": password_hash,
            "totp_sealed": self.keyring.seal(totp_secret.encode(), totp_context(user_id)),
            "key_id": self.keyring.active_id,
            "role": role,
            "failed_logins": 0,
            "created_at": at,
            "disabled_at": None,
        }
        mac = seal_row(self.conn, self.keyring, staff_users, row)
        self.conn.execute(staff_users.insert().values(**row, mac=mac))

    def by_username(self, username: str, lock: bool = False) -> StaffAccount | None:
        """The account named so; `lock`: its row held until the transaction ends."""
        query = select(staff_users).where(staff_users.c.username == username)
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        return None if row is None else _account(row)

    def secret(self, account: StaffAccount) -> str:
        """The account's TOTP secret, opened."""
        return self.keyring.open(account.totp_sealed, totp_context(account.id)).decode()

    def replace_secret(self, user_id: str, secret: str) -> None:
        """A new TOTP secret (the demo site's recomputable one); the MAC does not cover it."""
        sealed = self.keyring.seal(secret.encode(), totp_context(user_id))
        self.conn.execute(
            update(staff_users).where(staff_users.c.id == user_id).values(totp_sealed=sealed)
        )

    def count_failure(self, user_id: str, failures: int) -> None:
        self.conn.execute(
            update(staff_users).where(staff_users.c.id == user_id).values(failed_logins=failures)
        )

    def logged_in(self, user_id: str, step: int, at: datetime, new_hash: str | None) -> None:
        """A login: the counters reset, the code's step kept against replay, and the password's
        hash replaced when it was made with older parameters."""
        where = staff_users.c.id == user_id
        if new_hash is not None:
            reseal(self.conn, self.keyring, staff_users, where, {"password_hash": new_hash})
        changes = {
            "failed_logins": 0,
            "locked_until": None,
            "last_totp_step": step,
            "last_login_at": at,
        }
        self.conn.execute(update(staff_users).where(where).values(changes))

    def set_disabled(self, user_id: str, at: datetime | None) -> None:
        """Disable the account from `at`, or enable it (None)."""
        where = staff_users.c.id == user_id
        reseal(self.conn, self.keyring, staff_users, where, {"disabled_at": at})

    def usernames(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The usernames of these accounts (ids that are no account are left out)."""
        query = select(staff_users.c.id, staff_users.c.username).where(
            staff_users.c.id.in_(set(user_ids))
        )
        return {row.id: row.username for row in self.conn.execute(query)}

    def enabled_secrets(self) -> list[tuple[str, str]]:
        """(username, TOTP secret opened) of every enabled account."""
        rows = self.conn.execute(
            select(staff_users.c.id, staff_users.c.username, staff_users.c.totp_sealed).where(
                staff_users.c.disabled_at.is_(None)
            )
        ).all()
        return [
            (row.username, self.keyring.open(row.totp_sealed, totp_context(row.id)).decode())
            for row in rows
        ]

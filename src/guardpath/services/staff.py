"""Staff accounts, logins and sessions; a staff member opening a case and taking a step on it.

A login needs the password and a current TOTP code, each code once. Failures are counted and
audited but lock no account (anyone knowing a username could lock it): guessing is throttled per
client and per username and client instead (`guardpath.services.limits`). Every refusal raises
the same `LoginRefused`, so the answer never tells an unknown username from a wrong password or
a wrong or reused code.
A session is a random token held by the browser; the database keeps only its SHA-256, so a copy
of the database opens no session. Applicants have no staff accounts, and analysts never open a
person's record. Working a case from the console is in `guardpath.services.casework`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, select, update

from guardpath.adapters import audit
from guardpath.adapters.database import reading
from guardpath.adapters.repository import totp_context
from guardpath.adapters.row_seals import reseal, seal_row
from guardpath.adapters.tables import staff_sessions, staff_users
from guardpath.bootstrap import Context, UnitOfWork
from guardpath.cases.model import Actor, Role
from guardpath.services.demo_accounts import is_demo_account
from guardpath.services.hashing import bounded_hashing

SESSION_LIFETIME = timedelta(hours=8)
SEEN_EVERY = timedelta(minutes=5)
ISSUER = "guardpath"
MIN_PASSWORD = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
ACCOUNT_ROLES = frozenset(Role) - {Role.APPLICANT}
CASE_ROLES = ACCOUNT_ROLES - {Role.ANALYST}
HASHER = PasswordHasher()


class StaffError(ValueError):
    """An account that cannot be made as asked; the message names the field."""


class LoginRefused(Exception):
    """Any refused login. Deliberately one kind and one message."""


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(expected: str, given: str | None) -> bool:
    """Compare a secret in constant time (a CSRF token, a login form token)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


# -- accounts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewStaff:
    """A new account: the TOTP secret and its URI are shown once, never stored in clear."""

    id: str
    username: str
    role: Role
    totp_secret: str
    otpauth_uri: str


def account_role(role: Role | str) -> Role:
    """The role of a new staff account; applicants have none."""
    try:
        chosen = Role(role)
    except ValueError:
        chosen = Role.APPLICANT
    if chosen not in ACCOUNT_ROLES:
        accepted = ", ".join(r.value for r in Role if r in ACCOUNT_ROLES)
        raise StaffError(f"--role: expected one of {accepted}; applicants have no staff access")
    return chosen


def add_staff(
    ctx: Context, actor: Actor, username: str, role: Role | str, password: str
) -> NewStaff:
    """A new account with its own TOTP secret, sealed with the data key."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise StaffError(
            "USERNAME: 2-64 of a-z, 0-9, '.', '_' or '-', starting with one of a-z, 0-9"
        )
    role = account_role(role)
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"password: at least {MIN_PASSWORD} characters")
    user_id, secret, now = str(uuid.uuid4()), pyotp.random_base32(), ctx.clock()
    with UnitOfWork(ctx) as uow:
        taken = uow.conn.execute(
            select(staff_users.c.id).where(staff_users.c.username == username)
        ).first()
        if taken is not None:
            raise StaffError(f"USERNAME: {username!r} is taken")
        row = {
            "id": user_id,
            "username": username,
            "password_hash": HASHER.hash(password),
            "totp_sealed": ctx.keyring.seal(secret.encode(), totp_context(user_id)),
            "key_id": ctx.keyring.active_id,
            "role": role.value,
            "failed_logins": 0,
            "created_at": now,
            "disabled_at": None,
        }
        mac = seal_row(uow.conn, ctx.keyring, staff_users, row)
        uow.conn.execute(staff_users.insert().values(**row, mac=mac))
        details = {"role": role.value}
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "add_staff", user_id, details))
        uow.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    return NewStaff(user_id, username, role, secret, uri)


# -- logging in ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member. `token` is set only when the session is created."""

    user_id: str
    username: str
    role: Role
    csrf: str
    expires_at: datetime
    token: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.role)


@cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def _password_ok(stored: str | None, password: str) -> bool:
    try:
        with bounded_hashing():
            return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (now, or one step either side), else None."""
    code = code.replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    for offset in (0, -1, 1):
        if hmac.compare_digest(totp.at(now, counter_offset=offset), code):
            return totp.timecode(now) + offset
    return None


def log_in(
    ctx: Context, username: str, password: str, code: str, replacing: str | None = None
) -> StaffSession:
    """A new session for a right password and a fresh code; `replacing` (the browser's old
    session token, if any) is ended, so every login gets a new session id."""
    now, name = ctx.clock(), username.strip().lower()
    by_name = select(staff_users).where(staff_users.c.username == name)
    with reading(ctx.engine) as conn:
        found = conn.execute(by_name).first()
    # The slow hash runs outside the transaction, so a login holds no write lock meanwhile.
    password_ok = _password_ok(found.password_hash if found else None, password)
    if found is None or Role(found.role) not in ACCOUNT_ROLES:
        raise LoginRefused
    with UnitOfWork(ctx) as uow:
        user = uow.conn.execute(by_name.with_for_update()).one()  # counters as they are now
        secret = ctx.keyring.open(user.totp_sealed, totp_context(user.id)).decode()
        demo = ctx.settings.production and is_demo_account(user.username, secret)
        locked = user.locked_until is not None and now < _utc(user.locked_until)
        if locked or demo or user.disabled_at is not None:
            why = "demo_account" if demo else "disabled" if user.disabled_at else "locked"
            uow.audit(audit.Entry(now, user.id, user.role, "login_refused", user.id, {"why": why}))
            uow.commit()
            raise LoginRefused
        step = totp_step(secret, code, now) if password_ok else None
        if step is None or (user.last_totp_step is not None and step <= user.last_totp_step):
            _count_failure(uow, user, now)
            uow.commit()
            raise LoginRefused
        session = _start_session(uow.conn, user, now, replacing)
        changes: dict[str, Any] = {
            "failed_logins": 0,
            "locked_until": None,
            "last_totp_step": step,
            "last_login_at": now,
        }
        if HASHER.check_needs_rehash(user.password_hash):
            new_hash = HASHER.hash(password)
            reseal(
                uow.conn,
                ctx.keyring,
                staff_users,
                staff_users.c.id == user.id,
                {"password_hash": new_hash},
            )
        uow.conn.execute(update(staff_users).where(staff_users.c.id == user.id).values(changes))
        uow.audit(audit.Entry(now, user.id, user.role, "login", user.id, {}))
        uow.commit()
    return session


def _count_failure(uow: UnitOfWork, user: Any, now: datetime) -> None:
    # Counted for the audit chain and the account's owner; no lock (see the module's docstring).
    failures = user.failed_logins + 1
    uow.conn.execute(
        update(staff_users).where(staff_users.c.id == user.id).values(failed_logins=failures)
    )
    details: dict[str, Any] = {"failures": failures, "locked": False}
    uow.audit(audit.Entry(now, user.id, user.role, "login_failed", user.id, details))


def _start_session(
    conn: Connection, user: Any, now: datetime, replacing: str | None
) -> StaffSession:
    if replacing:
        conn.execute(
            delete(staff_sessions).where(staff_sessions.c.token_hash == token_hash(replacing))
        )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    conn.execute(
        staff_sessions.insert().values(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=expires,
            last_seen_at=now,
        )
    )
    return StaffSession(user.id, user.username, Role(user.role), csrf, expires, token)


def session_for(ctx: Context, token: str | None) -> StaffSession | None:
    """The live session of this token, or None (no such session, expired, or not staff)."""
    if not token:
        return None
    now, key = ctx.clock(), token_hash(token)
    with reading(ctx.engine) as conn:
        row = conn.execute(
            select(
                staff_sessions,
                staff_users.c.username,
                staff_users.c.role,
                staff_users.c.disabled_at,
                staff_users.c.locked_until,
            )
            .join(staff_users, staff_users.c.id == staff_sessions.c.user_id)
            .where(staff_sessions.c.token_hash == key)
        ).first()
    if row is None or row.role not in {r.value for r in ACCOUNT_ROLES}:
        return None
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    locked = row.locked_until is not None and now < _utc(row.locked_until)
    if (
        now >= _utc(row.expires_at)
        or now - _utc(row.last_seen_at) >= idle
        or row.disabled_at is not None
        or locked
    ):
        end_session(ctx, token)
        return None
    if now - _utc(row.last_seen_at) > min(SEEN_EVERY, idle / 6):
        with ctx.engine.begin() as conn:
            conn.execute(
                update(staff_sessions)
                .where(staff_sessions.c.token_hash == key)
                .values(last_seen_at=now)
            )
    return StaffSession(
        row.user_id, row.username, Role(row.role), row.csrf_token, _utc(row.expires_at)
    )


def _end_sessions_of(conn: Connection, user_id: str) -> int:
    return conn.execute(delete(staff_sessions).where(staff_sessions.c.user_id == user_id)).rowcount


def _account(uow: UnitOfWork, username: str) -> Any:
    name = username.strip().lower()
    row = uow.conn.execute(
        select(staff_users).where(staff_users.c.username == name).with_for_update()
    ).first()
    if row is None:
        raise StaffError(f"USERNAME: no staff account {name!r}")
    return row


def disable_staff(ctx: Context, actor: Actor, username: str) -> int:
    """Disable an account: it cannot log in, and its sessions end now; returns how many."""
    now = ctx.clock()
    with UnitOfWork(ctx) as uow:
        user = _account(uow, username)
        if user.disabled_at is None:
            where = staff_users.c.id == user.id
            reseal(uow.conn, ctx.keyring, staff_users, where, {"disabled_at": now})
        ended = _end_sessions_of(uow.conn, user.id)
        details = {"sessions_ended": ended}
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "disable_staff", user.id, details))
        uow.commit()
    return ended


def enable_staff(ctx: Context, actor: Actor, username: str) -> None:
    now = ctx.clock()
    with UnitOfWork(ctx) as uow:
        user = _account(uow, username)
        where = staff_users.c.id == user.id
        reseal(uow.conn, ctx.keyring, staff_users, where, {"disabled_at": None})
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "enable_staff", user.id, {}))
        uow.commit()


def end_sessions(ctx: Context, actor: Actor, username: str) -> int:
    """End every session of an account now (a lost laptop); returns how many there were."""
    now = ctx.clock()
    with UnitOfWork(ctx) as uow:
        user = _account(uow, username)
        ended = _end_sessions_of(uow.conn, user.id)
        details = {"sessions_ended": ended}
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "end_sessions", user.id, details))
        uow.commit()
    return ended


def end_session(ctx: Context, token: str) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == token_hash(token)))


def log_out(ctx: Context, session: StaffSession, token: str) -> None:
    with UnitOfWork(ctx) as uow:
        uow.conn.execute(
            delete(staff_sessions).where(staff_sessions.c.token_hash == token_hash(token))
        )
        now, actor = ctx.clock(), session.actor
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "logout", actor.id, {}))
        uow.commit()

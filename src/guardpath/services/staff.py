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

import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from guardpath.adapters import audit
from guardpath.adapters.staff import StaffAccount
from guardpath.cases.model import Actor, Role
from guardpath.cases.tokens import same_secret as same_secret  # the routes compare with it
from guardpath.cases.tokens import token_hash
from guardpath.services.demo_accounts import is_demo_account
from guardpath.services.hashing import bounded_hashing
from guardpath.services.ports import Ports
from guardpath.services.unit_of_work import Work

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


def add_staff(ctx: Ports, actor: Actor, username: str, role: Role | str, password: str) -> NewStaff:
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
    with ctx.unit_of_work() as uow:
        if uow.staff.by_username(username) is not None:
            raise StaffError(f"USERNAME: {username!r} is taken")
        uow.staff.add(user_id, username, role.value, HASHER.hash(password), secret, now)
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
    ctx: Ports, username: str, password: str, code: str, replacing: str | None = None
) -> StaffSession:
    """A new session for a right password and a fresh code; `replacing` (the browser's old
    session token, if any) is ended, so every login gets a new session id."""
    now, name = ctx.clock(), username.strip().lower()
    with ctx.reading() as uow:
        found = uow.staff.by_username(name)
    # The slow hash runs outside the transaction, so a login holds no write lock meanwhile.
    password_ok = _password_ok(found.password_hash if found else None, password)
    if found is None or Role(found.role) not in ACCOUNT_ROLES:
        raise LoginRefused
    with ctx.unit_of_work() as uow:
        user = uow.staff.by_username(name, lock=True)  # counters as they are now
        if user is None:
            raise LoginRefused
        secret = uow.staff.secret(user)
        demo = ctx.settings.production and is_demo_account(user.username, secret)
        locked = user.locked_until is not None and now < user.locked_until
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
        session = _start_session(uow, user, now, replacing)
        new_hash = HASHER.hash(password) if HASHER.check_needs_rehash(user.password_hash) else None
        uow.staff.logged_in(user.id, step, now, new_hash)
        uow.audit(audit.Entry(now, user.id, user.role, "login", user.id, {}))
        uow.commit()
    return session


def _count_failure(uow: Work, user: StaffAccount, now: datetime) -> None:
    # Counted for the audit chain and the account's owner; no lock (see the module's docstring).
    failures = user.failed_logins + 1
    uow.staff.count_failure(user.id, failures)
    details: dict[str, object] = {"failures": failures, "locked": False}
    uow.audit(audit.Entry(now, user.id, user.role, "login_failed", user.id, details))


def _start_session(
    uow: Work, user: StaffAccount, now: datetime, replacing: str | None
) -> StaffSession:
    if replacing:
        uow.sessions.end(token_hash(replacing))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    uow.sessions.start(token_hash(token), user.id, csrf, now, expires)
    return StaffSession(user.id, user.username, Role(user.role), csrf, expires, token)


def session_for(ctx: Ports, token: str | None) -> StaffSession | None:
    """The live session of this token, or None (no such session, expired, or not staff)."""
    if not token:
        return None
    now, key = ctx.clock(), token_hash(token)
    with ctx.reading() as uow:
        found = uow.sessions.find(key)
    if found is None or found.role not in {r.value for r in ACCOUNT_ROLES}:
        return None
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    locked = found.locked_until is not None and now < found.locked_until
    if (
        now >= found.expires_at
        or now - found.last_seen_at >= idle
        or found.disabled_at is not None
        or locked
    ):
        end_session(ctx, token)
        return None
    if now - found.last_seen_at > min(SEEN_EVERY, idle / 6):
        with ctx.unit_of_work() as uow:
            uow.sessions.seen(key, now)
            uow.commit()
    return StaffSession(
        found.user_id, found.username, Role(found.role), found.csrf, found.expires_at
    )


def _account(uow: Work, username: str) -> StaffAccount:
    name = username.strip().lower()
    account = uow.staff.by_username(name, lock=True)
    if account is None:
        raise StaffError(f"USERNAME: no staff account {name!r}")
    return account


def disable_staff(ctx: Ports, actor: Actor, username: str) -> int:
    """Disable an account: it cannot log in, and its sessions end now; returns how many."""
    now = ctx.clock()
    with ctx.unit_of_work() as uow:
        user = _account(uow, username)
        if user.disabled_at is None:
            uow.staff.set_disabled(user.id, now)
        ended = uow.sessions.end_all_of(user.id)
        details = {"sessions_ended": ended}
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "disable_staff", user.id, details))
        uow.commit()
    return ended


def enable_staff(ctx: Ports, actor: Actor, username: str) -> None:
    now = ctx.clock()
    with ctx.unit_of_work() as uow:
        user = _account(uow, username)
        uow.staff.set_disabled(user.id, None)
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "enable_staff", user.id, {}))
        uow.commit()


def end_sessions(ctx: Ports, actor: Actor, username: str) -> int:
    """End every session of an account now (a lost laptop); returns how many there were."""
    now = ctx.clock()
    with ctx.unit_of_work() as uow:
        user = _account(uow, username)
        ended = uow.sessions.end_all_of(user.id)
        details = {"sessions_ended": ended}
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "end_sessions", user.id, details))
        uow.commit()
    return ended


def end_session(ctx: Ports, token: str) -> None:
    with ctx.unit_of_work() as uow:
        uow.sessions.end(token_hash(token))
        uow.commit()


def log_out(ctx: Ports, session: StaffSession, token: str) -> None:
    with ctx.unit_of_work() as uow:
        uow.sessions.end(token_hash(token))
        now, actor = ctx.clock(), session.actor
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "logout", actor.id, {}))
        uow.commit()

"""Staff logins and sessions (services/staff.py) on the unit of work in memory (tests/fakes.py):
a code used once, the failures counted, the idle timeout, disabling. The same on SQLite and
PostgreSQL, sealed and chained, is in tests/cases/test_console_repositories.py; through the
pages, in tests/web/test_staff_lifecycle.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from fakes import Clock, MemoryStore, memory_context
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role
from guardpath.services.staff import (
    LoginRefused,
    StaffError,
    add_staff,
    disable_staff,
    log_in,
    session_for,
)

ADMIN = Actor("admin-hanna", Role.ADMIN)
PASSWORD = "correct horse battery"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ctx(store: MemoryStore, clock: Clock, tmp_path: Path) -> Context:
    return memory_context(store, tmp_path, clock)


def code(secret: str, clock: Clock) -> str:
    return pyotp.TOTP(secret).at(clock())


def test_a_code_opens_one_session_and_a_replay_counts_as_a_failure(
    ctx: Context, clock: Clock, store: MemoryStore
) -> None:
    made = add_staff(ctx, ADMIN, "olena", "recruiter", PASSWORD)
    session = log_in(ctx, "olena", PASSWORD, code(made.totp_secret, clock))
    assert session_for(ctx, session.token) is not None

    with pytest.raises(LoginRefused):
        log_in(ctx, "olena", PASSWORD, code(made.totp_secret, clock))
    assert store.staff["olena"].failed_logins == 1
    actions = [entry.action for entry in store.audit]
    assert actions == ["add_staff", "login", "login_failed"]


def test_a_taken_username_is_refused(ctx: Context) -> None:
    add_staff(ctx, ADMIN, "olena", "recruiter", PASSWORD)
    with pytest.raises(StaffError, match="taken"):
        add_staff(ctx, ADMIN, "Olena", "commander", PASSWORD)


def test_a_session_idle_too_long_is_ended(ctx: Context, clock: Clock, store: MemoryStore) -> None:
    made = add_staff(ctx, ADMIN, "taras", "vetting_officer", PASSWORD)
    session = log_in(ctx, "taras", PASSWORD, code(made.totp_secret, clock))
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)

    clock.now += idle / 2
    assert session_for(ctx, session.token) is not None  # seen: the idle time starts again
    clock.now += idle - timedelta(seconds=1)
    assert session_for(ctx, session.token) is not None
    clock.now += idle
    assert session_for(ctx, session.token) is None
    assert store.sessions == {}


def test_disabling_ends_the_sessions_and_refuses_the_next_login(
    ctx: Context, clock: Clock, store: MemoryStore
) -> None:
    made = add_staff(ctx, ADMIN, "iryna", "medical_officer", PASSWORD)
    session = log_in(ctx, "iryna", PASSWORD, code(made.totp_secret, clock))

    assert disable_staff(ctx, ADMIN, "iryna") == 1
    assert session_for(ctx, session.token) is None
    clock.now += timedelta(minutes=1)
    with pytest.raises(LoginRefused):
        log_in(ctx, "iryna", PASSWORD, code(made.totp_secret, clock))
    assert store.audit[-1].action == "login_refused"
    assert store.audit[-1].details == {"why": "disabled"}

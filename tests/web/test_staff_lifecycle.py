"""A staff account's life: disabled and enabled, its sessions ended by an admin, by a lock or
by thirty idle minutes, demo accounts refused in production; each step in the audit chain."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from guardpath.adapters import audit
from guardpath.adapters.tables import audit_log, staff_sessions
from guardpath.cases.model import Role
from guardpath.cli import app as cli
from guardpath.services import staff as staff_services
from guardpath.services.demo_accounts import (
    DemoAccountsInProduction,
    demo_secret,
    refuse_demo_accounts,
)
from guardpath.services.demo_site import DEMO_PASSWORD, prepare_demo_site
from guardpath.services.staff import LoginRefused, disable_staff, enable_staff, end_sessions
from guardpath.settings import Environment
from web.staff_fixtures import (  # noqa: F401
    ADMIN,
    PASSWORD,
    REFUSED,
    Accounts,
    Console,
    accounts_fixture,
    console_fixture,
    log_in,
    staff_client_fixture,
)


def actions(ctx: Any) -> list[str]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())


def sessions_of(ctx: Any, user_id: str) -> int:
    with ctx.engine.connect() as conn:
        query = select(staff_sessions.c.token_hash).where(staff_sessions.c.user_id == user_id)
        return len(conn.execute(query).all())


def test_disabling_an_account_ends_its_session_at_once_and_refuses_its_login(
    console: Console, accounts: Accounts, staff_client, ctx
) -> None:
    console.as_role(Role.RECRUITER)
    assert console.get("/staff").status_code == 200

    assert disable_staff(ctx, ADMIN, "recruiter") == 1

    assert console.get("/staff").headers["location"] == "/staff/login"
    refused = log_in(staff_client, "recruiter", PASSWORD, accounts.code("recruiter"))
    assert refused.status_code == 200 and REFUSED in refused.text
    assert actions(ctx)[-2:] == ["disable_staff", "login_refused"]

    enable_staff(ctx, ADMIN, "recruiter")
    accounts.clock.advance(seconds=30)
    assert (
        log_in(staff_client, "recruiter", PASSWORD, accounts.code("recruiter")).status_code == 303
    )
    with ctx.engine.connect() as conn:
        assert audit.verify(conn, ctx.keyring).ok


def test_an_admin_ends_every_session_of_an_account(console: Console, accounts: Accounts, ctx):
    console.as_role(Role.COMMANDER)
    accounts.session(Role.COMMANDER)
    user = accounts.ids["commander"]
    assert sessions_of(ctx, user) == 2

    assert end_sessions(ctx, ADMIN, "commander") == 2

    assert sessions_of(ctx, user) == 0
    assert console.get("/staff").headers["location"] == "/staff/login"
    assert actions(ctx)[-1] == "end_sessions"


def test_wrong_guesses_by_someone_else_neither_lock_the_account_nor_end_its_sessions(
    console: Console, accounts: Accounts, staff_client, ctx
) -> None:
    """Accounts are throttled per client, not locked (docs/security.md): a third party who
    knows a username cannot lock its owner out or end the owner's sessions."""
    console.as_role(Role.VETTING_OFFICER)
    assert console.get("/staff").status_code == 200
    user = accounts.ids["vetting-officer"]
    for _ in range(5):  # someone else, guessing the password from another browser
        with pytest.raises(LoginRefused):
            staff_services.log_in(ctx, "vetting-officer", "wrong password!", "000000")

    assert sessions_of(ctx, user) == 1
    assert console.get("/staff").status_code == 200


def test_a_session_ends_after_thirty_idle_minutes(console: Console, clock) -> None:
    console.as_role(Role.RECRUITER)
    clock.advance(minutes=29)
    assert console.get("/staff").status_code == 200
    clock.advance(minutes=29)
    assert console.get("/staff").status_code == 200

    clock.advance(minutes=30)

    assert console.get("/staff").headers["location"] == "/staff/login"


def test_the_idle_timeout_is_a_setting(console: Console, clock, ctx) -> None:
    ctx.settings.session_idle_minutes = 10
    console.as_role(Role.RECRUITER)
    clock.advance(minutes=9)
    assert console.get("/staff").status_code == 200

    clock.advance(minutes=10)

    assert console.get("/staff").headers["location"] == "/staff/login"


def test_unknown_accounts_are_named_and_nothing_is_written(ctx) -> None:
    before = actions(ctx)
    with pytest.raises(staff_services.StaffError, match="USERNAME: no staff account 'nobody'"):
        disable_staff(ctx, ADMIN, "nobody")
    assert actions(ctx) == before


# -- demo accounts -------------------------------------------------------------------------
def test_production_refuses_a_database_that_ran_the_demo(ctx) -> None:
    prepare_demo_site(ctx, cases_wanted=2)
    settings = ctx.settings.model_copy(update={"env": Environment.PRODUCTION})
    production = replace(ctx, settings=settings)
    refuse_demo_accounts(ctx)  # development: the demo is what it is for

    with pytest.raises(DemoAccountsInProduction) as refused:
        refuse_demo_accounts(production)
    message = str(refused.value)
    assert "demo-admin" in message and "guardpath staff disable" in message

    for name in ("demo-admin", "demo-recruiter"):
        code = pyotp.TOTP(demo_secret(name)).at(ctx.clock())
        with pytest.raises(LoginRefused):
            staff_services.log_in(production, name, DEMO_PASSWORD, code)
    assert actions(ctx)[-1] == "login_refused"
    code = pyotp.TOTP(demo_secret("demo-admin")).at(ctx.clock())
    assert staff_services.log_in(ctx, "demo-admin", DEMO_PASSWORD, code).role is Role.ADMIN

    for role in staff_services.ACCOUNT_ROLES:
        disable_staff(production, ADMIN, "demo-" + role.value.replace("_", "-"))
    refuse_demo_accounts(production)  # every demo account disabled: production may start


def test_the_cli_disables_enables_and_ends_sessions(ctx, accounts: Accounts, monkeypatch):
    monkeypatch.setenv("GUARDPATH_DATA_DIR", str(ctx.settings.data_dir))
    accounts.session(Role.MIGRATION_OFFICER)
    runner = CliRunner()

    ended = runner.invoke(cli, ["staff", "sessions", "end", "migration-officer"])
    disabled = runner.invoke(cli, ["staff", "disable", "Migration-Officer"])
    enabled = runner.invoke(cli, ["staff", "enable", "migration-officer"])
    unknown = runner.invoke(cli, ["staff", "disable", "nobody"])

    assert ended.exit_code == 0 and "ended 1 sessions of migration-officer" in ended.stdout
    assert disabled.exit_code == 0 and "disabled migration-officer" in disabled.stdout
    assert enabled.exit_code == 0
    assert unknown.exit_code == 2 and "USERNAME: no staff account 'nobody'" in unknown.stderr
    assert actions(ctx)[-3:] == ["end_sessions", "disable_staff", "enable_staff"]

"""A demo site: the schema, invented cases and one staff account per role, for `serve --demo`.

Demo accounts have well-known passwords and TOTP secrets derived from their names, so a person
trying guardpath can log in; they are refused outside development, like the demo data itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from sqlalchemy import func, select

from guardpath.adapters.case_counts import stored_cases
from guardpath.adapters.migrate import upgrade
from guardpath.adapters.repository import totp_context
from guardpath.adapters.tables import staff_users
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role
from guardpath.services.demo import DemoError, make_demo_data
from guardpath.services.demo_accounts import DEMO_PREFIX, demo_secret
from guardpath.services.staff import ACCOUNT_ROLES, add_staff

DEMO_PASSWORD = "demo-password-only"
SYSTEM = Actor("system-demo", Role.ADMIN)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    password: str
    totp_secret: str

    def code_now(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


def _count(ctx: Context, table_count: object) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(table_count).scalar_one())  # type: ignore[call-overload]


def prepare_demo_site(ctx: Context, cases_wanted: int = 60, seed: int = 0) -> list[DemoLogin]:
    """Migrate, fill an empty database with demo cases, and make sure the demo logins exist."""
    if ctx.settings.production:
        raise DemoError("GUARDPATH_ENV: demo mode runs in development only")
    upgrade(ctx.engine)
    if stored_cases(ctx.engine) == 0:
        make_demo_data(ctx, cases=cases_wanted, seed=seed)
    logins = []
    for role in sorted(ACCOUNT_ROLES, key=lambda r: r.value):
        username = f"{DEMO_PREFIX}{role.value.replace('_', '-')}"
        logins.append(_ensure_login(ctx, username, role))
    return logins


def _ensure_login(ctx: Context, username: str, role: Role) -> DemoLogin:
    secret = demo_secret(username)
    exists = select(func.count()).select_from(staff_users).where(staff_users.c.username == username)
    if _count(ctx, exists) == 0:
        made = add_staff(ctx, SYSTEM, username, role, DEMO_PASSWORD)
        # Replace the random secret with the recomputable demo one.
        with ctx.engine.begin() as conn:
            conn.execute(
                staff_users.update()
                .where(staff_users.c.id == made.id)
                .values(totp_sealed=ctx.keyring.seal(secret.encode(), totp_context(made.id)))
            )
    return DemoLogin(username, role, DEMO_PASSWORD, secret)

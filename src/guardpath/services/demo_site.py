"""A demo site: the schema, invented cases and one staff account per role, for `serve --demo`.

Demo accounts have well-known passwords and TOTP secrets derived from their names, so a person
trying guardpath can log in; they are refused outside development, like the demo data itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp

from guardpath.cases.model import Actor, Role
from guardpath.services.demo import DemoError, make_demo_data
from guardpath.services.demo.making import DemoPorts
from guardpath.services.demo_accounts import DEMO_PREFIX, demo_secret
from guardpath.services.ports import Ports
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


def prepare_demo_site(ctx: DemoPorts, cases_wanted: int = 60, seed: int = 0) -> list[DemoLogin]:
    """Migrate, fill an empty database with demo cases, and make sure the demo logins exist."""
    if ctx.settings.production:
        raise DemoError("GUARDPATH_ENV: demo mode runs in development only")
    ctx.store().upgrade()
    if ctx.stored_cases() == 0:
        make_demo_data(ctx, cases=cases_wanted, seed=seed)
    logins = []
    for role in sorted(ACCOUNT_ROLES, key=lambda r: r.value):
        username = f"{DEMO_PREFIX}{role.value.replace('_', '-')}"
        logins.append(_ensure_login(ctx, username, role))
    return logins


def _ensure_login(ctx: Ports, username: str, role: Role) -> DemoLogin:
    secret = demo_secret(username)
    with ctx.reading() as uow:
        exists = uow.staff.by_username(username) is not None
    if not exists:
        made = add_staff(ctx, SYSTEM, username, role, DEMO_PASSWORD)
        # Replace the random secret with the recomputable demo one.
        with ctx.unit_of_work() as uow:
            uow.staff.replace_secret(made.id, secret)
            uow.commit()
    return DemoLogin(username, role, DEMO_PASSWORD, secret)

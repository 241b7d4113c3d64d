"""Demo staff accounts (`serve --demo`): their TOTP secrets are recomputable from the name, so
production refuses to start while any is enabled, and refuses their logins."""

from __future__ import annotations

import base64
import hashlib
import hmac

from sqlalchemy import select

from guardpath.adapters.repository import totp_context
from guardpath.adapters.tables import staff_users
from guardpath.bootstrap import Context
from guardpath.settings import SettingsError

# -- demo accounts: never in production ---------------------------------------------------------
DEMO_PREFIX = "demo-"


def demo_secret(username: str) -> str:
    """A TOTP secret anyone can recompute from the username: for demo accounts only."""
    digest = hashlib.sha256(f"guardpath demo {username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def is_demo_account(username: str, totp_secret: str) -> bool:
    """A demo account: named as `serve --demo` names them, or with a recomputable TOTP secret."""
    return username.startswith(DEMO_PREFIX) or hmac.compare_digest(
        totp_secret, demo_secret(username)
    )


class DemoAccountsInProduction(SettingsError):
    """Production start-up found demo accounts; the message names them and how to remove them."""


def refuse_demo_accounts(ctx: Context) -> None:
    """In production, stop if any enabled account is a demo account (well-known password,
    TOTP secret derived from its name)."""
    if not ctx.settings.production:
        return
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(staff_users.c.id, staff_users.c.username, staff_users.c.totp_sealed).where(
                staff_users.c.disabled_at.is_(None)
            )
        ).all()
    found = sorted(
        row.username
        for row in rows
        if is_demo_account(
            row.username, ctx.keyring.open(row.totp_sealed, totp_context(row.id)).decode()
        )
    )
    if found:
        names = " ".join(found)
        raise DemoAccountsInProduction(
            f"GUARDPATH_ENV: production refuses a database with demo staff accounts ({names}): "
            f"their passwords and TOTP secrets are public. Disable them with "
            f"`guardpath staff disable NAME` for each ({names}), or start from a database "
            "that never ran `serve --demo`"
        )

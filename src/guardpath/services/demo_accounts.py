"""Demo staff accounts (`serve --demo`): their TOTP secrets are recomputable from the name, so
production refuses to start while any is enabled, and refuses their logins."""

from __future__ import annotations

import base64
import hashlib
import hmac

from guardpath.services.ports import Ports
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


def refuse_demo_accounts(ctx: Ports) -> None:
    """In production, stop if any enabled account is a demo account (well-known password,
    TOTP secret derived from its name)."""
    if not ctx.settings.production:
        return
    with ctx.reading() as uow:
        enabled = uow.staff.enabled_secrets()
    found = sorted(username for username, secret in enabled if is_demo_account(username, secret))
    if found:
        names = " ".join(found)
        raise DemoAccountsInProduction(
            f"GUARDPATH_ENV: production refuses a database with demo staff accounts ({names}): "
            f"their passwords and TOTP secrets are public. Disable them with "
            f"`guardpath staff disable NAME` for each ({names}), or start from a database "
            "that never ran `serve --demo`"
        )

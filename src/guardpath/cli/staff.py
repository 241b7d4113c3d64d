"""`guardpath staff add USERNAME --role ROLE`: a staff account for the console; `staff disable`,
`staff enable` and `staff sessions end` for the rest of its life. Each is recorded in the audit
chain.

The password is asked for twice, never taken from the command line (where the shell's history
and the process list would keep it). The TOTP secret is printed once, for the authenticator app.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.errors import BadInput
from guardpath.cli.runtime import admin, failing, open_context
from guardpath.services.staff import (
    ACCOUNT_ROLES,
    StaffError,
    account_role,
    add_staff,
    disable_staff,
    enable_staff,
    end_sessions,
)

ROLES = ", ".join(sorted(r.value for r in ACCOUNT_ROLES))

staff = typer.Typer(
    name="staff",
    help="Staff accounts for the console at /staff.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _bad(error: StaffError) -> BadInput:
    field, _, message = str(error).partition(": ")
    return BadInput(field, message)


@staff.command("add", short_help="Add a staff account; print its TOTP secret once.")
def staff_add(
    username: Annotated[
        str, typer.Argument(metavar="USERNAME", help="The login name: a-z, 0-9, '.', '_', '-'.")
    ],
    role: Annotated[str, typer.Option(metavar="ROLE", help=f"One of: {ROLES}.")],
) -> None:
    """Add a staff account with ROLE. Asks for the password (twice, at least 12 characters),
    then prints the account's TOTP secret and otpauth URI once: enter either in an
    authenticator app, since every login needs a code from it. Applicants have no staff
    accounts.
    """
    with failing():
        try:
            chosen = account_role(role)
        except StaffError as error:
            raise _bad(error) from None
        ctx = open_context()
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            made = add_staff(ctx, admin(), username, chosen, password)
        except StaffError as error:
            raise _bad(error) from None
        finally:
            ctx.engine.dispose()
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"added {made.username} ({made.role.value})")
    out.print("TOTP secret, shown this once; enter it in the authenticator app:")
    out.print(f"  {made.totp_secret}")
    out.print(f"  {made.otpauth_uri}")


Username = Annotated[str, typer.Argument(metavar="USERNAME", help="The account's login name.")]


def _on_account(action: str, username: str) -> int | None:
    with failing():
        ctx = open_context()
        try:
            if action == "disable":
                return disable_staff(ctx, admin(), username)
            if action == "enable":
                enable_staff(ctx, admin(), username)
                return None
            return end_sessions(ctx, admin(), username)
        except StaffError as error:
            raise _bad(error) from None
        finally:
            ctx.engine.dispose()


@staff.command("disable", short_help="Disable an account and end its sessions now.")
def staff_disable(username: Username) -> None:
    """Disable USERNAME: it can no longer log in, and every session it has open ends at once.
    The account stays (its name is in the audit chain); `staff enable` undoes this."""
    ended = _on_account("disable", username)
    Console(highlight=False).print(f"disabled {username.strip().lower()}; ended {ended} sessions")


@staff.command("enable", short_help="Let a disabled account log in again.")
def staff_enable(username: Username) -> None:
    """Enable USERNAME again after `staff disable`."""
    _on_account("enable", username)
    Console(highlight=False).print(f"enabled {username.strip().lower()}")


sessions = typer.Typer(
    name="sessions", help="Staff sessions.", no_args_is_help=True, rich_markup_mode=None
)
staff.add_typer(sessions)


@sessions.command("end", short_help="End every session of an account now.")
def staff_sessions_end(username: Username) -> None:
    """End every open session of USERNAME now (a lost or shared device); the account can log
    in again with its password and a code."""
    ended = _on_account("end", username)
    Console(highlight=False).print(f"ended {ended} sessions of {username.strip().lower()}")

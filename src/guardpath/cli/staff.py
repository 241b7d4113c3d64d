"""`guardpath staff add USERNAME --role ROLE`: a staff account for the console.

The password is asked for twice, never taken from the command line (where the shell's history
and the process list would keep it). The TOTP secret is printed once, for the authenticator app.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.errors import BadInput
from guardpath.cli.runtime import admin, failing, open_context
from guardpath.services.staff import ACCOUNT_ROLES, StaffError, account_role, add_staff

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

"""`guardpath serve`: the web application, optionally as a demo with invented cases."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from guardpath.bootstrap import bootstrap
from guardpath.cli.runtime import failing, open_context
from guardpath.logs import configure_logging
from guardpath.services.demo_site import DemoLogin, prepare_demo_site
from guardpath.settings import load_settings
from guardpath.web.app import create_app


def serve(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="The port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Development only: migrate, fill an empty database with invented cases, "
            "create one demo staff login per role and print them.",
        ),
    ] = False,
) -> None:
    """Start the web application: the public self-check and applications, the staff console
    at /staff and the API under /api/v1. Start-up stops with a clear message if the keys are
    missing in production or the database is not migrated (`guardpath db upgrade`)."""
    console = Console(highlight=False, soft_wrap=True)
    with failing():
        if demo:
            ctx = bootstrap(load_settings())
            with console.status("preparing the demo: migrations, invented cases, logins"):
                logins = prepare_demo_site(ctx)
        else:
            ctx = open_context()
    app = create_app(ctx=ctx)
    address = f"http://{host}:{port}"
    console.print(f"guardpath is at [bold]{address}[/]  (staff console: {address}/staff)")
    if demo:
        print_logins(console, logins)
    configure_logging(ctx.settings)
    # uvicorn's access log writes full paths, which may carry a reference number: ours
    # (guardpath.web) logs the route's template instead. Its other lines go through ours.
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=None)


def print_logins(console: Console, logins: list[DemoLogin]) -> None:
    console.print(f"demo logins (demo only), each with the password {logins[0].password!r}:")
    for login in logins:
        console.print(
            f"  {login.username:<24} {login.role.value:<18} TOTP secret {login.totp_secret}"
        )
    console.print(
        "Each login asks for a TOTP code: add the secret to an authenticator app, or run "
        "`python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"`."
    )

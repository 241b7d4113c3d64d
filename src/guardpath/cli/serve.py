"""`guardpath serve`: the web application, optionally as a demo with invented cases."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console

from guardpath.bootstrap import bootstrap
from guardpath.cli.runtime import failing, open_context
from guardpath.logs import log_config
from guardpath.services.demo_accounts import refuse_demo_accounts
from guardpath.services.demo_site import DemoLogin, prepare_demo_site
from guardpath.settings import Settings, load_settings
from guardpath.web.app import create_app
from guardpath.web.metrics.registry import shared_between_workers

FACTORY = "guardpath.web.app:create_app_from_environment"
"""What each worker process imports: settings from the environment, like the parent's."""
KEEP_ALIVE_SECONDS = 5
"""An idle kept-alive connection is closed after this long (a proxy in front keeps its own)."""
WORKER_HEALTHCHECK_SECONDS = 30
"""How long a worker may stay silent before uvicorn replaces it. A new worker re-imports the
command line (the law engine and Polars with it) before it answers, which can take more than
uvicorn's default of 5 seconds on a busy machine, and would be killed over and over."""
HEADER_LIMIT = 16 * 1024
"""The most bytes of request line and headers a client may send before the body."""


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
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes. Every piece of state is in the database, so any number "
            "of workers (and hosts) serve the same site; use PostgreSQL for more than one.",
        ),
    ] = 1,
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
            refuse_demo_accounts(ctx)
    address = f"http://{host}:{port}"
    console.print(f"guardpath is at [bold]{address}[/]  (staff console: {address}/staff)")
    if demo:
        print_logins(console, logins)
    options = server_options(ctx.settings)
    if workers == 1:
        uvicorn.run(create_app(ctx=ctx), host=host, port=port, **options)
    else:
        # Each worker builds its own app from the same environment; the parent has already
        # checked the keys and the schema above.
        ctx.engine.dispose()
        with shared_between_workers(ctx.settings.metrics):
            uvicorn.run(FACTORY, factory=True, workers=workers, host=host, port=port, **options)


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options: client addresses from trusted proxies only, bounded headers and
    idle connections, and logs without paths."""
    return {
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise. The app applies
        # GUARDPATH_TRUSTED_PROXIES itself (web/app.py), after its request log has seen which
        # peer sent the request: only a trusted proxy's X-Request-ID is taken.
        "proxy_headers": False,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS,
        "h11_max_incomplete_event_size": HEADER_LIMIT,
        "server_header": False,
        "log_config": log_config(settings),
        # uvicorn's access log writes full paths, which may carry a reference number: ours
        # (guardpath.web) logs the route's template instead.
        "access_log": False,
        "log_level": settings.log_level,
    }


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

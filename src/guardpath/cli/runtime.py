"""What the commands that touch the database share: opening it, the acting admin, progress bars,
and problems of setup or input ending the command with exit status 2 and one line, no traceback."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from guardpath.adapters.migrate import current_revision, head_revision
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.cli.errors import BAD_INPUT, BadInput
from guardpath.services.backup import BackupError
from guardpath.services.demo import DemoError
from guardpath.services.keys import RotationError
from guardpath.settings import Settings, SettingsError, load_settings

PROBLEMS = (BadInput, SettingsError, RotationError, BackupError, DemoError)


def _settings_message(error: ValidationError) -> str:
    first = error.errors()[0]
    name = "GUARDPATH_" + "_".join(str(part) for part in first["loc"]).upper()
    return f"{name}: {first['msg'].removeprefix('Value error, ')}"


@contextmanager
def failing() -> Iterator[None]:
    """Setup and input problems: one line on standard error, exit status 2, nothing changed."""
    try:
        yield
    except PROBLEMS as error:
        _fail(str(error))
    except ValidationError as error:
        _fail(_settings_message(error))


def _fail(message: str) -> None:
    console = Console(stderr=True, highlight=False)
    console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    raise typer.Exit(BAD_INPUT)


def where(settings: Settings) -> str:
    """The database's URL without its password."""
    return make_url(settings.url).render_as_string(hide_password=True)


def revision_of(engine: Engine, settings: Settings) -> str | None:
    try:
        return current_revision(engine)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise BadInput(
            "GUARDPATH_DATABASE_URL", f"cannot open the database {where(settings)}: {reason}"
        ) from None


def open_context() -> Context:
    """Settings, keys and an upgraded database, or a message saying which is missing."""
    ctx = bootstrap(load_settings())
    revision, head = revision_of(ctx.engine, ctx.settings), head_revision()
    if revision != head:
        state = "has no schema yet" if revision is None else f"is at revision {revision}"
        raise BadInput(
            "database",
            f"{where(ctx.settings)} {state}, not {head}: run `guardpath db upgrade` first",
        )
    return ctx


def admin() -> Actor:
    """Commands run by whoever holds the server's keys: an admin, named in the audit chain."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(f"cli:{user}"[:64], Role.ADMIN)


def progress() -> Progress:
    """Rich progress bars on standard error, shown on a terminal only, gone when done."""
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on standard error (a terminal only); yields the callback a service
    reports to."""
    bar = progress()
    task = bar.add_task(label, total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance

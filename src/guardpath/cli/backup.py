"""`guardpath backup FILE` and `guardpath restore FILE`: the whole database, engine-independent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.audit import PROBLEM_FOUND, print_report
from guardpath.cli.runtime import admin, failing, open_context, progress_bar
from guardpath.services.backup import make_backup, restore_backup

FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", help="The backup file (gzip'd JSON lines).")
]


def backup(file: FileArgument) -> None:
    """Write every row of every table to FILE, from one consistent moment: a gzip'd JSON-lines
    file with a header (format, schema revision, law version, time, row counts) that any
    engine can restore.

    Personal data stays sealed in it: FILE reveals no one without the key file, which is not
    in it; keep the key file (retired keys included) to restore. FILE must not exist yet.
    """
    with failing():
        ctx = open_context()
        with progress_bar("backing up") as advance:
            header = make_backup(ctx, admin(), file, on_rows=advance)
    Console(highlight=False).print(
        f"backed up {header.rows:,} rows ({header.tables['cases']:,} cases) to {file} "
        f"({file.stat().st_size:,} bytes), schema revision {header.schema_revision}"
    )


def restore(
    file: FileArgument,
    force: Annotated[
        bool, typer.Option("--force", help="Wipe the target database first if it holds data.")
    ] = False,
) -> None:
    """Load FILE, made by `guardpath backup`, into the configured database, all of it or
    nothing, then verify the audit chain.

    The database must be upgraded (`guardpath db upgrade`) and empty, unless --force, which
    wipes it in the same transaction. The key file must be the one of the database the backup
    came from. A cut-short or altered FILE is refused and nothing changes. Exits 1 if the
    restored audit chain has a problem.
    """
    console = Console(highlight=False)
    with failing():
        ctx = open_context()
        with progress_bar("restoring") as advance:
            restored = restore_backup(ctx, file, force=force, on_rows=advance)
    header = restored.header
    console.print(
        f"restored {restored.rows:,} rows ({header.tables['cases']:,} cases) from {file}, made "
        f"{header.created_at} on {header.engine}, law version {header.law_version}"
    )
    print_report(console, restored.report)
    if not restored.report.ok:
        raise typer.Exit(PROBLEM_FOUND)

"""`guardpath import FILE` and `guardpath export FILE`: a unit's roster of service members."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    TaskID,
)
from rich.table import Table
from rich.text import Text

from guardpath.cli.errors import BAD_INPUT, BadInput
from guardpath.cli.runtime import admin, failing, open_context, progress
from guardpath.services.roster import (
    Imported,
    Problem,
    RosterError,
    export_roster,
    import_roster,
)

SHOWN = 200
"""Problems printed in the table; --report writes them all."""

RosterFile = Annotated[
    Path, typer.Argument(metavar="FILE", help="The roster: a .csv (UTF-8) or .xlsx file.")
]


@contextmanager
def phases() -> Iterator[Callable[[str, int, int], None]]:
    """One Rich progress bar per phase (checking rows, importing), on standard error."""
    bar = progress()
    tasks: dict[str, TaskID] = {}

    def advance(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    with bar:
        yield advance


def import_file(
    file: RosterFile,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Import the good rows and report the bad ones."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(metavar="CSV", help="Also write every problem to this CSV file."),
    ] = None,
) -> None:
    """Import a unit's roster of service members (columns: docs/roster.md).

    Every row is checked first: dates (real calendar days, none in the future), country codes,
    formation, rank group, contract and service dates, and passports already in the file or
    the database. If any row is bad, nothing is imported: the problems are printed by row and
    column and the command exits 2. With --skip-bad the good rows are imported and the bad
    ones printed (exit 0), unless the file as a whole is wrong (its encoding, its columns).

    Each member becomes a case in probation, in service or discharged, with the person
    encrypted, the contract, the service period, and history and audit entries, in one
    transaction.
    """
    console = Console(highlight=False)
    with failing():
        if report is not None and report.exists():
            raise BadInput("--report", f"{str(report)!r} already exists; name a new file")
        ctx = open_context()
        with phases() as advance:
            try:
                result = import_roster(ctx, admin(), file, skip_bad=skip_bad, on_progress=advance)
            except RosterError as error:
                raise BadInput("FILE", str(error)) from None
    if result.problems:
        print_problems(console, result.problems)
        if report is not None:
            write_report(report, result.problems)
    if result.refused:
        _refuse(file, result)
    print_imported(console, file, result)


def _refuse(file: Path, result: Imported) -> None:
    problems = len(result.problems)
    whole = any(p.whole_file for p in result.problems)
    why = "the file cannot be used" if whole else f"{result.bad_rows:,} bad rows"
    hint = "" if whole else "; fix them, or import the good rows with --skip-bad"
    message = f"{file.name}: {problems:,} problems ({why}); nothing was imported{hint}"
    Console(stderr=True, highlight=False).print(
        Text.assemble(("error: ", "bold red"), message), soft_wrap=True
    )
    raise typer.Exit(BAD_INPUT)


def print_problems(console: Console, problems: list[Problem]) -> None:
    table = Table("row", "column", "problem", title="problems in the roster")
    for problem in problems[:SHOWN]:
        row = "file" if problem.row is None else str(problem.row)
        table.add_row(row, problem.column or "", problem.message)
    console.print(table)
    if len(problems) > SHOWN:
        console.print(f"… and {len(problems) - SHOWN:,} more problems (--report CSV lists all)")


def write_report(path: Path, problems: list[Problem]) -> None:
    with path.open("x", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("row", "column", "problem"))
        writer.writerows((p.row or "", p.column or "", p.message) for p in problems)


def print_imported(console: Console, file: Path, result: Imported) -> None:
    states = ", ".join(f"{n:,} {state}" for state, n in sorted(result.states.items()))
    skipped = f"; skipped {result.bad_rows:,} bad rows" if result.problems else ""
    console.print(
        f"imported {result.imported:,} members from {file.name} ({states or 'none'}){skipped}; "
        f"checked in {result.checking_seconds:.1f} s, wrote in {result.importing_seconds:.1f} s"
    )


def export_file(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A new .csv or .xlsx file to write.")
    ],
) -> None:
    """Export the roster of every member in probation, in service or discharged, with the
    same columns as `guardpath import` reads (docs/roster.md), so it imports cleanly into an
    empty database.

    FILE holds personal data in clear: it is created readable by its owner only, and the
    export is recorded in the audit chain. FILE must not exist yet.
    """
    with failing():
        ctx = open_context()
        try:
            count = export_roster(ctx, admin(), file)
        except RosterError as error:
            raise BadInput("FILE", str(error)) from None
    Console(highlight=False).print(f"exported {count:,} members to {file}")

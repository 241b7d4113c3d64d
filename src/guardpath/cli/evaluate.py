"""`guardpath evaluate PEOPLE`: one question for a whole table of people, into Parquet."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from guardpath.cli.errors import BadInput, reported
from guardpath.cli.io import parse_on, parse_question
from guardpath.cli.options import OnOption, QuestionOption
from guardpath.cli.render import OUTCOME_STYLES
from guardpath.services.population import BatchSummary, evaluate_table

TABLE_SUFFIXES = (".parquet", ".csv")
PARQUET_MAGIC = b"PAR1"
ZIP_MAGIC = b"PK\x03\x04"
READ_CHUNK = 1 << 20


def _paths(people: Path, out: Path | None) -> Path:
    if not people.is_file():
        raise BadInput(
            "PEOPLE", f"no file {str(people)!r}; expected a .parquet or .csv file of people"
        )
    if people.suffix.lower() not in TABLE_SUFFIXES:
        raise BadInput("PEOPLE", f"{people.name!r}: expected a .parquet or .csv file of people")
    _readable(people)
    if out is None:
        raise BadInput("--out", "is required; expected the path of a .parquet file to write")
    if out.suffix.lower() != ".parquet":
        raise BadInput("--out", f"{out.name!r}: expected a path ending in .parquet")
    return out


def _readable(people: Path) -> None:
    """The file holds what its name says: Parquet, or CSV text in UTF-8 (not a workbook, not
    another encoding), so that reading it fails with a message rather than a traceback."""
    with people.open("rb") as handle:
        head = handle.read(len(PARQUET_MAGIC))
        if people.suffix.lower() == ".parquet":
            handle.seek(max(0, people.stat().st_size - len(PARQUET_MAGIC)))
            if head != PARQUET_MAGIC or handle.read() != PARQUET_MAGIC:
                raise BadInput(
                    "PEOPLE", f"{people.name!r} is not a Parquet file (no PAR1 header and footer)"
                )
            return
        if head in (PARQUET_MAGIC, ZIP_MAGIC):
            found = "a Parquet file" if head == PARQUET_MAGIC else "a zip file (a workbook?)"
            raise BadInput("PEOPLE", f"{people.name!r} is {found}; expected CSV text in UTF-8")
        handle.seek(0)
        _utf8(people.name, handle)


def _utf8(name: str, handle: BinaryIO) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        while chunk := handle.read(READ_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        where = offset + error.start
        raise BadInput(
            "PEOPLE", f"{name!r} is not UTF-8 (near byte {where:,}); save it as CSV UTF-8"
        ) from None


def summary_table(summary: BatchSummary) -> Table:
    table = Table(
        title=f"{summary.question.capitalize()} on {summary.on}",
        title_justify="left",
        title_style="bold",
    )
    table.add_column("outcome")
    table.add_column("people", justify="right")
    table.add_column("share", justify="right")
    for outcome, style in OUTCOME_STYLES.items():
        count = summary.outcomes.get(outcome, 0)
        share = f"{count / summary.rows:.1%}" if summary.rows else "–"
        table.add_row(Text(outcome, style=style), f"{count:,}", share)
    table.add_row(Text("total", style="bold"), f"{summary.rows:,}", "")
    return table


def evaluate(
    people: Annotated[
        Path,
        typer.Argument(
            metavar="PEOPLE",
            help="A .parquet or .csv file of people (the facts contract as columns).",
        ),
    ],
    question: QuestionOption = None,
    on: OnOption = None,
    out: Annotated[
        Path | None,
        typer.Option(metavar="OUT.parquet", help="Where to write the results (required)."),
    ] = None,
) -> None:
    """Answer one question for every person in PEOPLE and write OUT.parquet.

    OUT has the id (if PEOPLE has one), the outcome, the missing facts and a status column per
    rule. A value that breaks the facts contract stops the run with its row and column.
    """
    with reported():
        asked = parse_question(question, "--question")
        day = parse_on(on)
        target = _paths(people, out)
        progress = Progress(
            TextColumn("[bold]evaluating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        with progress:
            task = progress.add_task("evaluate", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = evaluate_table(people, asked, day, target, advance)
    console = Console()
    console.print(summary_table(summary))
    console.print(Text(f"wrote {target} (law version {summary.law_version})", style="dim"))

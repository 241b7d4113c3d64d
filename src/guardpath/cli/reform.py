"""`guardpath reform DRAFT`: whom a draft amendment would change, and how, over a table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from guardpath.cli.errors import BadInput, reported
from guardpath.cli.options import OnOption, QuestionOption

TABLE_SUFFIXES = (".parquet", ".csv")


def read_draft(source: Path) -> Any:
    """The draft applied to the law in force, or BadInput naming the file, change and problem."""
    from guardpath.law.draft import DraftError, load_draft
    from guardpath.law.loader import default_legislation

    try:
        return load_draft(source, default_legislation())
    except DraftError as error:
        raise BadInput("DRAFT", str(error)) from None


def _people(people: Path | None) -> Path:
    from guardpath.cli.evaluate import _readable

    if people is None:
        raise BadInput("--people", "is required; expected a .parquet or .csv file of people")
    if not people.is_file() or people.suffix.lower() not in TABLE_SUFFIXES:
        raise BadInput("--people", f"no .parquet or .csv file {str(people)!r}")
    _readable(people)
    return people


def _out(out: Path | None) -> Path | None:
    if out is not None and out.suffix.lower() != ".parquet":
        raise BadInput("--out", f"{out.name!r}: expected a path ending in .parquet")
    return out


def reform(
    draft: Annotated[
        Path, typer.Argument(metavar="DRAFT", help="A draft amendment (YAML, see docs/what-if.md).")
    ],
    question: QuestionOption = None,
    on: OnOption = None,
    people: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="A .parquet or .csv file of people (required)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the impact as JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="OUT.parquet",
            help="Write each person's two outcomes and the rules whose status changed.",
        ),
    ] = None,
) -> None:
    """Answer QUESTION for every person in FILE under the law and under DRAFT, and compare.

    Prints the people, how many changed outcome, the transitions between outcomes, for each
    rule how many people its status changed for, and the changed people by citizenship, age
    band, sex and formation (small counts suppressed as in the statistics). A draft that does
    not load exits 2 naming the file, the change and the problem.
    """
    from guardpath.cli.check import print_json
    from guardpath.cli.io import parse_on, parse_question
    from guardpath.cli.runtime import progress_bar
    from guardpath.services.population import reform_table

    with reported():
        asked = parse_question(question, "--question")
        day = parse_on(on)
        source = _people(people)
        target = _out(out)
        applied = read_draft(draft)
        with progress_bar("comparing") as advance:
            report = reform_table(source, asked, day, applied, target, advance)
    if as_json:
        print_json(report)
        return
    from rich.console import Console

    from guardpath.cli.reform_view import print_impact

    print_impact(Console(), applied, report, target)

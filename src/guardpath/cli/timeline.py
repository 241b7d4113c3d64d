"""`guardpath timeline FACTS --question Q`: when the answer changes for one person, since 2014."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.check import print_json
from guardpath.cli.errors import reported
from guardpath.cli.io import parse_language, parse_question, read_facts
from guardpath.cli.reform import read_draft
from guardpath.cli.render import print_timeline
from guardpath.law.loader import default_legislation
from guardpath.services.checks import periods


def timeline(
    facts: Annotated[
        str,
        typer.Argument(
            metavar="FACTS",
            help="A JSON file of the person's facts, or - to read them from standard input.",
        ),
    ],
    question: Annotated[
        str | None,
        typer.Option(
            "--question", "-q", metavar="enlistment|citizenship", help="The question (required)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"periods": [...]} as JSON.')
    ] = False,
    lang: Annotated[
        str, typer.Option(metavar="en|uk", help="The language of labels and headings.")
    ] = "en",
    draft: Annotated[
        Path | None,
        typer.Option(
            metavar="DRAFT", help="A draft amendment (YAML): show the timeline under it too."
        ),
    ] = None,
) -> None:
    """List the periods since 2014 in which the answer stays the same, and why it changes.

    Law changes, birthdays that cross an age limit, a stay ending and service anniversaries
    all move the answer; the last period is open-ended.
    """
    with reported():
        asked = parse_question(question, "--question")
        language = parse_language(lang)
        person = read_facts(facts)
        amended = None if draft is None else read_draft(draft)
    if amended is not None:
        both = {
            name: {"periods": [p.as_json() for p in periods(legislation, asked, person)]}
            for name, legislation in (("law", amended.law), ("draft", amended.legislation))
        }
        if as_json:
            print_json({**both, "draft_version": amended.version})
        else:
            from guardpath.cli.draft_view import print_timelines

            print_timelines(Console(), amended.title, both)
        return
    legislation = default_legislation()
    found = [period.as_json() for period in periods(legislation, asked, person)]
    if as_json:
        print_json({"periods": found})
    else:
        print_timeline(Console(), asked, found, legislation, language)

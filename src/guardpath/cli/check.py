"""`guardpath check QUESTION FACTS`: may this person enlist, may this serviceman be a citizen."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from guardpath.cli.errors import reported
from guardpath.cli.io import parse_language, parse_on, parse_question, read_facts
from guardpath.cli.reform import read_draft
from guardpath.cli.render import print_answer
from guardpath.law.facts import Facts, check_born_by
from guardpath.law.loader import default_legislation
from guardpath.services.checks import check as answer_of


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def check(
    question: Annotated[
        str,
        typer.Argument(metavar="QUESTION", help="enlistment or citizenship.", show_default=False),
    ],
    facts: Annotated[
        str,
        typer.Argument(
            metavar="FACTS",
            help="A JSON file of the person's facts, or - to read them from standard input.",
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The date to answer for, YYYY-MM-DD (2015 or later). Default: today.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON (contract version 1).")
    ] = False,
    lang: Annotated[
        str, typer.Option(metavar="en|uk", help="The language of labels and headings.")
    ] = "en",
    draft: Annotated[
        Path | None,
        typer.Option(
            metavar="DRAFT",
            help="A draft amendment (YAML): show the answer under it beside the law's.",
        ),
    ] = None,
) -> None:
    """Answer QUESTION for the person in FACTS on a date, with the reasons and their citations.

    Exits 0 with any outcome (eligible, ineligible, undetermined), 2 on bad input.
    """
    with reported():
        asked = parse_question(question, "QUESTION")
        language = parse_language(lang)
        day = parse_on(on)
        person = read_facts(facts)
        check_born_by(person, day)
        amended = None if draft is None else read_draft(draft)
    if amended is not None:
        _check_draft(amended, asked, person, day, language, as_json)
        return
    legislation = default_legislation()
    result = answer_of(legislation, asked, person, day, language).answer.as_json()
    if as_json:
        print_json(result)
    else:
        print_answer(Console(), result, legislation, language)


def _check_draft(
    amended: Any, question: str, person: Facts, day: date, language: str, as_json: bool
) -> None:
    from guardpath.cli.draft_view import compared, print_side_by_side

    law = answer_of(amended.law, question, person, day, language).answer.as_json()
    under_draft = answer_of(amended.legislation, question, person, day, language).answer.as_json()
    both = {
        "law": law,
        "draft": under_draft,
        "draft_version": amended.version,
        "changed_rules": compared(law, under_draft),
    }
    if as_json:
        print_json(both)
    else:
        print_side_by_side(Console(), amended.title, both)

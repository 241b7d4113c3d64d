"""`guardpath law [NAME]`: the law as guardpath holds it, with citations and open questions;
`guardpath law changes [--since DATE]`: what changed and when."""

from __future__ import annotations

import difflib
import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from guardpath.cli.errors import BadInput, reported
from guardpath.cli.io import parse_language, parse_on
from guardpath.cli.law_changes import print_changes
from guardpath.cli.law_item import print_item
from guardpath.cli.lawview import print_listing
from guardpath.law.changes import changes
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation

CHANGES = "changes"


def _unknown(legislation: Legislation, name: str) -> BadInput:
    known = [
        *legislation.rules,
        *legislation.parameters,
        *legislation.obligations,
        *legislation.open_questions,
    ]
    close = difflib.get_close_matches(name, known, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return BadInput(
        "NAME",
        f"{name!r} is not a rule, parameter, obligation or open question; {hint}"
        "`guardpath law` lists them all",
    )


def law(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME",
            help="A rule, parameter, obligation or open question, e.g. enlistment.common.age.max.",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="In the listing, show parameter values on DATE. Default: today."
        ),
    ] = None,
    lang: Annotated[str, typer.Option(metavar="en|uk", help="The language of labels.")] = "en",
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="With `changes`: only the changes on or after DATE (YYYY-MM-DD)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With `changes`: print them as JSON.")
    ] = False,
) -> None:
    """List the rules, parameters and obligations with their citations, then the open questions.

    With NAME, show that one in full: a rule with its condition, exceptions and sources; a
    parameter with the history of its dated values. Each citation is marked verified or
    unverified. `guardpath law changes [--since DATE]` lists, by date, every provision that
    starts or ends, with its citations.
    """
    legislation = default_legislation()
    console = Console()
    with reported():
        language = parse_language(lang)
        if name != CHANGES and (since is not None or as_json):
            option = "--since" if since is not None else "--json"
            raise BadInput(option, f"goes with `guardpath law {CHANGES}` only")
        if name == CHANGES:
            first = None if since is None else parse_on(since, "--since")
            found = changes(legislation, first)
            if as_json:
                out = {"changes": [c.as_json(language) for c in found]}
                typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            else:
                print_changes(console, found, language, first, legislation)
            return
        day: date = parse_on(on)
        if name is None:
            print_listing(console, legislation, language, day)
        elif not print_item(console, legislation, name, language):
            raise _unknown(legislation, name)

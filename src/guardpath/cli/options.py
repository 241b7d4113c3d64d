"""Options that several commands take in the same words."""

from __future__ import annotations

from typing import Annotated

import typer

QuestionOption = Annotated[
    str | None,
    typer.Option(
        "--question", "-q", metavar="enlistment|citizenship", help="The question (required)."
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(metavar="DATE", help="The date to answer for, YYYY-MM-DD. Default: today."),
]

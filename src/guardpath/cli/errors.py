"""Bad input ends a command with exit status 2 and one line on standard error, no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.text import Text

from guardpath.law.facts import FactError, TableError

BAD_INPUT = 2


class BadInput(ValueError):
    """Input the command cannot use; `field` names the argument, option or fact."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@contextmanager
def reported() -> Iterator[None]:
    """Turn bad input into a message on standard error and exit status 2."""
    try:
        yield
    except (BadInput, FactError, TableError) as error:
        console = Console(stderr=True, highlight=False)
        console.print(Text.assemble(("error: ", "bold red"), str(error)), soft_wrap=True)
        raise typer.Exit(BAD_INPUT) from None

"""The Rich view of what changed in the law and when (`guardpath law --changes`)."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.text import Text

from guardpath.cli.lawview import (
    citation_texts,
)
from guardpath.cli.render import value_text
from guardpath.law.changes import Change
from guardpath.law.model import (
    Legislation,
)
from guardpath.words import CHANGE_WORDS, CLI, said


def print_changes(
    console: Console,
    found: list[Change],
    language: str,
    since: date | None,
    legislation: Legislation | None = None,
) -> None:
    """By date, every provision that starts or ends, with its citations. English output names
    each provision's handle and open question; Ukrainian output says the question instead."""
    w = said(CHANGE_WORDS, language, CLI)
    title = w["title"] + (f" ({w['since']} {since})" if since else "")
    console.print(Text(title, style="bold"))
    day: date | None = None
    for change in found:
        if change.day != day:
            day = change.day
            console.print()
            console.print(Text(day.isoformat(), style="bold"))
        line = Text.assemble(
            "  ",
            (w[change.event], "green" if change.event == "starts" else "red"),
            "  ",
            (change.label.get(language), "bold"),
        )
        if language == "en":
            line.append(f"  ({change.name})")
        if change.kind == "parameter":
            value = value_text(change.value, language) if change.value is not None else "?"
            line.append(f" = {value}")
        if change.open_question:
            line.append(
                f"  ? {_question(change.open_question, language, legislation)}", style="yellow"
            )
        console.print(line)
        for citation in citation_texts(change.citations, False, language):
            console.print(Text("    ").append_text(citation))


def _question(question_id: str, language: str, legislation: Legislation | None) -> str:
    found = legislation.open_questions.get(question_id) if legislation is not None else None
    if language == "en" or found is None:
        return question_id
    return found.question.get(language)

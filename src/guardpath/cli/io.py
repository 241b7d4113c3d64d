"""Reading what the user gives: a facts file (or standard input), a date, a question."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from guardpath.cli.errors import BadInput
from guardpath.law.compiled import QUESTIONS
from guardpath.law.dates import parse_date
from guardpath.law.facts import Facts, parse_facts
from guardpath.law.timeline import EPOCH

LANGUAGES = ("en", "uk")
STDIN = "-"


def _read_text(source: str) -> str:
    if source == STDIN:
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(
            "FACTS", f"no file {source!r}; expected a JSON file of facts, or - for standard input"
        ) from None
    except IsADirectoryError:
        raise BadInput("FACTS", f"{source!r} is a folder; expected a JSON file of facts") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(
            "FACTS", f"cannot read {source!r} ({error}); expected a UTF-8 JSON file"
        ) from None


def read_facts(source: str) -> Facts:
    """The validated facts in a JSON file, or on standard input when `source` is '-'."""
    text = _read_text(source)
    name = "standard input" if source == STDIN else repr(source)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise BadInput(
            "FACTS",
            f"{name} is not valid JSON ({error.msg} at {where}); expected a JSON object of facts",
        ) from None
    return parse_facts(raw)


def parse_on(text: str | None, option: str = "--on") -> date:
    """The date asked about: today when not given, and not before 2014."""
    if text is None:
        return date.today()
    try:
        on = parse_date(text)
    except ValueError as error:
        raise BadInput(option, str(error)) from None
    if on < EPOCH:
        raise BadInput(
            option, f"{on} is before {EPOCH}; guardpath answers for dates from {EPOCH} on"
        )
    return on


def parse_question(text: str | None, field: str) -> str:
    accepted = "expected one of " + ", ".join(QUESTIONS)
    if text is None:
        raise BadInput(field, f"is required; {accepted}")
    if text not in QUESTIONS:
        raise BadInput(field, f"{text!r} is not a question guardpath answers; {accepted}")
    return text


def parse_language(text: str) -> str:
    if text not in LANGUAGES:
        raise BadInput(
            "--lang", f"{text!r} is not accepted; expected one of {', '.join(LANGUAGES)}"
        )
    return text

"""The answer's JSON, typed: what `Answer.as_json` returns, reason by reason.

The explanation tree is built as plain dicts (generated code, law/codegen.py), so its shape is
written as TypedDicts: they cost nothing at run time, mypy checks what builds them, and pydantic
describes them, so the API's response schema is derived from these and declared nowhere else.
Dates travel as text (YYYY-MM-DD) and are described as dates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field, WithJsonSchema
from typing_extensions import TypedDict

IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
"""A date as the contract writes it, YYYY-MM-DD."""

Status = Literal["met", "not_met", "unknown", "not_applicable"]
Question = Literal["enlistment", "citizenship"]
Outcome = Literal["eligible", "ineligible", "undetermined"]


class Citation(TypedDict):
    """A provision of an act that a rule, parameter or obligation rests on."""

    title: str
    act: str
    act_id: str
    provision: str
    href: str
    verified: bool


class ParameterUse(TypedDict):
    """A parameter's value as used on the date, with the citations of that dated value."""

    value: Any
    since: IsoDate | None
    verified: bool
    citations: list[Citation]


class ExceptionStatus(TypedDict):
    """One exception of a rule: whether it applies, and what it then makes of the rule."""

    name: str
    status: str
    then: Any


class Reason(TypedDict):
    """One rule of the explanation tree: its status, the facts and parameters it used, its
    citations, and the rules under it."""

    rule: str
    label: str
    status: Status
    verified: bool
    citations: list[Citation]
    facts: dict[str, Any]
    parameters: dict[str, ParameterUse]
    children: list[Reason]
    exceptions: NotRequired[list[ExceptionStatus]]


class Obligation(TypedDict):
    """What travels with a citizenship route (an oath, a renunciation)."""

    name: str
    label: str
    description: str
    citations: list[Citation]


PENDING = (
    "The missing facts that the recruitment process establishes after an application "
    "(medical board, psychological and physical tests, special check)."
)


class AnswerJson(TypedDict):
    """An answer in the contract's JSON (design.md, facts contract v1 and 1.1)."""

    question: Question
    on: IsoDate
    outcome: Outcome
    missing: list[str]
    pending: Annotated[list[str], Field(description=PENDING)]
    law_version: str
    reasons: list[Reason]
    open_questions: list[str]
    route: NotRequired[str | None]
    earliest_date: NotRequired[IsoDate | None]
    obligations: NotRequired[list[Obligation]]

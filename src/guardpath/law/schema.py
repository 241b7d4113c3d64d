"""The strict schema of legislation files. An unknown key is an error naming the file and key."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    en: str
    uk: str


Prose = str | Label
"""A description or question: English only, or {en, uk}."""


class CitationFile(Strict):
    act: str
    provision: str
    href: str
    verified: StrictBool


class Period(Strict):
    from_: date = Field(alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.to is not None and self.to < self.from_:
            raise ValueError(f"period ends ({self.to}) before it begins ({self.from_})")
        return self


ParameterValue = bool | int | str | list[str] | None


class DatedValue(Strict):
    value: ParameterValue
    citations: list[CitationFile] = Field(min_length=1)
    open_question: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _unknown_needs_question(self) -> DatedValue:
        if self.value is None and self.open_question is None:
            raise ValueError("a null (unknown) value must name its open_question")
        return self


class ParameterFile(Strict):
    kind: Literal["parameter"]
    label: Label
    description: Prose
    unit: Literal["year", "month", "boolean", "list", "code"]
    values: dict[date, DatedValue] = Field(min_length=1)


class ExceptionFile(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Label
    citations: list[CitationFile] = Field(min_length=1)
    period: Period | None = None
    when: str
    then: StrictBool | None
    open_question: str | None = None

    @model_validator(mode="after")
    def _unknown_needs_question(self) -> ExceptionFile:
        if self.then is None and self.open_question is None:
            raise ValueError("an exception with an unknown consequence must name its open_question")
        return self


class RuleFile(Strict):
    kind: Literal["rule"]
    label: Label
    description: Prose | None = None
    citations: list[CitationFile] = Field(min_length=1)
    period: Period | None = None
    when: str | None = None
    condition: str | None = None
    all: list[str] | None = None
    any: list[str] | None = None
    exceptions: list[ExceptionFile] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_body(self) -> RuleFile:
        bodies = [b for b in (self.condition, self.all, self.any) if b is not None]
        if len(bodies) != 1:
            raise ValueError("a rule has exactly one of condition, all, any")
        return self


class ObligationFile(Strict):
    kind: Literal["obligation"]
    label: Label
    description: Prose
    citations: list[CitationFile] = Field(min_length=1)
    period: Period
    when: str | None = None


class OpenQuestionEntry(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: Prose
    affects: list[str]
    source: str


class OpenQuestionsFile(Strict):
    kind: Literal["open_questions"]
    questions: list[OpenQuestionEntry]


class PendingFactsFile(Strict):
    """The facts the recruitment process itself establishes after an application."""

    kind: Literal["pending_facts"]
    label: Label
    description: Prose
    facts: list[str] = Field(min_length=1)


LegislationFile = ParameterFile | RuleFile | ObligationFile | OpenQuestionsFile | PendingFactsFile

FILE_KINDS: dict[str, type[Strict]] = {
    "parameter": ParameterFile,
    "rule": RuleFile,
    "obligation": ObligationFile,
    "open_questions": OpenQuestionsFile,
    "pending_facts": PendingFactsFile,
}

"""The strict schema of legislation files. An unknown key is an error naming the file and key."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    """A text in English and Ukrainian; a file lacking either is refused."""

    en: str = Field(min_length=1)
    uk: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _both_languages(cls, data: Any) -> Any:
        if isinstance(data, str):
            raise ValueError("needs its text in English and Ukrainian: write {en: ..., uk: ...}")
        if isinstance(data, dict) and "uk" not in data:
            raise ValueError("has no Ukrainian text: add 'uk' beside 'en'")
        if isinstance(data, dict) and "en" not in data:
            raise ValueError("has no English text: add 'en' beside 'uk'")
        return data


ACT_ID = r"^[a-z][a-z0-9_]*$"


class CitationFile(Strict):
    act: str = Field(pattern=ACT_ID)
    amended_by: str | None = Field(default=None, pattern=ACT_ID)
    provision: Label
    href: str
    verified: StrictBool


class ActEntry(Strict):
    """An act, named once: its title in English and its official title in Ukrainian, and the
    phrase that names it when it amends another act."""

    title: Label
    amending: Label | None = None


class ActsFile(Strict):
    kind: Literal["acts"]
    acts: dict[str, ActEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> ActsFile:
        for key in self.acts:
            if not re.match(ACT_ID, key):
                raise ValueError(f"act id {key!r} is not lower_case_with_underscores")
        return self


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
    description: Label
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
    description: Label | None = None
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
    description: Label
    citations: list[CitationFile] = Field(min_length=1)
    period: Period
    when: str | None = None


class OpenQuestionEntry(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: Label
    affects: list[str]
    source: str


class OpenQuestionsFile(Strict):
    kind: Literal["open_questions"]
    questions: list[OpenQuestionEntry]


class PendingFactsFile(Strict):
    """The facts the recruitment process itself establishes after an application."""

    kind: Literal["pending_facts"]
    label: Label
    description: Label
    facts: list[str] = Field(min_length=1)


LegislationFile = (
    ParameterFile | RuleFile | ObligationFile | OpenQuestionsFile | PendingFactsFile | ActsFile
)

FILE_KINDS: dict[str, type[Strict]] = {
    "parameter": ParameterFile,
    "rule": RuleFile,
    "obligation": ObligationFile,
    "open_questions": OpenQuestionsFile,
    "acts": ActsFile,
    "pending_facts": PendingFactsFile,
}

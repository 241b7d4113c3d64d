"""The draft file's schema (pydantic), its error, and the names its parts share."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import Field, ValidationError, model_validator

from guardpath.law import schema
from guardpath.law.checks import LegislationError
from guardpath.law.text import Text

SOURCE_ACT = "draft"
LAW_PART = "law"
DRAFT_PART = "draft"
BODY_KEYS = ("condition", "all", "any")
UNIT_VALUES: dict[str, str] = {
    "year": "a whole number",
    "month": "a whole number",
    "boolean": "true or false",
    "list": "a list of texts",
    "code": "a text",
}


class DraftError(ValueError):
    """A draft that cannot be applied: the file, the change and the problem."""

    def __init__(self, path: str, change: str | None, message: str) -> None:
        super().__init__(f"{path}: {change}: {message}" if change else f"{path}: {message}")
        self.path = path
        self.change = change


# -- the file ------------------------------------------------------------------------------------
class Source(schema.Strict):
    """The bill or reading the draft writes: its own title, not an act of the registry."""

    title: schema.Label
    href: str
    provision: schema.Label | None = None


class DraftFile(schema.Strict):
    title: str = Field(min_length=1)
    source: Source
    acts: dict[str, schema.ActEntry] = Field(default_factory=dict)
    changes: list[dict[str, Any]]

    @model_validator(mode="after")
    def _act_ids(self) -> DraftFile:
        for key in self.acts:
            if not re.match(schema.ACT_ID, key):
                raise ValueError(f"act id {key!r} is not lower_case_with_underscores")
            if key == SOURCE_ACT:
                raise ValueError(f"act id {key!r} is the draft's source; choose another id")
        return self


class DraftValue(schema.Strict):
    value: schema.ParameterValue
    citations: list[schema.CitationFile] | None = None
    open_question: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _unknown_needs_question(self) -> DraftValue:
        if self.value is None and self.open_question is None:
            raise ValueError("a null (unknown) value must name its open_question")
        return self


class ParameterChange(schema.Strict):
    parameter: str
    values: dict[date, DraftValue] = Field(min_length=1)


class RuleChange(schema.Strict):
    rule: str
    from_: date | None = Field(default=None, alias="from")
    replace: dict[str, Any] | None = None
    period: schema.Period | None = None
    repeal: date | None = None
    add: dict[str, Any] | None = None
    under: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> RuleChange:
        kinds = [k for k in ("replace", "period", "repeal", "add") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a rule change has exactly one of replace, period, repeal, add")
        if (self.add is None) != (self.under is None):
            raise ValueError("'under' (the parent rule) goes with 'add', and only with it")
        if self.from_ is not None and kinds[0] not in ("replace", "add"):
            raise ValueError("'from' goes with replace or add; period and repeal carry dates")
        return self


class SettleChange(schema.Strict):
    settle: str
    value: schema.ParameterValue = None
    citations: list[schema.CitationFile] | None = None


CHANGE_KINDS: dict[str, type[schema.Strict]] = {
    "parameter": ParameterChange,
    "rule": RuleChange,
    "settle": SettleChange,
}


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown key {first['loc'][-1]!r}"
    if first["type"] == "missing":
        inside = ".".join(str(part) for part in first["loc"][:-1])
        return f"missing key {first['loc'][-1]!r}" + (f" (at {inside})" if inside else "")
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{message} (at {where})" if where else message


def _text(label: schema.Label) -> Text:
    return Text(label.en, label.uk)


def _optional(label: schema.Label | None) -> Text | None:
    return None if label is None else _text(label)


def _message(error: LegislationError) -> str:
    return str(error).removeprefix(f"{error.path}: ")

"""The staff's step forms as pydantic models: each field checked once, and a field the step
cannot use refused with a message that names it ("awarded: expected one of yes, no").

A text is refused, not cut short, over MAX_TEXT characters or with hidden characters (line
breaks are fine); a typed date goes through the one date parser (law.dates.parse_date).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ValidationError
from starlette.datastructures import FormData

from guardpath.cases.model import CitizenshipState
from guardpath.law.dates import parse_date
from guardpath.law.facts import MEDICAL, PASSED, RANK_GROUPS, STAY_BASES
from guardpath.services.applications import HIDDEN, hidden_characters

MAX_TEXT = 2000
"""As the forms' maxlength."""
LINE_BREAKS = str.maketrans("", "", "\r\n\t")
YES_NO = ("yes", "no")


class BadForm(ValueError):
    """A field the step cannot use; the message names it."""


def _text(value: object) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_TEXT:
        raise ValueError(f"{len(text):,} characters; at most {MAX_TEXT:,}")
    if hidden_characters(text.translate(LINE_BREAKS)):
        raise ValueError(f"{HIDDEN} (line breaks are fine)")
    return text or None


def _field(parse: Callable[[str | None], Any]) -> BeforeValidator:
    """A form field: its text checked (`_text`), then `parse`d."""
    return BeforeValidator(lambda value: parse(_text(value)))


def _one_of(accepted: tuple[str, ...], required: bool = True) -> Callable[[str | None], Any]:
    def check(value: str | None) -> str | None:
        if value is None and not required:
            return None
        if value is None or value not in accepted:
            raise ValueError(f"expected one of {', '.join(accepted)}")
        return value

    return check


def _yes_no(required: bool) -> Callable[[str | None], bool | None]:
    def check(value: str | None) -> bool | None:
        answer = _one_of(YES_NO, required)(value)
        return None if answer is None else answer == "yes"

    return check


def _day(value: str | None) -> date | None:
    return parse_date(value) if value else None


def _years(value: str | None) -> int | None:
    if value is not None and not value.isdigit():
        raise ValueError("expected a whole number of years")
    return int(value) if value else None


def _version(value: str | None) -> int:
    if value is None or not value.isdigit():
        raise ValueError("the form lost the case's version; reload the case")
    return int(value)


def _reason(value: str | None) -> str:
    if value is None:
        raise ValueError("a rejection needs its reason")
    return value


Text = Annotated[str | None, _field(lambda text: text)]
"""A field's text, or None if empty."""
Day = Annotated[date | None, _field(_day)]
YesNo = Annotated[bool | None, _field(_yes_no(False))]
YesOrNo = Annotated[bool, _field(_yes_no(True))]


class Reasoned(BaseModel):
    """A step with only a reason, if any."""

    reason: Text


class Versioned(BaseModel):
    version: Annotated[int, _field(_version)]


class DocumentCheck(BaseModel):
    passed: YesOrNo
    previously_convicted: YesNo
    stay_basis: Annotated[str | None, _field(_one_of(STAY_BASES, False))]
    stay_valid_until: Day
    reason: Text


class PassedResult(BaseModel):
    result: Annotated[str, _field(_one_of(PASSED))]
    reason: Text


class MedicalResult(BaseModel):
    result: Annotated[str, _field(_one_of(MEDICAL))]
    reason: Text


class Approval(BaseModel):
    rank_group: Annotated[str, _field(_one_of(RANK_GROUPS))]
    female_post_vacant: YesNo
    reason: Text


class Rejection(BaseModel):
    reason: Annotated[str, _field(_reason)]


class Signing(BaseModel):
    years: Annotated[int | None, _field(_years)]


DECISIONS = tuple(s.value for s in CitizenshipState)


class CitizenshipDecision(BaseModel):
    to: Annotated[str, _field(_one_of(DECISIONS))]
    reason: Text


class StateAward(BaseModel):
    awarded: YesOrNo
    reason: Text


Model = TypeVar("Model", bound=BaseModel)


def read(model: type[Model], form: FormData) -> Model:
    """The step's fields, validated once; BadForm names the first field it cannot use."""
    try:
        # Every field is read, even one not sent (it is then empty, and may be required).
        return model.model_validate({name: form.get(name) for name in model.model_fields})
    except ValidationError as error:
        problem = error.errors()[0]
        name = str(problem["loc"][0])
        cause = problem.get("ctx", {}).get("error")
        message = str(cause) if cause else problem["msg"]
        raise BadForm(f"{name}: {message}") from None

"""What the public forms' pydantic models share: a field as typed, the checks of a typed
value (one of the choices, yes or no, a date through the one date parser, law.dates.parse_date),
and one validation that says each field's problem in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints, ValidationError

from guardpath.law.dates import parse_date

YES_NO = ("yes", "no")

Typed = Annotated[str, StringConstraints(strip_whitespace=True)]
"""A field as typed, stripped: what a page with errors shows again."""


def one_of(accepted: Sequence[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in accepted:
            raise ValueError(f"not one of {', '.join(accepted)}")
        return value

    return AfterValidator(check)


def _yes_no(value: object) -> object:
    if value not in YES_NO:
        raise ValueError("expected yes or no")
    return value == "yes"


def _day(value: object) -> object:
    return parse_date(value) if isinstance(value, str) else value


Day = Annotated[date, BeforeValidator(_day)]
"""A date typed as YYYY-MM-DD, read by the one date parser (law.dates.parse_date)."""
YesNo = Annotated[bool, BeforeValidator(_yes_no)]


def filled_in(typed: BaseModel, names: Sequence[str]) -> dict[str, Any]:
    """The fields filled in; an empty one is left out (unknown, or missing if required)."""
    return {name: value for name in names if (value := getattr(typed, name)) not in ("", [])}


def checked_by(
    model: type[BaseModel],
    candidate: dict[str, Any],
    messages: Mapping[str, Callable[[], str]],
    errors: dict[str, str],
) -> BaseModel | None:
    """`candidate` validated by `model`, once; each field's problem, in words, into `errors`
    (a field that has one already keeps it)."""
    try:
        return model.model_validate(candidate)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            errors.setdefault(name, messages[name]() if name in messages else str(problem["msg"]))
        return None

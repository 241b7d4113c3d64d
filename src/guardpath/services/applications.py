"""What an application must contain (design.md "Running it"), checked before anything is written."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
)

from guardpath.cases.facts import CASE_FACTS
from guardpath.law.dates import parse_date
from guardpath.law.fact_schema import COUNTRY, facts_schema
from guardpath.law.facts import COUNTRY_CODES, FactError, parse_facts

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

JOINERS = frozenset("\u200c\u200d")
"""The zero-width non-joiner and joiner: Persian, Arabic and Indic names need them."""
LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
"""Scripts whose letters look alike: a Cyrillic "а" in "Ivаn" is a Latin "a" to the eye, but
not to the name index, the passport index or a search."""
HIDDEN = "must not contain control characters or invisible formatting characters"


def hidden_characters(text: str) -> bool:
    """Control characters, lone surrogates, and invisible formatting characters (a
    right-to-left override, a zero-width space), which make one text look like another."""
    return any(
        (category := unicodedata.category(ch)) in ("Cc", "Cs")
        or (category == "Cf" and ch not in JOINERS)
        for ch in text
    )


def mixed_scripts(text: str) -> list[str]:
    """The look-alike scripts mixed within one word of `text` (empty if none are)."""
    for word in text.split():
        scripts = {
            script
            for ch in word
            if ch.isalpha()
            for script in LOOKALIKE_SCRIPTS
            if unicodedata.name(ch, "").startswith(script + " ")
        }
        if len(scripts) > 1:
            return sorted(scripts)
    return []


def name_problem(text: str) -> str | None:
    """What is wrong with a name or a document number, without repeating it (it is personal
    data), or None."""
    if hidden_characters(text):
        return HIDDEN
    scripts = mixed_scripts(text)
    if scripts:
        mixed = " and ".join(script.capitalize() for script in scripts)
        return (
            f"mixes {mixed} letters in one word; write each word in one script "
            "(a Cyrillic or Greek letter may look like a Latin one)"
        )
    return None


def _plain_name(value: str | None) -> str | None:
    problem = None if value is None else name_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _no_hidden_characters(value: str | None) -> str | None:
    if value is not None and hidden_characters(value):
        raise ValueError(HIDDEN)
    return value


def _iso_date(value: object) -> date:
    """A date as the contract writes it, YYYY-MM-DD: not a number, not a time of day."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date as text, YYYY-MM-DD")
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError("expected a calendar date as YYYY-MM-DD, e.g. 1990-05-10") from None


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_names: Name
    surname: Name
    native_name: Name | None = None
    birth_date: date
    sex: Literal["male", "female"]
    citizenships: list[str] = Field(max_length=5, json_schema_extra={"items": COUNTRY})
    passport_number: Short
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None
    phone: (
        Annotated[str, StringConstraints(max_length=32, pattern=r"^\+?[0-9 ()-]{5,32}$")] | None
    ) = None

    _names = field_validator("given_names", "surname", "native_name", "passport_number")(
        _plain_name
    )
    _email = field_validator("email")(_no_hidden_characters)
    _birth_date = field_validator("birth_date", mode="before")(_iso_date)

    @field_validator("citizenships")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        for code in value:
            if code not in COUNTRY_CODES:
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return sorted(set(value))

    @field_validator("birth_date")
    @classmethod
    def _born(cls, value: date) -> date:
        if value > date.today():
            raise ValueError("a birth date cannot be in the future")
        if value.year < 1900:
            raise ValueError("a birth date before 1900 is not accepted")
        return value


class Consents(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_processing: StrictBool
    verification: StrictBool


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    facts: dict[str, Any] = Field(default_factory=dict, json_schema_extra=facts_schema(CASE_FACTS))
    formation: Literal["ngu", "afu", "dsst"] = "ngu"
    consents: Consents

    @field_validator("facts")
    @classmethod
    def _facts(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(CASE_FACTS))
        if unknown:
            raise ValueError(
                f"{unknown[0]}: not a fact an applicant gives; accepted: {', '.join(CASE_FACTS)}"
            )
        try:
            parsed = parse_facts(value)
        except FactError as error:
            raise ValueError(str(error)) from None
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in parsed.items()}

    @field_validator("consents")
    @classmethod
    def _consented(cls, value: Consents) -> Consents:
        if not (value.data_processing and value.verification):
            raise ValueError(
                "both consents are required by Decree 84/2024: data_processing and verification"
            )
        return value

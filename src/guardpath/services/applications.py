"""What an application must contain (design.md "Running it"), checked before anything is written."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from guardpath.cases.facts import CASE_FACTS
from guardpath.law.facts import COUNTRY_CODES, FactError, parse_facts

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


def _no_control_characters(value: str | None) -> str | None:
    if value is not None and any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise ValueError("must not contain control characters")
    return value


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_names: Name
    surname: Name
    native_name: Name | None = None
    birth_date: date
    sex: Literal["male", "female"]
    citizenships: list[str] = Field(max_length=5)
    passport_number: Short
    email: (
        Annotated[str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
        | None
    ) = None
    phone: (
        Annotated[str, StringConstraints(max_length=32, pattern=r"^\+?[0-9 ()-]{5,32}$")] | None
    ) = None

    _text = field_validator("given_names", "surname", "native_name", "passport_number")(
        _no_control_characters
    )

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

    data_processing: bool
    verification: bool


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    facts: dict[str, Any] = Field(default_factory=dict)
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

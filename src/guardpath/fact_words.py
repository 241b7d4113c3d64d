"""The facts and their values in words: a country by its name, a formation by its name, a stay
basis in words, never an internal code such as `ngu`. The command line, the pages' answers and
the papers say a fact through here.

Every word is an English gettext message id with the context `fact`; the Ukrainian is in the
catalogue (`web/locales/uk/LC_MESSAGES/facts.po`), read like the rest (guardpath.catalogues).
Country names come from pycountry's own data and catalogues (ISO 3166-1, through
guardpath.law.countries), not from a table here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from guardpath.catalogues import translations
from guardpath.law.countries import country_name

CONTEXT: Final = "fact"
"""The context of these words in the catalogues."""

FACTS: Final[Mapping[str, str]] = {
    "birth_date": "date of birth",
    "sex": "sex",
    "citizenships": "citizenship",
    "stay_basis": "basis of stay",
    "stay_valid_until": "stay lawful until",
    "previously_convicted": "previously convicted",
    "medical": "military medical commission",
    "psychological": "professional-psychological selection",
    "physical": "physical fitness test",
    "special_check": "special check",
    "formation": "formation",
    "basis": "basis of service",
    "rank_group": "rank group",
    "female_post_vacant": "a post open to servicewomen is vacant",
    "prior_military_service": "prior military service",
    "service_periods": "periods of service",
    "state_award": "state award",
}

VALUES: Final[Mapping[str, str]] = {
    "male": "male",
    "female": "female",
    "permanent_residence_permit": "permanent residence permit",
    "temporary_residence_permit": "temporary residence permit",
    "visa": "visa",
    "visa_free": "visa-free stay",
    "extended_stay": "extended stay",
    "military_registration_document": "military registration document",
    "refugee": "refugee status",
    "complementary_protection": "complementary protection",
    "none": "no lawful basis",
    "fit": "fit",
    "unfit": "unfit",
    "passed": "passed",
    "failed": "not passed",
    "ngu": "National Guard of Ukraine",
    "afu": "Armed Forces of Ukraine",
    "dsst": "State Special Transport Service",
    "contract": "contract",
    "mobilization": "mobilisation",
    "private": "private",
    "sergeant": "sergeant or petty officer",
    "officer": "officer",
}
"""Every value of an enumerated fact (design.md's contract), each code once."""

YES: Final = "yes"
NO: Final = "no"
UNKNOWN: Final = "unknown"
STATELESS: Final = "none (stateless)"
STILL_SERVING: Final = "still serving"
WORDS: Final = (*FACTS.values(), *VALUES.values(), YES, NO, UNKNOWN, STATELESS, STILL_SERVING)
"""Every message of this vocabulary (each has its Ukrainian in facts.po)."""


def said(message: str, language: str) -> str:
    """One of these words in the language."""
    return str(translations(language).pgettext(CONTEXT, message))


def fact_label(name: str, language: str) -> str:
    label = FACTS.get(name)
    return said(label, language) if label else name


def value_words(value: Any, language: str, fact: str | None = None) -> str:
    """A fact's or a parameter's value as a person reads it, in the language."""
    if value is None:
        return said(UNKNOWN, language)
    if isinstance(value, bool):
        return said(YES if value else NO, language)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return _service_period(value, language)
    if isinstance(value, list | tuple):
        if not value and fact == "citizenships":
            return said(STATELESS, language)
        return "; ".join(value_words(item, language, fact) for item in value)
    if isinstance(value, str):
        if fact == "citizenships" or (len(value) == 2 and value.isupper()):
            return country_name(value, language)
        word = VALUES.get(value)
        return said(word, language) if word else value
    return str(value)


def _service_period(period: Mapping[str, Any], language: str) -> str:
    end = period.get("end") or said(STILL_SERVING, language)
    parts = (
        value_words(period.get("formation"), language),
        value_words(period.get("basis"), language),
        f"{period.get('start')} – {end}",
    )
    return ", ".join(parts)

"""What the public forms show: a form as shown (`Form`), the facts and choices in words, the
countries, and the messages that say what is accepted. The forms arrive as pydantic models
(`check_models.py` for the self-checks, `apply_models.py` for the application) and are read
once there.

A form keeps what was typed (`values`) so a page with errors shows it again; `data` holds the
parsed values in the facts contract; `errors` maps a field's name to a message that says what is
accepted, in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import pycountry

from guardpath.law.dates import parse_date
from guardpath.web.i18n import country_name, current_language, long_date
from guardpath.web.i18n import gettext_ as _
from guardpath.words import FORM_CHOICES, FORM_FACTS, said

MAX_CITIZENSHIPS = 3
MAX_PERIODS = 3
PERIOD_PARTS = ("formation", "basis", "start", "end")


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


# -- words -------------------------------------------------------------------------------------
def fact_labels() -> dict[str, str]:
    """The facts in words, as the forms ask for them (in the forms' order)."""
    return said(FORM_FACTS, current_language.get())


def option_labels() -> dict[str, dict[str, str]]:
    """Every choice a form offers, in words."""
    language = current_language.get()
    return {name: said(choices, language) for name, choices in FORM_CHOICES.items()}


def field_names() -> dict[str, str]:
    """Every form field's name in words, for the list of errors above a form."""
    return {
        **fact_labels(),
        "given_names": _("Given names"),
        "surname": _("Surname"),
        "native_name": _("Your name in your own script"),
        "passport_number": _("Passport or travel document number"),
        "email": _("Email"),
        "phone": _("Phone"),
        "on": _("The date of the question"),
        "kind": _("What is it?"),
        "file": _("File"),
        "data_processing": _("Consent to the processing of personal data"),
        "verification": _("Consent to verification"),
        "reference": _("Reference number"),
        "code": _("Secret resume code"),
        **{f"period_{i}": _("Period %(n)s") % {"n": i + 1} for i in range(MAX_PERIODS)},
    }


UKRAINIAN_ORDER = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"


def _sort_key(name: str) -> tuple[int, ...]:
    # Ukrainian letters in the Ukrainian alphabet's order (і, ї, є, ґ are out of place in Unicode).
    base = ord(UKRAINIAN_ORDER[0])
    return tuple(
        base + UKRAINIAN_ORDER.index(ch) if ch in UKRAINIAN_ORDER else ord(ch)
        for ch in name.casefold()
    )


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, sorted by its name in the language."""
    named = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return tuple(sorted(named, key=lambda pair: _sort_key(pair[1])))


def form_context() -> dict[str, Any]:
    """What every form page needs to draw its fields in the page's language."""
    return {
        "labels": fact_labels(),
        "options": option_labels(),
        "countries": countries(current_language.get()),
        "max_periods": MAX_PERIODS,
        "max_citizenships": MAX_CITIZENSHIPS,
        "day": day_in_words,
        "field_names": field_names(),
    }


def day_in_words(value: str | None) -> str:
    """A typed date in the page's language; what was typed if it is not a date."""
    if not value:
        return "—"
    try:
        return long_date(parse_date(value))
    except ValueError:
        return value


# -- messages that say what is accepted ---------------------------------------------------------
def choose_message(name: str, accepted: Sequence[str]) -> str:
    """ "Choose one of: …", the choices in words (those of `name`, or yes and no)."""
    labels = option_labels()
    words = labels.get(name, labels["yes_no"])
    listed = ", ".join(words.get(value, value) for value in accepted)
    return _("Choose one of: %(options)s.") % {"options": listed}


# -- the countries of citizenship -------------------------------------------------------------
def chosen_countries(
    chosen: Sequence[str], stateless: bool, *, required: bool = False
) -> tuple[list[str] | None, str | None]:
    """The countries of the (up to three) lists, or [] for 'stateless'; None when neither is
    given (unknown). With what is wrong, if anything."""
    codes = sorted({c for c in chosen[:MAX_CITIZENSHIPS] if c})
    known = {code for code, _name in countries("en")}
    if any(code not in known for code in codes) or (stateless and codes):
        return None, _(
            "Choose up to 3 countries from the list, or tick 'I have no citizenship', not both."
        )
    if stateless:
        return [], None
    if not codes and required:
        return None, _(
            "Choose your country of citizenship from the list, or tick 'I have no citizenship'."
        )
    return codes or None, None


# -- a full form's first values -------------------------------------------------------------------
def enlistment_defaults(today: date) -> dict[str, Any]:
    return {"on": today.isoformat(), "basis": "contract", "formation": "ngu"}


def citizenship_defaults(today: date) -> dict[str, Any]:
    return {"on": today.isoformat(), "period_0_basis": "contract"}

"""The application's steps as forms: what each step asks, and the application they make.

A draft keeps each step's values as typed; the application is built from them again at
submission, so what is submitted is exactly what the review page showed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from guardpath.law.facts import FORMATIONS, RANK_GROUPS, SEX, STAY_BASES
from guardpath.services.applications import ApplicationIn, PersonIn, mixed_scripts
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages.forms import Form, a_date, choice, citizenships, yes_no

STEPS = ("about", "stay", "formation", "documents", "review")
FORM_STEPS = ("about", "stay", "formation")
ABOUT_ORDER = (
    "given_names",
    "surname",
    "native_name",
    "birth_date",
    "sex",
    "citizenships",
    "passport_number",
    "email",
    "phone",
)
PERSON_TEXT = ("given_names", "surname", "native_name", "passport_number", "email", "phone")


def step_titles() -> dict[str, str]:
    return {
        "about": _("About you"),
        "stay": _("Your stay and background"),
        "formation": _("Where you want to serve"),
        "documents": _("Documents"),
        "review": _("Consents and review"),
    }


def person_messages() -> dict[str, str]:
    return {
        "given_names": _(
            "Enter your given names as in your passport: 1 to 200 characters, each word in one "
            "script (not Latin and Cyrillic letters mixed), with no control or invisible "
            "characters."
        ),
        "surname": _(
            "Enter your surname as in your passport: 1 to 200 characters, each word in one "
            "script (not Latin and Cyrillic letters mixed), with no control or invisible "
            "characters."
        ),
        "native_name": _(
            "Optional: your full name in your own script, up to 200 characters, each word in "
            "one script, with no control or invisible characters."
        ),
        "birth_date": _(
            "Enter your date of birth as YYYY-MM-DD, for example 1990-05-10; it must be after "
            "1900 and not in the future."
        ),
        "passport_number": _(
            "Enter the number of your passport or travel document (up to 64 letters and "
            "digits, not Latin and Cyrillic letters mixed)."
        ),
        "email": _("Enter an email address such as name@example.org, or leave it empty."),
        "phone": _(
            "Enter a phone number with its country code, such as +380 44 123 4567 (digits, "
            "spaces, brackets and dashes), or leave it empty."
        ),
        "citizenships": _(
            "Choose your country of citizenship from the list, or tick 'I have no citizenship'."
        ),
        "sex": _("Choose one of: Male, Female."),
    }


NAME_MARKS = frozenset(" -'’ʼ.,")
"""Besides letters: the spaces, hyphens, apostrophes, dots and commas names are written with."""
NUMBER_MARKS = frozenset(" -<")


def _symbol_free(text: str, allowed: frozenset[str], digits: bool) -> bool:
    """Only letters (with their accents), the marks allowed, and digits where allowed: no emoji,
    no symbols such as ★, @ or ©."""
    for ch in text:
        category = unicodedata.category(ch)
        # Control and invisible characters have their own message (the application's check).
        if category[0] in "LMC" or ch in allowed or (digits and category == "Nd"):
            continue
        return False
    return True


def _latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN ") for ch in text)


def name_checks(values: dict[str, str | None]) -> dict[str, str]:
    """What the pages ask of names beyond the application's own checks: names in Latin
    letters as in the passport, the name in one's own script apart; no emoji or symbols."""
    errors: dict[str, str] = {}
    for name in ("given_names", "surname", "native_name"):
        text = values.get(name)
        if not text:
            continue
        if not _symbol_free(text, NAME_MARKS, digits=False):
            errors[name] = _(
                "Use letters only, with spaces, hyphens or apostrophes: a name cannot contain "
                "emoji, digits or symbols such as ★ or @."
            )
        elif name != "native_name" and not _latin(text) and not mixed_scripts(text):
            errors[name] = _(
                "Write this in Latin letters, as in your passport (for example Ivan, not Іван). "
                "Give your name in your own script in the field below."
            )
    number = values.get("passport_number")
    if number and not _symbol_free(number, NUMBER_MARKS, digits=True):
        errors["passport_number"] = _(
            "Use only the letters and digits of the document number: no emoji or symbols."
        )
    return errors


def _text(form: FormData, out: Form, name: str) -> str | None:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    out.values[name] = text
    return text or None


def about_form(form: FormData) -> Form:
    """Names, birth date, sex, citizenships, passport and contacts (Decree 84/2024 asks
    for identity and a way to reach the applicant)."""
    out = Form()
    texts = {name: _text(form, out, name) for name in PERSON_TEXT}
    out.errors.update(name_checks(texts))
    birth = a_date(
        form, out, "birth_date", required=True, message=lambda: person_messages()["birth_date"]
    )
    sex = choice(form, out, "sex", SEX, required=True)
    countries = citizenships(form, out, required=True)
    candidate = {
        **{k: v for k, v in texts.items()},
        "birth_date": birth or date(2000, 1, 1),
        "sex": sex or "male",
        "citizenships": countries or [],
    }
    try:
        person = PersonIn.model_validate(candidate)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0])
            out.errors.setdefault(name, person_messages().get(name, str(problem["msg"])))
    else:
        if not (person.email or person.phone) and "phone" not in out.errors:
            out.errors.setdefault(
                "email",
                _("Give an email address or a phone number so that recruiters can reach you."),
            )
        out.data = person.model_dump(mode="json")
    out.errors = {name: out.errors[name] for name in ABOUT_ORDER if name in out.errors}
    return out


def stay_form(form: FormData) -> Form:
    out = Form()
    basis = choice(form, out, "stay_basis", STAY_BASES, required=True)
    until = a_date(
        form,
        out,
        "stay_valid_until",
        message=lambda: _(
            "Enter the last day your document or visa-free stay allows, as YYYY-MM-DD, or "
            "leave it empty for a permanent residence permit."
        ),
    )
    convicted = yes_no(form, out, "previously_convicted", required=True)
    served = yes_no(form, out, "prior_military_service")
    facts = {
        "stay_basis": basis,
        "stay_valid_until": until.isoformat() if until else None,
        "previously_convicted": convicted,
        "prior_military_service": served,
    }
    out.data = {k: v for k, v in facts.items() if v is not None}
    return out


def formation_form(form: FormData) -> Form:
    out = Form()
    formation = choice(form, out, "formation", FORMATIONS, required=True)
    rank = choice(form, out, "rank_group", RANK_GROUPS)
    out.data = {"formation": formation, **({"rank_group": rank} if rank else {})}
    return out


def consents_form(form: FormData) -> Form:
    out = Form()
    for name in ("data_processing", "verification"):
        given = form.get(name) == "yes"
        out.values[name] = "yes" if given else ""
        out.data[name] = given
        if not given:
            out.errors[name] = _(
                "Tick this box: Decree 84/2024 requires both consents with an application."
            )
    return out


STEP_FORMS: dict[str, Callable[[FormData], Form]] = {
    "about": about_form,
    "stay": stay_form,
    "formation": formation_form,
}


def as_form_data(values: dict[str, Any]) -> FormData:
    """A step's saved values as the form they came from."""
    pairs: list[tuple[str, str | UploadFile]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item)))
    return FormData(pairs)


def saved_steps(draft_data: dict[str, Any]) -> dict[str, Form]:
    """Each form step as parsed from the draft (a step never saved is parsed empty)."""
    return {
        step: parse(as_form_data(draft_data.get(step, {}))) for step, parse in STEP_FORMS.items()
    }


def application_from(steps: dict[str, Form], consents: Form) -> ApplicationIn | None:
    """The application the steps make, or None while any step has an error."""
    if any(not form.valid for form in steps.values()) or not consents.valid:
        return None
    formation = steps["formation"].data
    facts = {**steps["stay"].data}
    if "rank_group" in formation:
        facts["rank_group"] = formation["rank_group"]
    return ApplicationIn.model_validate(
        {
            "person": steps["about"].data,
            "facts": facts,
            "formation": formation["formation"],
            "consents": consents.data,
        }
    )

"""The application's steps as forms: what each step asks, and the application they make.

Each step's form arrives as a FastAPI form model (what was typed, kept to show it again) and is
validated once, into the facts it gives; the draft keeps both, so a page view parses nothing.
At submission the application is built from the facts the steps saved, so what is submitted is
exactly what the review page showed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from guardpath.law.facts import FORMATIONS, RANK_GROUPS, SEX, STAY_BASES
from guardpath.services.applications import ApplicationIn, PersonIn, mixed_scripts
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages.apply_models import (
    AboutForm,
    ConsentsForm,
    FormationForm,
    FormationIn,
    StayForm,
    StayIn,
    StepForm,
)
from guardpath.web.pages.form_dates import impossible_date
from guardpath.web.pages.form_models import YES_NO, checked_by, filled_in
from guardpath.web.pages.forms import (
    Form,
    choose_message,
    chosen_countries,
)

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


def name_checks(values: dict[str, Any]) -> dict[str, str]:
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


# -- the steps validated: the facts they give, checked once -------------------------------------
@dataclass
class Step(Form):
    """A step as validated (or as saved in the draft): what was typed, the facts it gives (in
    the contract's JSON) and what is wrong, said beside each field."""

    complete: bool = False

    @property
    def valid(self) -> bool:
        return self.complete and not self.errors


def _step(values: dict[str, Any], valid: BaseModel | None, errors: dict[str, str]) -> Step:
    data = valid.model_dump(mode="json", exclude_none=True) if valid and not errors else {}
    return Step(values=values, data=data, errors=errors, complete=not errors)


def _person_message(name: str) -> Callable[[], str]:
    return lambda: person_messages()[name]


def about_step(typed: AboutForm) -> Step:
    """Names, birth date, sex, citizenships, passport and contacts (Decree 84/2024 asks
    for identity and a way to reach the applicant)."""
    given = filled_in(typed, PERSON_TEXT)
    errors = name_checks(given)
    countries, wrong = chosen_countries(typed.citizenship, typed.stateless == "yes", required=True)
    if wrong:
        errors["citizenships"] = wrong
    candidate = {
        **given,
        **filled_in(typed, ("birth_date", "sex")),
        "citizenships": countries or [],
    }
    messages = {name: _person_message(name) for name in person_messages()}
    messages["birth_date"] = lambda: (
        impossible_date(typed.birth_date) or person_messages()["birth_date"]
    )
    messages["sex"] = lambda: choose_message("sex", SEX)
    person = checked_by(PersonIn, candidate, messages, errors)
    if person is not None and not (given.get("email") or given.get("phone")):
        errors.setdefault(
            "email", _("Give an email address or a phone number so that recruiters can reach you.")
        )
    ordered = {name: errors[name] for name in ABOUT_ORDER if name in errors}
    return _step(typed.values(), person, ordered)


def stay_step(typed: StayForm) -> Step:
    errors: dict[str, str] = {}
    messages: dict[str, Callable[[], str]] = {
        "stay_basis": lambda: choose_message("stay_basis", STAY_BASES),
        "stay_valid_until": lambda: (
            impossible_date(typed.stay_valid_until)
            or _(
                "Enter the last day your document or visa-free stay allows, as YYYY-MM-DD, or "
                "leave it empty for a permanent residence permit."
            )
        ),
        "previously_convicted": lambda: choose_message("yes_no", YES_NO),
        "prior_military_service": lambda: choose_message("yes_no", YES_NO),
    }
    stay = checked_by(StayIn, filled_in(typed, tuple(messages)), messages, errors)
    return _step(typed.values(), stay, errors)


def formation_step(typed: FormationForm) -> Step:
    errors: dict[str, str] = {}
    messages: dict[str, Callable[[], str]] = {
        "formation": lambda: choose_message("formation", FORMATIONS),
        "rank_group": lambda: choose_message("rank_group", RANK_GROUPS),
    }
    formation = checked_by(FormationIn, filled_in(typed, tuple(messages)), messages, errors)
    return _step(typed.values(), formation, errors)


def consents_step(typed: ConsentsForm) -> Step:
    out = Step(complete=True)
    for name in ("data_processing", "verification"):
        given = getattr(typed, name) == "yes"
        out.values[name] = "yes" if given else ""
        out.data[name] = given
        if not given:
            out.errors[name] = _(
                "Tick this box: Decree 84/2024 requires both consents with an application."
            )
    return out


STEP_FORMS: dict[str, tuple[type[StepForm], Callable[[Any], Step]]] = {
    "about": (AboutForm, about_step),
    "stay": (StayForm, stay_step),
    "formation": (FormationForm, formation_step),
}


def validated(step: str, typed: StepForm) -> Step:
    """A step's form, validated once."""
    return STEP_FORMS[step][1](typed)


def saved_steps(draft_data: dict[str, Any]) -> dict[str, Step]:
    """Each form step as the draft keeps it: what was typed and, for a complete step, the
    facts it gives, validated when it was saved (a step never saved is empty). A draft saved
    before drafts kept the validated facts holds only what was typed: that is validated here."""
    steps: dict[str, Step] = {}
    for step, (form, check) in STEP_FORMS.items():
        stored = draft_data.get(step, {})
        if "values" in stored and "data" in stored:
            data = stored["data"]
            steps[step] = Step(values=stored["values"], data=data or {}, complete=data is not None)
        else:
            steps[step] = check(form.model_validate(_typed(stored)))
    return steps


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, list) else str(v) for k, v in values.items() if v is not None}


def saved(step: Step) -> dict[str, Any]:
    """What the draft keeps of a step: what was typed, and the facts of a complete one."""
    return {"values": step.values, "data": step.data if step.valid else None}


def application_from(steps: dict[str, Step], consents: Step) -> ApplicationIn | None:
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

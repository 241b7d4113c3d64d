"""HTML forms in, facts out: each field parsed, and each error named beside its field.

A form keeps what was typed (`values`) so a page with errors shows it again; `data` holds the
parsed values in the facts contract; `errors` maps a field's name to a message that says what is
accepted, in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import pycountry
from starlette.datastructures import FormData

from guardpath.law.dates import parse_date
from guardpath.law.facts import (
    BASES,
    FORMATIONS,
    MEDICAL,
    PASSED,
    RANK_GROUPS,
    SEX,
    STAY_BASES,
)
from guardpath.law.timeline import EPOCH
from guardpath.web.i18n import country_name, current_language, long_date
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages.form_dates import impossible_date

MAX_CITIZENSHIPS = 3
MAX_PERIODS = 3
YES_NO = ("yes", "no")
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
    return {
        "birth_date": _("Date of birth"),
        "sex": _("Sex"),
        "citizenships": _("Citizenship"),
        "stay_basis": _("Basis of your stay in Ukraine"),
        "stay_valid_until": _("Your stay is lawful until"),
        "previously_convicted": _("Previous criminal conviction"),
        "prior_military_service": _("Prior military service"),
        "formation": _("Formation"),
        "basis": _("Basis of service"),
        "rank_group": _("Rank group"),
        "female_post_vacant": _("A post that servicewomen may fill is vacant"),
        "medical": _("Military medical commission (VLK)"),
        "psychological": _("Professional-psychological selection"),
        "physical": _("Physical fitness test"),
        "special_check": _("Special check by the Foreigner Recruitment Centre"),
        "service_periods": _("Periods of service"),
        "state_award": _("State award of Ukraine"),
    }


def option_labels() -> dict[str, dict[str, str]]:
    """Every choice a form offers, in words."""
    passed = {"passed": _("Passed"), "failed": _("Not passed")}
    return {
        "sex": {"male": _("Male"), "female": _("Female")},
        "stay_basis": {
            "permanent_residence_permit": _("Permanent residence permit"),
            "temporary_residence_permit": _("Temporary residence permit"),
            "visa": _("Visa"),
            "visa_free": _("Visa-free stay"),
            "extended_stay": _("Extended stay"),
            "military_registration_document": _("Military registration document"),
            "refugee": _("Refugee status"),
            "complementary_protection": _("Complementary protection"),
            "none": _("None of these"),
        },
        "medical": {"fit": _("Found fit"), "unfit": _("Found unfit")},
        "psychological": passed,
        "physical": passed,
        "special_check": passed,
        "formation": {
            "ngu": _("National Guard of Ukraine (NGU)"),
            "afu": _("Armed Forces of Ukraine (AFU)"),
            "dsst": _("State Special Transport Service (DSST)"),
        },
        "basis": {
            "contract": _("Contract (voluntary service)"),
            "mobilization": _("Mobilisation (Ukrainian citizens only)"),
        },
        "rank_group": {
            "private": _("Private"),
            "sergeant": _("Sergeant or petty officer"),
            "officer": _("Officer"),
        },
        "yes_no": {"yes": _("Yes"), "no": _("No")},
        "formation_short": {"ngu": _("NGU"), "afu": _("AFU"), "dsst": _("DSST")},
        "basis_short": {"contract": _("Contract"), "mobilization": _("Mobilisation")},
    }


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


def _date_message() -> str:
    return _("Enter a date as YYYY-MM-DD, for example 2024-02-21.")


# -- field parsers -----------------------------------------------------------------------------
def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def choice(
    form: FormData,
    out: Form,
    name: str,
    accepted: Sequence[str],
    *,
    required: bool = False,
    label_set: str | None = None,
) -> str | None:
    raw = out.values[name] = _text(form, name)
    if not raw:
        if required:
            out.errors[name] = choose_message(label_set or name, accepted)
        return None
    if raw not in accepted:
        out.errors[name] = choose_message(label_set or name, accepted)
        return None
    return raw


def yes_no(form: FormData, out: Form, name: str, *, required: bool = False) -> bool | None:
    answer = choice(form, out, name, YES_NO, required=required, label_set="yes_no")
    return None if answer is None else answer == "yes"


def a_date(
    form: FormData,
    out: Form,
    name: str,
    *,
    required: bool = False,
    message: Callable[[], str] = _date_message,
) -> date | None:
    raw = out.values[name] = _text(form, name)
    if not raw:
        if required:
            out.errors[name] = message()
        return None
    try:
        return parse_date(raw)
    except ValueError:
        out.errors[name] = impossible_date(raw) or message()
        return None


def citizenships(form: FormData, out: Form, *, required: bool = False) -> list[str] | None:
    """Up to three countries, or 'stateless'; None when neither is given (unknown)."""
    chosen = [c.strip() for c in form.getlist("citizenship") if isinstance(c, str)]
    stateless = form.get("stateless") == "yes"
    codes, error = chosen_countries(chosen, stateless, required=required)
    out.values["citizenship"] = (chosen + [""] * MAX_CITIZENSHIPS)[:MAX_CITIZENSHIPS]
    out.values["stateless"] = "yes" if stateless else ""
    if error:
        out.errors["citizenships"] = error
    return codes


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


def service_periods(form: FormData, out: Form) -> list[dict[str, str | None]] | None:
    """Up to three rows of service; an empty row is left out, a half-filled one is an error."""
    rows: list[dict[str, str | None]] = []
    for index in range(MAX_PERIODS):
        raw = {part: _text(form, f"period_{index}_{part}") for part in PERIOD_PARTS}
        for part, value in raw.items():
            out.values[f"period_{index}_{part}"] = value
        if not any(raw[part] for part in ("formation", "start", "end")):
            continue
        row = _period_row(raw)
        if isinstance(row, str):
            out.errors[f"period_{index}"] = row
            continue
        rows.append(row)
    return rows


def _period_row(raw: dict[str, str]) -> dict[str, str | None] | str:
    """The period in the facts contract, or what is wrong with it."""
    if raw["formation"] not in FORMATIONS:
        return _("Choose the formation of this period: NGU, AFU or DSST.")
    if (raw["basis"] or "contract") not in BASES:
        return _("Choose the basis of this period: contract or mobilisation.")
    try:
        start = parse_date(raw["start"])
    except ValueError:
        return _("Give the date this period started, as YYYY-MM-DD.")
    try:
        end = parse_date(raw["end"]) if raw["end"] else None
    except ValueError:
        return _(
            "Give the date this period ended as YYYY-MM-DD, or leave it empty while you serve."
        )
    if end is not None and end < start:
        return _("The end of this period must not be before its start.")
    return {
        "formation": raw["formation"],
        "basis": raw["basis"] or "contract",
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _put(out: Form, name: str, value: object) -> None:
    if value is not None and name not in out.errors:
        out.data[name] = value


# -- the forms ---------------------------------------------------------------------------------
def enlistment_form(form: FormData, today: date) -> tuple[Form, date]:
    """The self-check: every fact may be left unknown; the answer says which ones decide."""
    out = Form()
    _put(out, "birth_date", _iso(a_date(form, out, "birth_date")))
    _put(out, "sex", choice(form, out, "sex", SEX))
    _put(out, "citizenships", citizenships(form, out))
    _put(out, "stay_basis", choice(form, out, "stay_basis", STAY_BASES))
    _put(out, "stay_valid_until", _iso(a_date(form, out, "stay_valid_until")))
    _put(out, "previously_convicted", yes_no(form, out, "previously_convicted"))
    _put(out, "medical", choice(form, out, "medical", MEDICAL))
    for name in ("psychological", "physical", "special_check"):
        _put(out, name, choice(form, out, name, PASSED))
    _put(out, "formation", choice(form, out, "formation", FORMATIONS))
    _put(out, "basis", choice(form, out, "basis", BASES))
    _put(out, "rank_group", choice(form, out, "rank_group", RANK_GROUPS))
    _put(out, "female_post_vacant", yes_no(form, out, "female_post_vacant"))
    _put(out, "prior_military_service", yes_no(form, out, "prior_military_service"))
    on = _on(form, out, today)
    _born_by(out, on)
    return out, on


def _born_by(out: Form, on: date) -> None:
    """A birth date after the date of the question is a slip of the year (2090 for 1990)."""
    born = out.data.get("birth_date")
    if born is not None and date.fromisoformat(born) > on:
        out.errors["birth_date"] = _(
            "Enter a date of birth on or before the date of the question, as YYYY-MM-DD."
        )


def citizenship_form(form: FormData, today: date) -> tuple[Form, date]:
    out = Form()
    _put(out, "citizenships", citizenships(form, out))
    periods = service_periods(form, out)
    if not any(key.startswith("period_") for key in out.errors):
        out.data["service_periods"] = periods
    _put(out, "state_award", yes_no(form, out, "state_award"))
    return out, _on(form, out, today)


def _on(form: FormData, out: Form, today: date) -> date:
    on = a_date(form, out, "on")
    if on is not None and on < EPOCH:
        out.errors["on"] = _(
            "Give a date from %(first)s on: guardpath holds the law from then."
        ) % {"first": long_date(EPOCH)}
        return today
    if on is None and "on" not in out.errors:
        out.values["on"] = today.isoformat()
    return on or today


def enlistment_defaults(today: date) -> dict[str, Any]:
    return {"on": today.isoformat(), "basis": "contract", "formation": "ngu"}


def citizenship_defaults(today: date) -> dict[str, Any]:
    return {"on": today.isoformat(), "period_0_basis": "contract"}

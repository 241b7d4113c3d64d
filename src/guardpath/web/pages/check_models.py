"""The self-checks' forms as pydantic models: each form as typed (a FastAPI form model, what a
page with errors shows again), and the facts its answers give, validated once with a message
beside each field that says what is accepted.

The full forms ("answer all at once") and the guided interview's questions read their answers
the same way (`read_answers`): a choice, yes or no, a date through the one date parser, the
countries of citizenship, up to three periods of service.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, model_validator

from guardpath.law.facts import (
    BASES,
    BOOL_FACTS,
    ENUM_FACTS,
    FORMATIONS,
    MEDICAL,
    PASSED,
    RANK_GROUPS,
    SEX,
    STAY_BASES,
)
from guardpath.law.timeline import EPOCH
from guardpath.web.i18n import gettext_ as _
from guardpath.web.i18n import long_date
from guardpath.web.pages.form_dates import impossible_date
from guardpath.web.pages.form_models import YES_NO, Day, Typed, YesNo, checked_by, filled_in, one_of
from guardpath.web.pages.forms import (
    MAX_CITIZENSHIPS,
    MAX_PERIODS,
    PERIOD_PARTS,
    Form,
    choose_message,
    chosen_countries,
)


# -- the forms as typed (FastAPI form models) ----------------------------------------------------
class CitizenshipsTyped(BaseModel):
    citizenship: list[Typed] = []
    stateless: Typed = ""


class PeriodsTyped(BaseModel):
    period_0_formation: Typed = ""
    period_0_basis: Typed = ""
    period_0_start: Typed = ""
    period_0_end: Typed = ""
    period_1_formation: Typed = ""
    period_1_basis: Typed = ""
    period_1_start: Typed = ""
    period_1_end: Typed = ""
    period_2_formation: Typed = ""
    period_2_basis: Typed = ""
    period_2_start: Typed = ""
    period_2_end: Typed = ""


class EnlistmentForm(CitizenshipsTyped):
    """The full "can I serve?" form."""

    birth_date: Typed = ""
    sex: Typed = ""
    stay_basis: Typed = ""
    stay_valid_until: Typed = ""
    previously_convicted: Typed = ""
    medical: Typed = ""
    psychological: Typed = ""
    physical: Typed = ""
    special_check: Typed = ""
    formation: Typed = ""
    basis: Typed = ""
    rank_group: Typed = ""
    female_post_vacant: Typed = ""
    prior_military_service: Typed = ""
    on: Typed = ""


class CitizenshipForm(CitizenshipsTyped, PeriodsTyped):
    """The full "can I become a citizen?" form."""

    state_award: Typed = ""
    on: Typed = ""


class InterviewForm(EnlistmentForm, CitizenshipForm):
    """A page of the guided interview: the answers so far (hidden, as JSON), where to go, the
    question on the page and its answer (any fact's fields)."""

    facts: Typed = ""
    declined: Typed = ""
    asked: Typed = ""
    go: Typed = ""
    current: Typed = ""


ENLISTMENT_FACTS = (
    "birth_date",
    "sex",
    "citizenships",
    "stay_basis",
    "stay_valid_until",
    "previously_convicted",
    "medical",
    "psychological",
    "physical",
    "special_check",
    "formation",
    "basis",
    "rank_group",
    "female_post_vacant",
    "prior_military_service",
)
CITIZENSHIP_FACTS = ("citizenships", "service_periods", "state_award")


# -- the answers validated ---------------------------------------------------------------------
class AnswersIn(BaseModel):
    """Every answer a self-check takes but the countries and the periods, each optional."""

    birth_date: Day | None = None
    stay_valid_until: Day | None = None
    sex: Annotated[str, one_of(SEX)] | None = None
    stay_basis: Annotated[str, one_of(STAY_BASES)] | None = None
    medical: Annotated[str, one_of(MEDICAL)] | None = None
    psychological: Annotated[str, one_of(PASSED)] | None = None
    physical: Annotated[str, one_of(PASSED)] | None = None
    special_check: Annotated[str, one_of(PASSED)] | None = None
    formation: Annotated[str, one_of(FORMATIONS)] | None = None
    basis: Annotated[str, one_of(BASES)] | None = None
    rank_group: Annotated[str, one_of(RANK_GROUPS)] | None = None
    previously_convicted: YesNo | None = None
    female_post_vacant: YesNo | None = None
    prior_military_service: YesNo | None = None
    state_award: YesNo | None = None
    on: Day | None = None


class PeriodIn(BaseModel):
    """A period of service in the facts contract (an empty basis is a contract)."""

    formation: Annotated[str, one_of(FORMATIONS)]
    basis: Annotated[str, one_of(BASES)]
    start: Day
    end: Day | None = None

    @model_validator(mode="after")
    def _in_order(self) -> PeriodIn:
        if self.end is not None and self.end < self.start:
            raise ValueError("the end is before the start")
        return self


def _date_message() -> str:
    return _("Enter a date as YYYY-MM-DD, for example 2024-02-21.")


def period_messages() -> dict[str, str]:
    """What is wrong with a period, by the part that is wrong ("" for the order)."""
    return {
        "formation": _("Choose the formation of this period: NGU, AFU or DSST."),
        "basis": _("Choose the basis of this period: contract or mobilisation."),
        "start": _("Give the date this period started, as YYYY-MM-DD."),
        "end": _(
            "Give the date this period ended as YYYY-MM-DD, or leave it empty while you serve."
        ),
        "": _("The end of this period must not be before its start."),
    }


def _message(typed: BaseModel, name: str) -> Callable[[], str]:
    """What is accepted in field `name`, in the page's language."""
    if name in ENUM_FACTS:
        return lambda: choose_message(name, ENUM_FACTS[name])
    if name in BOOL_FACTS:
        return lambda: choose_message("yes_no", YES_NO)
    return lambda: impossible_date(getattr(typed, name)) or _date_message()


def typed_fields(fact: str) -> tuple[str, ...]:
    """The fields of a form that answer `fact`."""
    if fact == "citizenships":
        return ("citizenship", "stateless")
    if fact == "service_periods":
        return tuple(f"period_{i}_{part}" for i in range(MAX_PERIODS) for part in PERIOD_PARTS)
    return (fact,)


def shown(typed: BaseModel, names: Sequence[str]) -> dict[str, Any]:
    """The fields answering `names` as typed, to show again."""
    values: dict[str, Any] = {}
    for fact in names:
        for name in typed_fields(fact):
            values[name] = getattr(typed, name)
        if fact == "citizenships" and isinstance(typed, CitizenshipsTyped):
            values["citizenship"] = (typed.citizenship + [""] * MAX_CITIZENSHIPS)[:MAX_CITIZENSHIPS]
            values["stateless"] = "yes" if typed.stateless == "yes" else ""
    return values


def _periods(typed: BaseModel, out: Form) -> None:
    """Up to three rows of service; an empty row is left out, a half-filled one is an error."""
    rows: list[dict[str, Any]] = []
    messages = period_messages()
    for index in range(MAX_PERIODS):
        raw = {part: getattr(typed, f"period_{index}_{part}") for part in PERIOD_PARTS}
        if not any(raw[part] for part in ("formation", "start", "end")):
            continue
        raw["basis"] = raw["basis"] or "contract"
        problems: dict[str, str] = {}
        period = checked_by(PeriodIn, given_period(raw), {}, problems)
        if period is None:
            first = next(part for part in (*PERIOD_PARTS, "") if part in problems)
            out.errors[f"period_{index}"] = messages[first]
            continue
        rows.append(period.model_dump(mode="json"))
    if not any(name.startswith("period_") for name in out.errors):
        out.data["service_periods"] = rows


def given_period(raw: dict[str, str]) -> dict[str, str]:
    """A period's parts as typed; an empty end is left out (still serving)."""
    return {part: value for part, value in raw.items() if value or part != "end"}


def read_answers(typed: BaseModel, facts: Sequence[str], required: Collection[str] = ()) -> Form:
    """The answers to `facts`, validated once: the values as typed, the facts they give (an
    answer left empty is unknown, unless it is `required`) and each problem beside its field."""
    out = Form(values=shown(typed, facts))
    scalars = [f for f in facts if f not in ("citizenships", "service_periods")]
    messages = {name: _message(typed, name) for name in scalars}
    for name in scalars:
        if name in required and not getattr(typed, name):
            out.errors[name] = messages[name]()
    answers = checked_by(AnswersIn, filled_in(typed, scalars), messages, out.errors)
    if "citizenships" in facts and isinstance(typed, CitizenshipsTyped):
        codes, wrong = chosen_countries(
            typed.citizenship, typed.stateless == "yes", required="citizenships" in required
        )
        if wrong:
            out.errors["citizenships"] = wrong
        elif codes is not None:
            out.data["citizenships"] = codes
    if "service_periods" in facts:
        _periods(typed, out)
    if answers is not None:
        out.data.update(answers.model_dump(mode="json", exclude_none=True, include=set(scalars)))
    out.errors = {n: out.errors[n] for n in _order(facts) if n in out.errors}
    return out


def _order(facts: Sequence[str]) -> list[str]:
    names: list[str] = []
    for fact in facts:
        if fact == "service_periods":
            names += [f"period_{i}" for i in range(MAX_PERIODS)]
        else:
            names.append(fact)
    return names


# -- the full forms --------------------------------------------------------------------------------
def enlistment_answers(typed: EnlistmentForm, today: date) -> tuple[Form, date]:
    """The self-check: every fact may be left unknown; the answer says which ones decide."""
    out = read_answers(typed, ENLISTMENT_FACTS)
    on = _on(typed, out, today)
    born = out.data.get("birth_date")
    if born is not None and date.fromisoformat(born) > on:
        # A birth date after the date of the question is a slip of the year (2090 for 1990).
        out.errors["birth_date"] = _(
            "Enter a date of birth on or before the date of the question, as YYYY-MM-DD."
        )
    return out, on


def citizenship_answers(typed: CitizenshipForm, today: date) -> tuple[Form, date]:
    out = read_answers(typed, CITIZENSHIP_FACTS)
    return out, _on(typed, out, today)


def _on(typed: EnlistmentForm | CitizenshipForm, out: Form, today: date) -> date:
    """The date of the question: today unless given, and not before the law guardpath holds."""
    read = read_answers(typed, ("on",))
    out.values["on"] = typed.on
    if "on" in read.errors:
        out.errors["on"] = read.errors["on"]
        return today
    on = date.fromisoformat(read.data["on"]) if "on" in read.data else None
    if on is not None and on < EPOCH:
        out.errors["on"] = _(
            "Give a date from %(first)s on: guardpath holds the law from then."
        ) % {"first": long_date(EPOCH)}
        return today
    if on is None:
        out.values["on"] = today.isoformat()
    return on or today

"""A step on a case: one small form per step, posted to /staff/cases/{id}/{step}.

Each form carries the case's version, so a step decided on a page someone else has since
changed is refused as a conflict; the page then shows the case as it is now, with the reason
in words. A step succeeds with a redirect to its confirmation (post/redirect/get): what was
done, in words, and where the case went, even when it has left the role's work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, CitizenshipState
from guardpath.cases.transitions import (
    CaseError,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    WrongState,
)
from guardpath.law.dates import parse_date
from guardpath.law.facts import MEDICAL, PASSED, RANK_GROUPS, STAY_BASES, FactError
from guardpath.services import cases as services
from guardpath.services.applications import HIDDEN, hidden_characters
from guardpath.services.casework import CONSOLE_STEPS, check_may_take, prepare_step
from guardpath.web.deps import ContextDep
from guardpath.web.staff.case import show_case
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.session import CaseWorker, Forbidden

router = APIRouter(include_in_schema=False)
Step = Callable[[Context, Actor, str, int, FormData], object]
MAX_TEXT = 2000
"""As the forms' maxlength."""
LINE_BREAKS = str.maketrans("", "", "\r\n\t")


class BadForm(ValueError):
    """A field the step cannot use; the message names it."""


def _text(form: FormData, name: str) -> str | None:
    """A field's text; one over MAX_TEXT or with hidden characters is refused, not cut short."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_TEXT:
        raise BadForm(f"{name}: {len(text):,} characters; at most {MAX_TEXT:,}")
    if hidden_characters(text.translate(LINE_BREAKS)):
        raise BadForm(f"{name}: {HIDDEN} (line breaks are fine)")
    return text or None


def _choice(form: FormData, name: str, accepted: tuple[str, ...]) -> str:
    value = _text(form, name)
    if value is None or value not in accepted:
        raise BadForm(f"{name}: expected one of {', '.join(accepted)}")
    return value


def _yes_no(form: FormData, name: str) -> bool | None:
    value = _text(form, name)
    return None if value is None else _choice(form, name, ("yes", "no")) == "yes"


def _date(form: FormData, name: str) -> date | None:
    value = _text(form, name)
    try:
        return parse_date(value) if value else None
    except ValueError as error:
        raise BadForm(f"{name}: {error}") from None


def _document_check(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    basis = _text(form, "stay_basis")
    return services.record_document_check(
        ctx,
        actor,
        case_id,
        passed=_choice(form, "passed", ("yes", "no")) == "yes",
        previously_convicted=_yes_no(form, "previously_convicted"),
        stay_basis=_choice(form, "stay_basis", STAY_BASES) if basis else None,
        stay_valid_until=_date(form, "stay_valid_until"),
        reason=_text(form, "reason"),
    )


def _result(call: Callable[..., object], accepted: tuple[str, ...]) -> Step:
    def step(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
        return call(ctx, actor, case_id, _choice(form, "result", accepted), _text(form, "reason"))

    return step


def _approve(ctx: Context, actor: Actor, case_id: str, version: int, form: FormData) -> object:
    return services.approve(
        ctx,
        actor,
        case_id,
        rank_group=_choice(form, "rank_group", RANK_GROUPS),
        female_post_vacant=_yes_no(form, "female_post_vacant"),
        expected_version=version,
        reason=_text(form, "reason"),
    )


def _reject(ctx: Context, actor: Actor, case_id: str, version: int, form: FormData) -> object:
    reason = _text(form, "reason")
    if reason is None:
        raise BadForm("reason: a rejection needs its reason")
    return services.reject(ctx, actor, case_id, reason, expected_version=version)


def _sign(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    years = _text(form, "years")
    if years is not None and not years.isdigit():
        raise BadForm("years: expected a whole number of years")
    return services.sign_contract(ctx, actor, case_id, years=int(years) if years else None)


def _decide(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    to = _choice(form, "to", tuple(s.value for s in CitizenshipState))
    return services.decide_citizenship_application(
        ctx, actor, case_id, CitizenshipState(to), _text(form, "reason")
    )


def _state_award(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    awarded = _choice(form, "awarded", ("yes", "no")) == "yes"
    return services.record_state_award(ctx, actor, case_id, awarded, _text(form, "reason"))


def _plain(call: Callable[[Context, Actor, str], object]) -> Step:
    return lambda ctx, actor, case_id, _v, _form: call(ctx, actor, case_id)


def _with_reason(call: Callable[..., object]) -> Step:
    return lambda ctx, actor, case_id, _v, form: call(
        ctx, actor, case_id, reason=_text(form, "reason")
    )


STEP_FORMS: dict[str, Step] = {
    "start_document_review": _plain(services.start_document_review),
    "record_document_check": _document_check,
    "record_special_check": _result(services.record_special_check, PASSED),
    "record_medical_result": _result(services.record_medical_result, MEDICAL),
    "record_psychological_result": _result(services.record_psychological_result, PASSED),
    "record_physical_result": _result(services.record_physical_result, PASSED),
    "approve": _approve,
    "reject": _reject,
    "withdraw": _with_reason(services.withdraw),
    "sign_contract": _sign,
    "start_service": _plain(services.start_service),
    "complete_probation": _plain(services.complete_probation),
    "record_award": _with_reason(services.record_award),
    "discharge": _with_reason(services.discharge),
    "record_state_award": _state_award,
    "prepare_citizenship_application": _plain(services.prepare_citizenship_application),
    "decide_citizenship_application": _decide,
}

PROBLEMS: tuple[tuple[type[Exception], str, int], ...] = (
    (Conflict, "conflict", 409),
    (WrongState, "wrong_state", 409),
    (LawSaysNo, "law_says_no", 422),
    (NotFound, "not_found", 404),
    (CaseError, "refused", 409),
    (Exception, "bad_form", 400),
)


def _problem(error: Exception) -> tuple[dict[str, str], int]:
    kind, status = next((k, s) for cls, k, s in PROBLEMS if isinstance(error, cls))
    return {"kind": kind, "detail": str(error)}, status


def _version(form: FormData) -> int:
    text = _text(form, "version")
    if text is None or not text.isdigit():
        raise BadForm("version: the form lost the case's version; reload the case")
    return int(text)


def _route(action: str) -> Callable[..., Response]:
    def take_step(
        request: Request, case_id: str, ctx: ContextDep, staff: CaseWorker, form: CheckedForm
    ) -> Response:
        try:
            check_may_take(staff.actor, action)
            version = _version(form)
            prepare_step(ctx, staff.actor, case_id, action, version)
            STEP_FORMS[action](ctx, staff.actor, case_id, version, form)
        except NotPermitted:
            raise Forbidden from None
        except (CaseError, FactError, ValueError) as error:
            problem, status = _problem(error)
            return show_case(request, ctx, staff, case_id, problem, status)
        return RedirectResponse(f"/staff/cases/{case_id}/done/{action}", status_code=303)

    take_step.__name__ = f"staff_{action}"
    return take_step


for _action in CONSOLE_STEPS:
    router.post(f"/staff/cases/{{case_id}}/{_action}", name=f"staff_{_action}")(_route(_action))

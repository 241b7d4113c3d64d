"""A step on a case: one small form per step, posted to /staff/cases/{id}/{step}.

Each form carries the case's version, so a step decided on a page someone else has since
changed is refused as a conflict; the page then shows the case as it is now, with the reason
in words. A step succeeds with a redirect to its confirmation (post/redirect/get): what was
done, in words, and where the case went, even when it has left the role's work.
"""

from __future__ import annotations

from collections.abc import Callable

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
from guardpath.law.facts import FactError
from guardpath.services import cases as services
from guardpath.services.casework import CONSOLE_STEPS, check_may_take, prepare_step
from guardpath.web.deps import ContextDep
from guardpath.web.staff.case import show_case
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.session import CaseWorker, Forbidden
from guardpath.web.staff.step_forms import (
    Approval,
    CitizenshipDecision,
    DocumentCheck,
    MedicalResult,
    PassedResult,
    Reasoned,
    Rejection,
    Signing,
    StateAward,
    Versioned,
    read,
)

router = APIRouter(include_in_schema=False)
Step = Callable[[Context, Actor, str, int, FormData], object]


def _document_check(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    check = read(DocumentCheck, form)
    return services.record_document_check(
        ctx,
        actor,
        case_id,
        passed=check.passed,
        previously_convicted=check.previously_convicted,
        stay_basis=check.stay_basis,
        stay_valid_until=check.stay_valid_until,
        reason=check.reason,
    )


def _result(call: Callable[..., object], model: type[PassedResult | MedicalResult]) -> Step:
    def step(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
        found = read(model, form)
        return call(ctx, actor, case_id, found.result, found.reason)

    return step


def _approve(ctx: Context, actor: Actor, case_id: str, version: int, form: FormData) -> object:
    approval = read(Approval, form)
    return services.approve(
        ctx,
        actor,
        case_id,
        rank_group=approval.rank_group,
        female_post_vacant=approval.female_post_vacant,
        expected_version=version,
        reason=approval.reason,
    )


def _reject(ctx: Context, actor: Actor, case_id: str, version: int, form: FormData) -> object:
    reason = read(Rejection, form).reason
    return services.reject(ctx, actor, case_id, reason, expected_version=version)


def _sign(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    return services.sign_contract(ctx, actor, case_id, years=read(Signing, form).years)


def _decide(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    decision = read(CitizenshipDecision, form)
    return services.decide_citizenship_application(
        ctx, actor, case_id, CitizenshipState(decision.to), decision.reason
    )


def _state_award(ctx: Context, actor: Actor, case_id: str, _v: int, form: FormData) -> object:
    award = read(StateAward, form)
    return services.record_state_award(ctx, actor, case_id, award.awarded, award.reason)


def _plain(call: Callable[[Context, Actor, str], object]) -> Step:
    return lambda ctx, actor, case_id, _v, _form: call(ctx, actor, case_id)


def _with_reason(call: Callable[..., object]) -> Step:
    return lambda ctx, actor, case_id, _v, form: call(
        ctx, actor, case_id, reason=read(Reasoned, form).reason
    )


STEP_FORMS: dict[str, Step] = {
    "start_document_review": _plain(services.start_document_review),
    "record_document_check": _document_check,
    "record_special_check": _result(services.record_special_check, PassedResult),
    "record_medical_result": _result(services.record_medical_result, MedicalResult),
    "record_psychological_result": _result(services.record_psychological_result, PassedResult),
    "record_physical_result": _result(services.record_physical_result, PassedResult),
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


def _route(action: str) -> Callable[..., Response]:
    def take_step(
        request: Request, case_id: str, ctx: ContextDep, staff: CaseWorker, form: CheckedForm
    ) -> Response:
        try:
            check_may_take(staff.actor, action)
            version = read(Versioned, form).version
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

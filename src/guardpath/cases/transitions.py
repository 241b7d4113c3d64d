"""Which role may take which step from which state. The law's part of each guard (is the
person eligible today?) is asked of the engine by the services, not written here."""

from __future__ import annotations

from dataclasses import dataclass

from guardpath.cases.model import OPEN_STATES, SERVING_STATES, Actor, Case, Role, State

LATE_SPECIAL_CHECK = frozenset(
    {State.SPECIAL_CHECK, State.MEDICAL, State.PSYCHOLOGICAL, State.PHYSICAL, State.INTERVIEW}
)
"""A case whose documents were checked before the special check existed (Law 4019-IX,
2024-10-30) may reach approval after it: the vetting officer records it at any later stage."""

STAFF_DECIDING = frozenset({Role.RECRUITER, Role.VETTING_OFFICER, Role.COMMANDER, Role.ADMIN})


class CaseError(Exception):
    """A step that cannot be taken; `code` is stable for the API, the message is for people."""

    code = "case_error"


class NotPermitted(CaseError):
    code = "not_permitted"


class WrongState(CaseError):
    code = "wrong_state"


class LawSaysNo(CaseError):
    code = "law_says_no"


class Conflict(CaseError):
    """Someone else changed the case first; reload and try again."""

    code = "conflict"


class NotFound(CaseError):
    code = "not_found"


@dataclass(frozen=True)
class Step:
    action: str
    from_states: frozenset[State]
    roles: frozenset[Role]


def _step(action: str, states: set[State] | frozenset[State], *roles: Role) -> Step:
    return Step(action, frozenset(states), frozenset(roles) | {Role.ADMIN})


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        _step("submit_application", {State.DRAFT}, Role.APPLICANT, Role.RECRUITER),
        _step("start_document_review", {State.SUBMITTED}, Role.RECRUITER),
        _step("record_document_check", {State.DOCUMENT_REVIEW}, Role.RECRUITER),
        _step("record_special_check", LATE_SPECIAL_CHECK, Role.VETTING_OFFICER),
        _step("record_medical_result", {State.MEDICAL}, Role.MEDICAL_OFFICER),
        _step("record_psychological_result", {State.PSYCHOLOGICAL}, Role.MEDICAL_OFFICER),
        _step("record_physical_result", {State.PHYSICAL}, Role.RECRUITER),
        _step("approve", {State.INTERVIEW}, Role.COMMANDER),
        _step("reject", OPEN_STATES - SERVING_STATES - {State.DRAFT}, *STAFF_DECIDING),
        _step("withdraw", OPEN_STATES - SERVING_STATES, Role.APPLICANT, Role.RECRUITER),
        _step("sign_contract", {State.APPROVED}, Role.COMMANDER),
        _step("start_service", {State.CONTRACT_SIGNED}, Role.COMMANDER),
        _step("complete_probation", {State.PROBATION}, Role.COMMANDER),
        _step("record_award", SERVING_STATES, Role.COMMANDER),
        _step("discharge", SERVING_STATES, Role.COMMANDER),
        # Whether the serviceman holds a state award, yes or no: a citizenship route's fact.
        _step(
            "record_state_award",
            {State.PROBATION, State.IN_SERVICE, State.DISCHARGED},
            Role.MIGRATION_OFFICER,
        ),
        _step(
            "prepare_citizenship_application",
            {State.PROBATION, State.IN_SERVICE, State.DISCHARGED},
            Role.MIGRATION_OFFICER,
        ),
        _step(
            "decide_citizenship_application",
            {State.PROBATION, State.IN_SERVICE, State.DISCHARGED},
            Role.MIGRATION_OFFICER,
        ),
    )
}


def _in_allowed_state(step: Step, case: Case) -> bool:
    if case.state not in step.from_states:
        return False
    late = step.action == "record_special_check" and case.state is not State.SPECIAL_CHECK
    return not (late and case.facts.get("special_check") is not None)


def check_step(action: str, case: Case, actor: Actor) -> Step:
    """The role may take this step, and the case is in a state that allows it."""
    step = STEPS[action]
    if actor.role not in step.roles:
        raise NotPermitted(f"a {actor.role.value} may not {action.replace('_', ' ')}")
    if not _in_allowed_state(step, case):
        allowed = ", ".join(sorted(s.value for s in step.from_states))
        raise WrongState(
            f"cannot {action.replace('_', ' ')} a case that is {case.state.value}; "
            f"it must be {allowed}"
        )
    return step


def allowed_actions(case: Case, role: Role) -> list[str]:
    """The steps this role could take on this case now (before the law is asked)."""
    return [a for a, s in STEPS.items() if role in s.roles and _in_allowed_state(s, case)]

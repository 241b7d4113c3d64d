"""A volunteer's case while applying: submission, the checks, approval, rejection, withdrawal.

Every step checks its guard (the role may take it, the case is in a state that allows it and,
where the law decides, the engine as of that day says yes), then records who, when, why, the
answer and the law version, appends to the audit chain, and commits once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from guardpath.adapters import audit
from guardpath.adapters.submissions import seal_submission
from guardpath.cases.facts import engine_facts
from guardpath.cases.model import (
    Actor,
    Case,
    HistoryEntry,
    Person,
    Role,
    State,
)
from guardpath.cases.references import hash_resume_code, new_reference, new_resume_code
from guardpath.cases.transitions import STEPS, Conflict, LawSaysNo, check_step
from guardpath.law.answer_json import Reason
from guardpath.law.compiled import compile_question
from guardpath.law.evaluate import Answer
from guardpath.law.facts import RANK_GROUPS, parse_facts
from guardpath.law.timeline import answer as law_answer
from guardpath.services.applications import ApplicationIn
from guardpath.services.duplicates import screen_new_applicant, screening_of
from guardpath.services.limits import Limit, TooMany, counted, refuse_if_over, take
from guardpath.services.ports import Ports
from guardpath.services.unit_of_work import Work

SPECIAL_CHECK_RULE = "enlistment.foreigners.special_check"


@dataclass(frozen=True)
class Submitted:
    case: Case
    resume_code: str


def ask_the_law(ctx: Ports, question: str, case: Case, on: date) -> Answer:
    return law_answer(question, parse_facts(engine_facts(case)), on, ctx.legislation)


def _record(
    uow: Work,
    ctx: Ports,
    actor: Actor,
    case: Case,
    action: str,
    to_state: State,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
    answer: Answer | None = None,
) -> Case:
    """Move the case, write its history and the audit entry; the caller commits."""
    now = ctx.clock()
    from_state = case.state
    version = case.version if expected_version is None else expected_version
    case.state = to_state
    uow.cases.save(case, version, now)
    entry = HistoryEntry(
        seq=uow.cases.next_history_seq(case.id),
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor.id,
        role=actor.role,
        at=now,
        reason=reason,
        answer=dict(answer.as_json()) if answer else None,
        law_version=answer.law_version if answer else None,
    )
    uow.cases.append_history(case.id, entry)
    details: dict[str, Any] = {"from": from_state.value, "to": to_state.value}
    if answer is not None:
        details |= {"outcome": answer.outcome, "law_version": answer.law_version}
    uow.audit(audit.Entry(now, actor.id, actor.role.value, action, case.id, details))
    case.history.append(entry)
    return case


def _load(
    uow: Work, case_id: str, action: str, actor: Actor, expected_version: int | None = None
) -> Case:
    case = uow.cases.get(case_id)
    # A stale version is a conflict even where the other officer's step left the case in a
    # state that refuses this one: the caller decided on a case that is no longer there.
    stale = expected_version is not None and expected_version != case.version
    if stale and actor.role in STEPS[action].roles:
        raise Conflict(
            f"case {case.reference} was changed by someone else; reload it and try again"
        )
    check_step(action, case, actor)
    return case


# -- application ---------------------------------------------------------------------------
def submit_application(
    ctx: Ports,
    actor: Actor,
    application: ApplicationIn,
    *,
    limited: tuple[Limit, str] | None = None,
) -> Submitted:
    """Create a case from a complete application and submit it; returns the resume code once.

    `limited`, a limit and its subject (submissions per client address), is counted in the
    submission's own transaction: one commit for both. Over the limit, that transaction rolls
    back, the hit is counted alone and TooMany raised (services/limits.py's `counted`)."""
    if actor.role not in (Role.APPLICANT, Role.RECRUITER, Role.ADMIN):
        check_step("submit_application", _blank_case(), actor)
    if limited is not None:  # a flood is refused before the sealing and screening it would cost
        refuse_if_over(ctx, limited)
    now = ctx.clock()
    person_in = application.person
    person = Person(
        id=str(uuid.uuid4()),
        given_names=person_in.given_names,
        surname=person_in.surname,
        native_name=person_in.native_name,
        birth_date=person_in.birth_date,
        sex=person_in.sex,
        citizenships=tuple(person_in.citizenships),
        passport_number=person_in.passport_number,
        email=person_in.email,
        phone=person_in.phone,
    )
    # The case is created as a draft and submitted in one step: stored once, as submitted,
    # with that step's history entry and both audit entries (create_case, submit_application).
    case = Case(
        id=str(uuid.uuid4()),
        reference=new_reference(),
        person=person,
        formation=application.formation,
        state=State.SUBMITTED,
        facts=dict(application.facts),
        version=1,
        submitted_on=now.date(),
    )
    entry = HistoryEntry(
        1, "submit_application", State.DRAFT, State.SUBMITTED, actor.id, actor.role, now
    )
    case.history.append(entry)
    code = new_resume_code()
    # Everything that needs the keys but not the database is done before the transaction:
    # the resume code's hash, the blocking keys, the watch-list, the sealing and the MACs.
    screening = screening_of(ctx, person)
    sealed = seal_submission(
        ctx.keyring, case, now, hash_resume_code(ctx.keyring, code), screening.keys
    )
    moved = {"from": State.DRAFT.value, "to": State.SUBMITTED.value}
    try:
        with ctx.unit_of_work() as uow:
            # On PostgreSQL the rows' counters take the audit chain's lock, which every writer
            # takes; the limit's counter is hit after them, so its row lock adds no wait.
            uow.submissions.add(sealed)
            if limited is not None:
                counted(uow, ctx, limited)
            uow.audit(audit.Entry(now, actor.id, actor.role.value, "create_case", case.id, {}))
            uow.audit(
                audit.Entry(now, actor.id, actor.role.value, "submit_application", case.id, moved)
            )
            screen_new_applicant(uow, ctx, actor, case, screening)
            uow.commit()
    except TooMany:
        if limited is not None:  # the refusal, counted alone: the submission rolled back
            take(ctx, limited)
        raise
    return Submitted(case, code)


def _blank_case() -> Case:
    person = Person("", "", date(2000, 1, 1), "male", (), "")
    return Case("", "", person, "ngu", State.DRAFT)


def start_document_review(ctx: Ports, actor: Actor, case_id: str) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "start_document_review", actor)
        _record(uow, ctx, actor, case, "start_document_review", State.DOCUMENT_REVIEW)
        uow.commit()
    return case


def special_check_applies(ctx: Ports, on: date) -> bool:
    """Whether the law has the special check on this date (Law 4019-IX, from 2024-10-30)."""
    compiled = compile_question(ctx.legislation, "enlistment", on)
    return any(n.in_force for n in compiled.nodes if n.rule.name == SPECIAL_CHECK_RULE)


def record_document_check(
    ctx: Ports,
    actor: Actor,
    case_id: str,
    *,
    passed: bool,
    previously_convicted: bool | None = None,
    stay_basis: str | None = None,
    stay_valid_until: date | None = None,
    reason: str | None = None,
) -> Case:
    """Identity, legal stay and the criminal record were checked; the next step is the special
    check where the law has one on this date, else the medical commission."""
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "record_document_check", actor)
        updates = {
            "previously_convicted": previously_convicted,
            "stay_basis": stay_basis,
            "stay_valid_until": stay_valid_until.isoformat() if stay_valid_until else None,
        }
        case.facts |= {k: v for k, v in updates.items() if v is not None}
        parse_facts(engine_facts(case))  # refuse facts out of the contract before writing
        today = ctx.clock().date()
        if not passed:
            target = State.REJECTED
        elif special_check_applies(ctx, today):
            target = State.SPECIAL_CHECK
        else:
            target = State.MEDICAL
        _record(uow, ctx, actor, case, "record_document_check", target, reason=reason)
        uow.commit()
    return case


@dataclass(frozen=True)
class Result:
    """A check whose result is a fact: where it is recorded, what passes, what comes next."""

    fact: str
    good: str
    stage: State
    next_state: State


RESULTS = {
    "record_special_check": Result("special_check", "passed", State.SPECIAL_CHECK, State.MEDICAL),
    "record_medical_result": Result("medical", "fit", State.MEDICAL, State.PSYCHOLOGICAL),
    "record_psychological_result": Result(
        "psychological", "passed", State.PSYCHOLOGICAL, State.PHYSICAL
    ),
    "record_physical_result": Result("physical", "passed", State.PHYSICAL, State.INTERVIEW),
}


def _record_result(
    ctx: Ports, actor: Actor, case_id: str, action: str, value: str, reason: str | None
) -> Case:
    step = RESULTS[action]
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, action, actor)
        arrived = case.state
        case.facts[step.fact] = value
        parse_facts(engine_facts(case))
        if value != step.good:
            target = State.REJECTED
        elif arrived is not step.stage:
            target = arrived  # a check recorded late (see LATE_SPECIAL_CHECK) keeps the stage
        else:
            target = step.next_state
        _record(uow, ctx, actor, case, action, target, reason=reason)
        uow.commit()
    return case


def record_special_check(
    ctx: Ports, actor: Actor, case_id: str, result: str, reason: str | None = None
) -> Case:
    return _record_result(ctx, actor, case_id, "record_special_check", result, reason)


def record_medical_result(
    ctx: Ports, actor: Actor, case_id: str, result: str, reason: str | None = None
) -> Case:
    return _record_result(ctx, actor, case_id, "record_medical_result", result, reason)


def record_psychological_result(
    ctx: Ports, actor: Actor, case_id: str, result: str, reason: str | None = None
) -> Case:
    return _record_result(ctx, actor, case_id, "record_psychological_result", result, reason)


def record_physical_result(
    ctx: Ports, actor: Actor, case_id: str, result: str, reason: str | None = None
) -> Case:
    return _record_result(ctx, actor, case_id, "record_physical_result", result, reason)


def approve(
    ctx: Ports,
    actor: Actor,
    case_id: str,
    *,
    rank_group: str,
    female_post_vacant: bool | None = None,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Case:
    """Approve after the interview: the law as of today must say the person may enlist."""
    if rank_group not in RANK_GROUPS:
        raise ValueError(f"rank_group: expected one of {', '.join(RANK_GROUPS)}")
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "approve", actor, expected_version)
        case.facts["rank_group"] = rank_group
        if female_post_vacant is not None:
            case.facts["female_post_vacant"] = female_post_vacant
        answer = ask_the_law(ctx, "enlistment", case, ctx.clock().date())
        if answer.outcome != "eligible":
            raise LawSaysNo(_why_not(answer))
        _record(
            uow,
            ctx,
            actor,
            case,
            "approve",
            State.APPROVED,
            expected_version=expected_version,
            reason=reason,
            answer=answer,
        )
        uow.commit()
    return case


def _why_not(answer: Answer) -> str:
    if answer.outcome == "undetermined":
        return f"the law cannot decide yet; missing: {', '.join(answer.missing) or 'law unknown'}"
    failed = [r["label"] for r in _leaves(answer.reasons) if r["status"] == "not_met"]
    return "the law says no: " + "; ".join(failed)


def _leaves(reasons: list[Reason]) -> list[Reason]:
    found: list[Reason] = []
    for reason in reasons:
        found += _leaves(reason["children"]) if reason["children"] else [reason]
    return found


def reject(
    ctx: Ports, actor: Actor, case_id: str, reason: str, expected_version: int | None = None
) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "reject", actor, expected_version)
        _record(
            uow,
            ctx,
            actor,
            case,
            "reject",
            State.REJECTED,
            expected_version=expected_version,
            reason=reason,
        )
        uow.commit()
    return case


def withdraw(ctx: Ports, actor: Actor, case_id: str, reason: str | None = None) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "withdraw", actor)
        _record(uow, ctx, actor, case, "withdraw", State.WITHDRAWN, reason=reason)
        uow.commit()
    return case

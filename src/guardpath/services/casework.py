"""A staff member working cases from the console: the queues of each role, which cases a role
may open, opening a case with the law's answer today and the steps on offer, and the checks
before a step taken from a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guardpath.adapters import audit
from guardpath.adapters.case_lists import Glance
from guardpath.cases.facts import engine_facts
from guardpath.cases.model import SERVING_STATES, Actor, Case, CitizenshipState, Role, State
from guardpath.cases.transitions import (
    STEPS,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    allowed_actions,
)
from guardpath.law.evaluate import Answer
from guardpath.law.facts import parse_facts
from guardpath.law.timeline import answer as law_answer
from guardpath.services.cases import CITIZENSHIP_NEXT, contract_terms, view_case
from guardpath.services.documents import DocumentInfo
from guardpath.services.ports import Ports
from guardpath.services.staff import CASE_ROLES
from guardpath.services.unit_of_work import Work

# Steps the console offers; a staff member never submits an application from a case page.
CONSOLE_STEPS = tuple(name for name in STEPS if name != "submit_application")


@dataclass(frozen=True)
class Queue:
    """Cases waiting for a role: in these states (and, for citizenship, with an application
    in these states)."""

    key: str
    states: frozenset[State]
    citizenship: frozenset[CitizenshipState] = frozenset()


def _queue(state: State) -> Queue:
    return Queue(state.value, frozenset({state}))


QUEUES: dict[Role, tuple[Queue, ...]] = {
    Role.RECRUITER: (
        _queue(State.SUBMITTED),
        _queue(State.DOCUMENT_REVIEW),
        _queue(State.PHYSICAL),
    ),
    Role.VETTING_OFFICER: (_queue(State.SPECIAL_CHECK),),
    Role.MEDICAL_OFFICER: (_queue(State.MEDICAL), _queue(State.PSYCHOLOGICAL)),
    Role.COMMANDER: tuple(
        _queue(s)
        for s in (
            State.INTERVIEW,
            State.APPROVED,
            State.CONTRACT_SIGNED,
            State.PROBATION,
            State.IN_SERVICE,
        )
    ),
    Role.MIGRATION_OFFICER: (
        _queue(State.IN_SERVICE),
        _queue(State.DISCHARGED),
        Queue(
            "citizenship",
            SERVING_STATES | {State.DISCHARGED},
            frozenset({CitizenshipState.PREPARED, CitizenshipState.SUBMITTED}),
        ),
    ),
    Role.ADMIN: tuple(_queue(s) for s in State),
}


def visible_states(role: Role) -> frozenset[State]:
    """The states of the cases a role may open: its queues, and where it may take a step."""
    if role is Role.ADMIN:
        return frozenset(State)
    if role not in CASE_ROLES:
        return frozenset()
    queued = {state for queue in QUEUES.get(role, ()) for state in queue.states}
    acting = {s for step in STEPS.values() if role in step.roles for s in step.from_states}
    return frozenset(queued | acting) - {State.DRAFT}


def may_open(role: Role, state: State) -> bool:
    return state in visible_states(role)


@dataclass(frozen=True)
class CaseView:
    """What the case page shows: the case (read through view_case, so logged), the law's
    answer as of today, the documents and the steps this role may take now."""

    case: Case
    answer: Answer
    documents: list[DocumentInfo]
    actions: list[str]
    contract_years: tuple[int, int] | None = None
    citizenship_next: tuple[CitizenshipState, ...] = ()
    actors: dict[str, str] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()
    """Steps the role could take at this stage that the law, as of today, would refuse."""


def question_for(state: State) -> str:
    """Enlistment until service begins; citizenship from then on."""
    return "citizenship" if state in SERVING_STATES | {State.DISCHARGED} else "enlistment"


def _glance(uow: Work, case_id: str) -> Glance:
    found = uow.case_lists.glance(case_id)
    if found is None:
        raise NotFound(f"no case {case_id}")
    return found


def check_may_open(ctx: Ports, actor: Actor, case_id: str) -> str:
    """Before anything is decrypted: the role opens records, and cases in this state.
    Returns the case's reference."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not open a person's record")
    with ctx.reading() as uow:
        found = _glance(uow, case_id)
    if not may_open(actor.role, found.state):
        raise NotPermitted(f"a {actor.role.value} does not work cases that are {found.state.value}")
    return found.reference


def open_case(ctx: Ports, actor: Actor, case_id: str, language: str = "en") -> CaseView:
    check_may_open(ctx, actor, case_id)
    case = view_case(ctx, actor, case_id)
    today = ctx.clock().date()
    answer = law_answer(
        question_for(case.state), parse_facts(engine_facts(case)), today, ctx.legislation, language
    )
    actions = [a for a in CONSOLE_STEPS if a in allowed_actions(case, actor.role)]
    following = CITIZENSHIP_NEXT.get(case.citizenship.state, set()) if case.citizenship else set()
    if case.citizenship is not None:
        actions = [a for a in actions if a != "prepare_citizenship_application"]
    if not following:
        actions = [a for a in actions if a != "decide_citizenship_application"]
    # Preparing needs the law's yes: not offered while the answer is no or still open (the
    # facts it lacks are recorded by the steps on offer, the state award included).
    withheld: tuple[str, ...] = ()
    if "prepare_citizenship_application" in actions and answer.outcome != "eligible":
        actions.remove("prepare_citizenship_application")
        withheld = ("prepare_citizenship_application",)
    with ctx.reading() as uow:
        documents = uow.documents.of_case(case.id)
        # Staff usernames for the history (an applicant's steps carry no staff id).
        actors = uow.staff.usernames({entry.actor_id for entry in case.history})
    return CaseView(
        case=case,
        answer=answer,
        documents=documents,
        actions=actions,
        contract_years=_contract_years(ctx, case, today) if "sign_contract" in actions else None,
        citizenship_next=tuple(s for s in CitizenshipState if s in following),
        actors=actors,
        withheld=withheld,
    )


def _contract_years(ctx: Ports, case: Case, on: date) -> tuple[int, int] | None:
    try:
        low, high, _ = contract_terms(ctx, str(case.facts.get("rank_group")), on)
    except (LawSaysNo, KeyError):
        return None
    return (low, high) if low is not None and high is not None else None


@dataclass(frozen=True)
class Document:
    kind: str
    media_type: str
    content: bytes
    reference: str


def read_document(ctx: Ports, actor: Actor, case_id: str, document_id: str) -> Document:
    """A document of a case, opened for a role that may open the case; the read is logged."""
    reference = check_may_open(ctx, actor, case_id)
    with ctx.unit_of_work() as uow:
        # Only a document of this case is opened.
        opened = None
        if document_id in {d.id for d in uow.documents.of_case(case_id)}:
            opened = uow.documents.open(document_id)
        if opened is None:
            raise NotFound(f"no document {document_id} in case {case_id}")
        info, content = opened
        details = {"document": info.id, "kind": info.kind}
        entry = audit.Entry(
            ctx.clock(), actor.id, actor.role.value, "read_document", case_id, details
        )
        uow.audit(entry)
        uow.commit()
    return Document(info.kind, info.media_type, content, reference)


def check_may_take(actor: Actor, action: str) -> None:
    """The role may take this step at all (the case's state is the step's own check)."""
    step = STEPS.get(action)
    if step is None or action not in CONSOLE_STEPS:
        raise NotFound(f"no step {action}")
    if actor.role not in step.roles:
        raise NotPermitted(f"a {actor.role.value} may not {action.replace('_', ' ')}")


def prepare_step(ctx: Ports, actor: Actor, case_id: str, action: str, version: int) -> None:
    """Before a step from a page: the role may take it at all, and the case is still the
    version the page showed (else Conflict: someone changed it since)."""
    check_may_take(actor, action)
    with ctx.reading() as uow:
        current = _glance(uow, case_id).version
    if current != version:
        raise Conflict("the case was changed by someone else; reload it and try again")


@dataclass(frozen=True)
class Whereabouts:
    """Where a case stands after a step: its stage, and who works it now. Names no one."""

    case_id: str
    reference: str
    state: State
    citizenship: CitizenshipState | None
    holders: tuple[Role, ...]
    may_open: bool


def holders_of(state: State, citizenship: CitizenshipState | None) -> tuple[Role, ...]:
    """The roles (the administrator aside) with the case in one of their queues."""
    return tuple(
        role
        for role, queues in QUEUES.items()
        if role is not Role.ADMIN
        and any(
            state in q.states and (not q.citizenship or citizenship in q.citizenship)
            for q in queues
        )
    )


def where_case_is(ctx: Ports, actor: Actor, case_id: str) -> Whereabouts:
    """After a step from the console: the case's reference and stage, read without opening the
    person's record, so the officer hears where it went even when it has left the role's work."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} does not work cases")
    with ctx.reading() as uow:
        found = _glance(uow, case_id)
    state, citizenship = found.state, found.citizenship
    return Whereabouts(
        case_id,
        found.reference,
        state,
        citizenship,
        holders_of(state, citizenship),
        may_open(actor.role, state),
    )

"""A staff member working cases from the console: the queues of each role, which cases a role
may open, opening a case with the law's answer today and the steps on offer, and the checks
before a step taken from a page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from guardpath.adapters import audit
from guardpath.adapters.tables import cases, citizenship_applications, staff_users
from guardpath.bootstrap import Context, UnitOfWork
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
from guardpath.services.documents import DocumentInfo, documents_of_case, open_document
from guardpath.services.staff import CASE_ROLES

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


def _check_may_open(ctx: Context, actor: Actor, case_id: str) -> str:
    """Before anything is decrypted: the role opens records, and cases in this state.
    Returns the case's reference."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} may not open a person's record")
    with ctx.engine.connect() as conn:
        row = conn.execute(
            select(cases.c.state, cases.c.reference).where(cases.c.id == case_id)
        ).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    if not may_open(actor.role, State(row.state)):
        raise NotPermitted(f"a {actor.role.value} does not work cases that are {row.state}")
    return str(row.reference)


def open_case(ctx: Context, actor: Actor, case_id: str, language: str = "en") -> CaseView:
    _check_may_open(ctx, actor, case_id)
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
    return CaseView(
        case=case,
        answer=answer,
        documents=documents_of_case(ctx, case.id),
        actions=actions,
        contract_years=_contract_years(ctx, case, today) if "sign_contract" in actions else None,
        citizenship_next=tuple(s for s in CitizenshipState if s in following),
        actors=_usernames(ctx, {entry.actor_id for entry in case.history}),
        withheld=withheld,
    )


def _usernames(ctx: Context, user_ids: set[str]) -> dict[str, str]:
    """Staff usernames for the history (an applicant's steps carry no staff id)."""
    query = select(staff_users.c.id, staff_users.c.username).where(staff_users.c.id.in_(user_ids))
    with ctx.engine.connect() as conn:
        return {row.id: row.username for row in conn.execute(query)}


def _contract_years(ctx: Context, case: Case, on: date) -> tuple[int, int] | None:
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


def read_document(ctx: Context, actor: Actor, case_id: str, document_id: str) -> Document:
    """A document of a case, opened for a role that may open the case; the read is logged."""
    reference = _check_may_open(ctx, actor, case_id)
    if document_id not in {d.id for d in documents_of_case(ctx, case_id)}:
        raise NotFound(f"no document {document_id} in case {case_id}")
    info, content = open_document(ctx, document_id)
    with UnitOfWork(ctx) as uow:
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


def prepare_step(ctx: Context, actor: Actor, case_id: str, action: str, version: int) -> None:
    """Before a step from a page: the role may take it at all, and the case is still the
    version the page showed (else Conflict: someone changed it since)."""
    check_may_take(actor, action)
    with ctx.engine.connect() as conn:
        current = conn.execute(select(cases.c.version).where(cases.c.id == case_id)).scalar()
    if current is None:
        raise NotFound(f"no case {case_id}")
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


def where_case_is(ctx: Context, actor: Actor, case_id: str) -> Whereabouts:
    """After a step from the console: the case's reference and stage, read without opening the
    person's record, so the officer hears where it went even when it has left the role's work."""
    if actor.role not in CASE_ROLES:
        raise NotPermitted(f"a {actor.role.value} does not work cases")
    table = citizenship_applications
    query = (
        select(cases.c.reference, cases.c.state, table.c.state.label("citizenship"))
        .outerjoin(table, table.c.case_id == cases.c.id)
        .where(cases.c.id == case_id)
    )
    with ctx.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no case {case_id}")
    state = State(row.state)
    citizenship = CitizenshipState(row.citizenship) if row.citizenship else None
    return Whereabouts(
        case_id,
        str(row.reference),
        state,
        citizenship,
        holders_of(state, citizenship),
        may_open(actor.role, state),
    )

"""A volunteer's case once approved: contract, service, awards, discharge and citizenship, and
opening the record; each step as the applying ones, one transaction each.
"""

from __future__ import annotations

from datetime import date

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.model import (
    Actor,
    Case,
    CitizenshipApplication,
    CitizenshipState,
    Contract,
    Role,
    ServicePeriod,
    State,
)
from guardpath.cases.transitions import LawSaysNo, WrongState
from guardpath.law.dates import add_months, add_years
from guardpath.services.cases.applying import _load, _record, _why_not, ask_the_law
from guardpath.services.ports import Ports


# -- contract and service --------------------------------------------------------------------
def contract_terms(ctx: Ports, rank_group: str, on: date) -> tuple[int | None, int | None, int]:
    """(min years, max years, probation months) from the legislation on `on`."""
    params = ctx.legislation.parameters
    base = "enlistment.contract.first_term"
    low = params[f"{base}.{rank_group}_min_years"].value_on(on)
    high = params[f"{base}.{rank_group}_max_years"].value_on(on)
    probation = params["enlistment.contract.probation_months"].value_on(on)
    if not isinstance(probation, int):
        raise LawSaysNo("the probation period is not known on this date")
    return (
        low if isinstance(low, int) else None,
        high if isinstance(high, int) else None,
        probation,
    )


def sign_contract(ctx: Context, actor: Actor, case_id: str, *, years: int | None = None) -> Case:
    """Sign the first contract: its length within the legislation's terms for the rank group."""
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "sign_contract", actor)
        today = ctx.clock().date()
        rank_group = str(case.facts.get("rank_group"))
        low, high, probation = contract_terms(ctx, rank_group, today)
        if low is None or high is None:
            raise LawSaysNo(f"the law gives no first-contract term for a {rank_group} yet")
        years = low if years is None else years
        if not low <= years <= high:
            raise ValueError(f"years: a {rank_group}'s first contract runs {low} to {high} years")
        case.contract = Contract(
            signed_on=today,
            rank_group=rank_group,
            years=years,
            probation_months=probation,
            ends_on=add_years(today, years),
            probation_ends_on=add_months(today, probation),
            law_version=ctx.legislation.version,
        )
        uow.cases.save_contract(case.id, case.contract)
        _record(uow, ctx, actor, case, "sign_contract", State.CONTRACT_SIGNED)
        uow.commit()
    return case


def start_service(ctx: Context, actor: Actor, case_id: str) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "start_service", actor)
        period = ServicePeriod(case.formation, "contract", ctx.clock().date())
        uow.cases.add_service_period(case.id, period)
        case.service_periods.append(period)
        _record(uow, ctx, actor, case, "start_service", State.PROBATION)
        uow.commit()
    return case


def complete_probation(ctx: Context, actor: Actor, case_id: str) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "complete_probation", actor)
        if case.contract and ctx.clock().date() < case.contract.probation_ends_on:
            ends = case.contract.probation_ends_on.isoformat()
            raise WrongState(f"probation runs until {ends}")
        _record(uow, ctx, actor, case, "complete_probation", State.IN_SERVICE)
        uow.commit()
    return case


def record_award(ctx: Context, actor: Actor, case_id: str, reason: str | None = None) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "record_award", actor)
        case.facts["state_award"] = True
        _record(uow, ctx, actor, case, "record_award", case.state, reason=reason)
        uow.commit()
    return case


def record_state_award(
    ctx: Context, actor: Actor, case_id: str, awarded: bool, reason: str | None = None
) -> Case:
    """The migration officer records whether the serviceman holds a state award (yes or no),
    the fact the state-award route of citizenship rests on; the step is in the history."""
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "record_state_award", actor)
        case.facts["state_award"] = awarded
        _record(uow, ctx, actor, case, "record_state_award", case.state, reason=reason)
        uow.commit()
    return case


def discharge(ctx: Context, actor: Actor, case_id: str, reason: str | None = None) -> Case:
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "discharge", actor)
        today = ctx.clock().date()
        uow.cases.end_service_period(case.id, today)
        for period in case.service_periods:
            period.end = period.end or today
        _record(uow, ctx, actor, case, "discharge", State.DISCHARGED, reason=reason)
        uow.commit()
    return case


# -- citizenship -----------------------------------------------------------------------------
def prepare_citizenship_application(ctx: Context, actor: Actor, case_id: str) -> Case:
    """The law as of today must find the serviceman eligible; the application names its route."""
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "prepare_citizenship_application", actor)
        if case.citizenship is not None:
            raise WrongState("a citizenship application is already prepared for this case")
        today = ctx.clock().date()
        answer = ask_the_law(ctx, "citizenship", case, today)
        if answer.outcome != "eligible" or answer.route is None:
            raise LawSaysNo(_why_not(answer))
        case.citizenship = CitizenshipApplication(
            state=CitizenshipState.PREPARED,
            route=answer.route,
            prepared_on=today,
            earliest_date=answer.earliest_date,
            obligations=tuple(o["name"] for o in answer.obligations),
            law_version=answer.law_version,
        )
        uow.cases.save_citizenship(case.id, case.citizenship)
        _record(uow, ctx, actor, case, "prepare_citizenship_application", case.state, answer=answer)
        uow.commit()
    return case


CITIZENSHIP_NEXT = {
    CitizenshipState.PREPARED: {CitizenshipState.SUBMITTED},
    CitizenshipState.SUBMITTED: {CitizenshipState.GRANTED, CitizenshipState.REFUSED},
}


def decide_citizenship_application(
    ctx: Context, actor: Actor, case_id: str, to: CitizenshipState, reason: str | None = None
) -> Case:
    """Move the citizenship application: prepared → submitted → granted or refused."""
    with ctx.unit_of_work() as uow:
        case = _load(uow, case_id, "decide_citizenship_application", actor)
        application = case.citizenship
        if application is None or to not in CITIZENSHIP_NEXT.get(application.state, set()):
            current = application.state.value if application else "not prepared"
            raise WrongState(f"a citizenship application that is {current} cannot become {to}")
        application.state = to
        if to in (CitizenshipState.GRANTED, CitizenshipState.REFUSED):
            application.decided_on = ctx.clock().date()
        uow.cases.save_citizenship(case.id, application)
        _record(uow, ctx, actor, case, f"citizenship_{to.value}", case.state, reason=reason)
        uow.commit()
    return case


# -- reading -----------------------------------------------------------------------------------
def view_case(ctx: Ports, actor: Actor, case_id: str) -> Case:
    """A staff member opens a person's record: allowed to case-working roles, and logged."""
    if actor.role in (Role.ANALYST, Role.APPLICANT):
        from guardpath.cases.transitions import NotPermitted

        raise NotPermitted(f"a {actor.role.value} may not open a person's record")
    with ctx.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        details = {"reference": case.reference}
        uow.audit(
            audit.Entry(ctx.clock(), actor.id, actor.role.value, "read_person", case.id, details)
        )
        uow.commit()
    return case

"""Every step's guard, through the services: refused, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, CitizenshipState, Role, State
from guardpath.cases.transitions import STEPS, LawSaysNo, NotFound, NotPermitted, WrongState
from guardpath.law.dates import add_years
from guardpath.services import cases as services

from .conftest import WHO_MAY, Cast, FakeClock, Journey, Snapshot, Staff

pytestmark = pytest.mark.integration

Call = Callable[[Context, Actor, str], Any]

CALLS: dict[str, Call] = {
    "submit_application": lambda ctx, actor, _id: services.submit_application(
        ctx, actor, Cast().american()
    ),
    "start_document_review": services.start_document_review,
    "record_document_check": lambda ctx, actor, case_id: services.record_document_check(
        ctx, actor, case_id, passed=True, stay_basis="visa_free", stay_valid_until=date(2026, 1, 1)
    ),
    "record_special_check": lambda c, a, i: services.record_special_check(c, a, i, "passed"),
    "record_medical_result": lambda c, a, i: services.record_medical_result(c, a, i, "fit"),
    "record_psychological_result": lambda c, a, i: services.record_psychological_result(
        c, a, i, "passed"
    ),
    "record_physical_result": lambda c, a, i: services.record_physical_result(c, a, i, "passed"),
    "approve": lambda c, a, i: services.approve(c, a, i, rank_group="private"),
    "reject": lambda c, a, i: services.reject(c, a, i, reason="not suitable"),
    "withdraw": services.withdraw,
    "sign_contract": services.sign_contract,
    "start_service": services.start_service,
    "complete_probation": services.complete_probation,
    "record_award": services.record_award,
    "discharge": services.discharge,
    "record_state_award": lambda c, a, i: services.record_state_award(c, a, i, awarded=False),
    "prepare_citizenship_application": services.prepare_citizenship_application,
    "decide_citizenship_application": lambda c, a, i: services.decide_citizenship_application(
        c, a, i, CitizenshipState.SUBMITTED
    ),
}


def test_it_has_a_guard_test_for_every_step() -> None:
    assert set(CALLS) == set(STEPS) == set(WHO_MAY)


def test_it_refuses_every_step_to_every_role_that_may_not_take_it(
    ctx: Context, cast: Cast, journey: Journey, tables: Callable[[Context], Snapshot]
) -> None:
    # Role comes before state: the case can stand anywhere and only the role is tried.
    case_id = journey.submit(cast.american())
    before = tables(ctx)
    refused = []
    for action, (roles, _) in sorted(WHO_MAY.items()):
        for role in sorted(set(Role) - roles - {Role.ADMIN}):
            with pytest.raises(NotPermitted, match=f"a {role.value} may not"):
                CALLS[action](ctx, Staff.of(role), case_id)
            refused.append((action, role))
    assert len(refused) > 60
    assert tables(ctx) == before


def test_it_refuses_every_step_from_a_state_that_does_not_allow_it(
    ctx: Context, cast: Cast, journey: Journey, tables: Callable[[Context], Snapshot]
) -> None:
    submitted = journey.submit(cast.american())
    withdrawn = journey.submit(cast.georgian())
    services.withdraw(ctx, Staff.applicant, withdrawn, reason="changed her mind")
    before = tables(ctx)
    for action in sorted(set(WHO_MAY) - {"submit_application"}):
        case_id = withdrawn if State.SUBMITTED in WHO_MAY[action][1] else submitted
        with pytest.raises(WrongState, match=f"cannot {action.replace('_', ' ')}"):
            CALLS[action](ctx, Staff.admin, case_id)
    assert tables(ctx) == before


def test_it_refuses_to_move_a_case_that_does_not_exist(ctx: Context) -> None:
    with pytest.raises(NotFound):
        services.start_document_review(ctx, Staff.recruiter, "no-such-case")


def test_it_refuses_to_approve_a_61_year_old_and_changes_nothing(
    ctx: Context,
    clock: FakeClock,
    cast: Cast,
    journey: Journey,
    tables: Callable[[Context], Snapshot],
) -> None:
    case_id = journey.submit(cast.american(birth_date="1963-07-01"))
    journey.to_interview(case_id)
    before = tables(ctx)
    with pytest.raises(LawSaysNo, match="Within the age limits for contract service"):
        services.approve(ctx, Staff.commander, case_id, rank_group="private")
    assert tables(ctx) == before
    case = journey.load(case_id)
    assert (case.state, case.version) == (State.INTERVIEW, 7)
    assert "rank_group" not in case.facts


@pytest.mark.parametrize(
    ("born", "approved"),
    [
        pytest.param("1965-01-11", True, id="the-last-day-of-59-is-within-the-limit"),
        # aged 60 the law cannot decide: the 60th or the 61st birthday (domain brief §8 item 2)
        pytest.param("1965-01-10", None, id="turning-60-that-day-is-undetermined"),
        pytest.param("1964-01-11", None, id="the-last-day-of-60-is-undetermined"),
        pytest.param("1964-01-10", False, id="turning-61-that-day-is-past-the-limit-of-art-22"),
    ],
)
def test_it_draws_the_age_limit_on_the_day_of_approval(
    sqlite_ctx: Context,
    clock: FakeClock,
    cast: Cast,
    sqlite_journey: Journey,
    born: str,
    approved: bool | None,
) -> None:
    clock.set("2025-01-02")
    case_id = sqlite_journey.submit(cast.american(birth_date=born))
    sqlite_journey.to_interview(case_id)
    clock.set("2025-01-10")
    if approved:
        case = services.approve(sqlite_ctx, Staff.commander, case_id, rank_group="private")
        assert case.state is State.APPROVED
    elif approved is None:
        with pytest.raises(LawSaysNo, match="cannot decide yet"):
            services.approve(sqlite_ctx, Staff.commander, case_id, rank_group="private")
    else:
        with pytest.raises(LawSaysNo, match="age limits"):
            services.approve(sqlite_ctx, Staff.commander, case_id, rank_group="private")


@pytest.mark.parametrize(
    ("step", "result"),
    [
        ("record_medical_result", "unfit"),
        ("record_psychological_result", "failed"),
        ("record_physical_result", "failed"),
    ],
)
def test_it_rejects_a_volunteer_who_fails_a_check_and_approves_nothing_after(
    sqlite_ctx: Context, cast: Cast, sqlite_journey: Journey, step: str, result: str
) -> None:
    ctx, journey = sqlite_ctx, sqlite_journey
    case_id = journey.submit(cast.american())
    services.start_document_review(ctx, Staff.recruiter, case_id)
    services.record_document_check(
        ctx,
        Staff.recruiter,
        case_id,
        passed=True,
        stay_basis="visa_free",
        stay_valid_until=date(2026, 1, 1),
        previously_convicted=False,
    )
    services.record_special_check(ctx, Staff.vetting, case_id, "passed")
    order = ["record_medical_result", "record_psychological_result", "record_physical_result"]
    good = {"record_medical_result": "fit"}
    for earlier in order[: order.index(step)]:
        getattr(services, earlier)(ctx, Staff.admin, case_id, good.get(earlier, "passed"))
    case = getattr(services, step)(ctx, Staff.admin, case_id, result)
    assert case.state is State.REJECTED
    stored = journey.load(case_id)
    assert (stored.state, stored.history[-1].action) == (State.REJECTED, step)
    with pytest.raises(WrongState):
        services.approve(ctx, Staff.commander, case_id, rank_group="private")


def test_it_refuses_a_citizenship_application_the_law_says_is_too_early(
    ctx: Context,
    clock: FakeClock,
    cast: Cast,
    journey: Journey,
    tables: Callable[[Context], Snapshot],
) -> None:
    case_id = journey.submit(cast.american())
    started = journey.to_service(case_id)
    start = started.service_periods[0].start
    clock.set(add_years(start, 1) - timedelta(days=1))
    before = tables(ctx)
    with pytest.raises(LawSaysNo, match="the law says no"):
        services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    assert tables(ctx) == before
    assert journey.load(case_id).citizenship is None
    clock.advance(days=1)  # a year of contract service in martial law
    case = services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    assert case.citizenship is not None


def test_it_refuses_to_end_probation_before_its_two_months(
    ctx: Context,
    clock: FakeClock,
    cast: Cast,
    journey: Journey,
    tables: Callable[[Context], Snapshot],
) -> None:
    case_id = journey.submit(cast.american())
    case = journey.to_probation(case_id)
    assert case.contract is not None
    clock.set(case.contract.probation_ends_on - timedelta(days=1))
    before = tables(ctx)
    with pytest.raises(WrongState, match=f"until {case.contract.probation_ends_on}"):
        services.complete_probation(ctx, Staff.commander, case_id)
    assert tables(ctx) == before
    clock.advance(days=1)
    assert services.complete_probation(ctx, Staff.commander, case_id).state is State.IN_SERVICE


def test_it_refuses_facts_outside_the_contract_before_writing(
    ctx: Context, cast: Cast, journey: Journey, tables: Callable[[Context], Snapshot]
) -> None:
    case_id = journey.submit(cast.american())
    services.start_document_review(ctx, Staff.recruiter, case_id)
    before = tables(ctx)
    with pytest.raises(ValueError, match="stay_basis"):
        services.record_document_check(
            ctx, Staff.recruiter, case_id, passed=True, stay_basis="tourist"
        )
    with pytest.raises(ValueError, match="rank_group"):
        services.approve(ctx, Staff.commander, case_id, rank_group="general")
    assert tables(ctx) == before

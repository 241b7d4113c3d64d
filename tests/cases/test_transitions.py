"""Who may take which step from which state: the domain alone, no database (fast)."""

from __future__ import annotations

from datetime import date

import pytest

from guardpath.cases.model import (
    APPLYING_STATES,
    CLOSED_STATES,
    SERVING_STATES,
    Actor,
    Case,
    Person,
    Role,
    State,
)
from guardpath.cases.transitions import (
    STEPS,
    NotPermitted,
    WrongState,
    allowed_actions,
    check_step,
)

from .conftest import WHO_MAY


def case_in(state: State) -> Case:
    person = Person("John", "Miller", date(1990, 5, 10), "male", ("US",), "561234789")
    return Case("c-1", "GP-TEST", person, "ngu", state)


@pytest.mark.parametrize("action", sorted(WHO_MAY))
def test_it_gives_each_step_to_the_roles_and_states_of_the_process(action: str) -> None:
    roles, states = WHO_MAY[action]
    assert STEPS[action].roles == roles | {Role.ADMIN}
    assert STEPS[action].from_states == states


def test_it_knows_no_step_the_process_does_not_name() -> None:
    assert set(STEPS) == set(WHO_MAY)


def test_it_lets_an_analyst_take_no_step_on_any_case() -> None:
    for state in State:
        assert allowed_actions(case_in(state), Role.ANALYST) == []


def test_it_lets_an_applicant_only_submit_and_withdraw() -> None:
    steps = {a for s in State for a in allowed_actions(case_in(s), Role.APPLICANT)}
    assert steps == {"submit_application", "withdraw"}


def test_it_lets_the_medical_officer_record_only_the_vlk_and_psychological_results() -> None:
    steps = {a for s in State for a in allowed_actions(case_in(s), Role.MEDICAL_OFFICER)}
    assert steps == {"record_medical_result", "record_psychological_result"}


def test_it_keeps_the_special_check_to_the_vetting_officer_and_the_admin() -> None:
    assert STEPS["record_special_check"].roles == {Role.VETTING_OFFICER, Role.ADMIN}


def test_it_lets_the_admin_take_every_step_the_state_allows() -> None:
    for state in State:
        case = case_in(state)
        expected = [a for a, step in STEPS.items() if state in step.from_states]
        assert allowed_actions(case, Role.ADMIN) == expected


def test_it_allows_no_step_on_a_rejected_or_withdrawn_case() -> None:
    for state in (State.REJECTED, State.WITHDRAWN):
        for role in Role:
            assert allowed_actions(case_in(state), role) == []


def test_it_still_lets_a_discharged_veteran_apply_for_citizenship() -> None:
    assert allowed_actions(case_in(State.DISCHARGED), Role.MIGRATION_OFFICER) == [
        "record_state_award",
        "prepare_citizenship_application",
        "decide_citizenship_application",
    ]


def test_it_never_rejects_or_withdraws_a_serving_soldier_as_if_applying() -> None:
    for state in SERVING_STATES:
        actions = allowed_actions(case_in(state), Role.ADMIN)
        assert "reject" not in actions
        assert "withdraw" not in actions


def test_it_lets_an_applicant_withdraw_at_every_applying_stage() -> None:
    for state in APPLYING_STATES:
        assert "withdraw" in allowed_actions(case_in(state), Role.APPLICANT)


@pytest.mark.parametrize("action", sorted(STEPS))
def test_it_names_the_role_when_it_refuses_a_step(action: str) -> None:
    outsider = next(r for r in Role if r not in STEPS[action].roles)
    with pytest.raises(NotPermitted, match=outsider.value):
        check_step(action, case_in(next(iter(STEPS[action].from_states))), Actor("x", outsider))


@pytest.mark.parametrize("action", sorted(STEPS))
def test_it_names_the_state_when_it_refuses_a_step(action: str) -> None:
    state = next(s for s in State if s not in STEPS[action].from_states)
    with pytest.raises(WrongState, match=f"a case that is {state.value}"):
        check_step(action, case_in(state), Actor("admin", Role.ADMIN))


def test_it_checks_the_role_before_the_state() -> None:
    with pytest.raises(NotPermitted):
        check_step("approve", case_in(State.REJECTED), Actor("analyst", Role.ANALYST))


def test_it_closes_exactly_the_discharged_rejected_and_withdrawn_states() -> None:
    assert {State.DISCHARGED, State.REJECTED, State.WITHDRAWN} == CLOSED_STATES

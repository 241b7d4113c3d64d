"""A volunteer's whole path, application to citizenship, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, CitizenshipState, HistoryEntry, State
from guardpath.cases.transitions import LawSaysNo, WrongState
from guardpath.services import cases as services

from .conftest import Cast, FakeClock, Journey, Staff

pytestmark = pytest.mark.integration


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC, PostgreSQL the session's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def who_when_what(entry: HistoryEntry) -> tuple[object, ...]:
    return (
        entry.seq,
        entry.actor_id,
        entry.role.value,
        utc(entry.at),
        entry.action,
        entry.from_state.value if entry.from_state else None,
        entry.to_state.value,
    )


def test_it_takes_an_american_volunteer_from_application_to_citizenship(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    s = Staff
    steps: list[tuple[object, ...]] = []

    def expect(actor: Actor, action: str, from_state: str | None, to_state: str) -> None:
        """The history entry this step must leave: who, when, what, from and to."""
        row = (len(steps) + 1, actor.id, actor.role.value, clock(), action, from_state, to_state)
        steps.append(row)

    submitted = services.submit_application(ctx, s.applicant, cast.american())
    case_id = submitted.case.id
    assert submitted.case.state is State.SUBMITTED
    assert submitted.resume_code.count("-") == 3
    expect(s.applicant, "submit_application", "draft", "submitted")

    clock.advance(days=2)
    services.start_document_review(ctx, s.recruiter, case_id)
    expect(s.recruiter, "start_document_review", "submitted", "document_review")
    clock.advance(hours=3)
    services.record_document_check(
        ctx,
        s.recruiter,
        case_id,
        passed=True,
        previously_convicted=False,
        stay_basis="temporary_residence_permit",
        stay_valid_until=date(2027, 12, 31),
        reason="passport, permit and criminal-record certificate seen",
    )
    expect(s.recruiter, "record_document_check", "document_review", "special_check")
    clock.advance(days=5)
    services.record_special_check(ctx, s.vetting, case_id, "passed")
    expect(s.vetting, "record_special_check", "special_check", "medical")
    clock.advance(days=3)
    services.record_medical_result(ctx, s.medic, case_id, "fit")
    expect(s.medic, "record_medical_result", "medical", "psychological")
    clock.advance(hours=2)
    services.record_psychological_result(ctx, s.medic, case_id, "passed")
    expect(s.medic, "record_psychological_result", "psychological", "physical")
    clock.advance(days=1)
    services.record_physical_result(ctx, s.recruiter, case_id, "passed")
    expect(s.recruiter, "record_physical_result", "physical", "interview")
    clock.advance(days=2)
    approved = services.approve(ctx, s.commander, case_id, rank_group="private")
    expect(s.commander, "approve", "interview", "approved")
    assert approved.state is State.APPROVED

    clock.set("2025-02-03")
    contract = services.sign_contract(ctx, s.commander, case_id).contract
    expect(s.commander, "sign_contract", "approved", "contract_signed")
    assert contract is not None
    assert (contract.years, contract.ends_on) == (3, date(2028, 2, 3))
    assert contract.probation_ends_on == date(2025, 4, 3)
    services.start_service(ctx, s.commander, case_id)
    expect(s.commander, "start_service", "contract_signed", "probation")
    clock.set("2025-04-03")
    services.complete_probation(ctx, s.commander, case_id)
    expect(s.commander, "complete_probation", "probation", "in_service")

    # A year of contract service in martial law (Law 4502-IX, from 2026-01-16).
    clock.set("2026-02-03")
    prepared = services.prepare_citizenship_application(ctx, s.migration, case_id)
    expect(s.migration, "prepare_citizenship_application", "in_service", "in_service")
    assert prepared.citizenship is not None
    assert prepared.citizenship.route == "martial_law_service"
    assert prepared.citizenship.earliest_date == date(2026, 2, 3)
    assert prepared.citizenship.state is CitizenshipState.PREPARED
    assert "citizenship.obligations.exams_after_martial_law" in prepared.citizenship.obligations

    clock.advance(days=7)
    services.decide_citizenship_application(ctx, s.migration, case_id, CitizenshipState.SUBMITTED)
    expect(s.migration, "citizenship_submitted", "in_service", "in_service")
    clock.set("2026-06-01")
    granted = services.decide_citizenship_application(
        ctx, s.migration, case_id, CitizenshipState.GRANTED, reason="presidential decree"
    )
    expect(s.migration, "citizenship_granted", "in_service", "in_service")
    assert granted.citizenship is not None
    assert granted.citizenship.state is CitizenshipState.GRANTED
    assert granted.citizenship.decided_on == date(2026, 6, 1)

    stored = journey.load(case_id)
    assert [who_when_what(e) for e in stored.history] == steps
    assert stored.version == len(steps)
    assert stored.history[2].reason == "passport, permit and criminal-record certificate seen"
    assert stored.history[-1].reason == "presidential decree"
    assert stored.citizenship == granted.citizenship
    assert stored.contract == contract
    assert [(p.formation, p.basis, p.start, p.end) for p in stored.service_periods] == [
        ("ngu", "contract", date(2025, 2, 3), None)
    ]

    # The two decisions the law took are stored with its answer and the law's version.
    by_action = {e.action: e for e in stored.history}
    for action, question in (
        ("approve", "enlistment"),
        ("prepare_citizenship_application", "citizenship"),
    ):
        entry = by_action[action]
        assert entry.answer is not None, action
        assert entry.answer["question"] == question
        assert entry.answer["outcome"] == "eligible"
        assert entry.answer["on"] == utc(entry.at).date().isoformat()
        assert entry.answer["reasons"], action
        assert entry.law_version == entry.answer["law_version"] == ctx.legislation.version
    citizenship_answer = by_action["prepare_citizenship_application"].answer or {}
    assert citizenship_answer["route"] == "martial_law_service"
    assert citizenship_answer["earliest_date"] == "2026-02-03"
    others = [
        e for e in stored.history if e.action not in ("approve", "prepare_citizenship_application")
    ]
    assert all(e.answer is None and e.law_version is None for e in others)

    with ctx.engine.connect() as conn:
        report = audit.verify(conn, ctx.keyring)
    assert report.ok, report.problems
    assert report.entries == len(steps) + 1  # and the case's creation


def test_it_refuses_to_grant_what_was_never_submitted(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.american())
    journey.to_service(case_id)
    clock.set("2026-03-01")
    services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    with pytest.raises(WrongState, match="prepared cannot become granted"):
        services.decide_citizenship_application(
            ctx, Staff.migration, case_id, CitizenshipState.GRANTED
        )
    services.decide_citizenship_application(
        ctx, Staff.migration, case_id, CitizenshipState.SUBMITTED
    )
    refused = services.decide_citizenship_application(
        ctx, Staff.migration, case_id, CitizenshipState.REFUSED
    )
    assert refused.citizenship is not None
    assert refused.citizenship.state is CitizenshipState.REFUSED
    with pytest.raises(WrongState, match="refused cannot become granted"):
        services.decide_citizenship_application(
            ctx, Staff.migration, case_id, CitizenshipState.GRANTED
        )
    with pytest.raises(WrongState, match="already prepared"):
        services.prepare_citizenship_application(ctx, Staff.migration, case_id)


def test_it_sends_a_case_checked_in_june_2024_straight_to_the_medical_commission(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    clock.set("2024-06-10")
    case_id = journey.submit(cast.american())
    approved = journey.to_approved(case_id)
    states = [e.to_state for e in approved.history]
    assert State.SPECIAL_CHECK not in states
    assert states[:4] == [
        State.SUBMITTED,
        State.DOCUMENT_REVIEW,
        State.MEDICAL,
        State.PSYCHOLOGICAL,
    ]
    assert approved.state is State.APPROVED
    assert "special_check" not in approved.facts


@pytest.mark.parametrize(
    ("checked_on", "next_state"),
    [("2024-10-29", State.MEDICAL), ("2024-10-30", State.SPECIAL_CHECK)],
)
def test_it_adds_the_special_check_from_law_4019_ix(
    ctx: Context,
    clock: FakeClock,
    cast: Cast,
    journey: Journey,
    checked_on: str,
    next_state: State,
) -> None:
    case_id = journey.submit(cast.american())
    services.start_document_review(ctx, Staff.recruiter, case_id)
    clock.set(checked_on)
    case = services.record_document_check(
        ctx,
        Staff.recruiter,
        case_id,
        passed=True,
        previously_convicted=False,
        stay_basis="visa_free",
        stay_valid_until=date(2025, 12, 31),
    )
    assert case.state is next_state


def test_it_lets_the_vetting_officer_record_a_special_check_missed_before_law_4019_ix(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    clock.set("2024-10-20")
    case_id = journey.submit(cast.american())
    journey.to_interview(case_id)
    clock.set("2024-11-04")
    with pytest.raises(LawSaysNo, match="special_check"):
        services.approve(ctx, Staff.commander, case_id, rank_group="private")
    case = services.record_special_check(ctx, Staff.vetting, case_id, "passed")
    assert case.state is State.INTERVIEW
    approved = services.approve(ctx, Staff.commander, case_id, rank_group="private")
    assert approved.state is State.APPROVED


def test_it_rejects_a_volunteer_the_special_check_fails(
    ctx: Context, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.belarusian())
    services.start_document_review(ctx, Staff.recruiter, case_id)
    services.record_document_check(
        ctx,
        Staff.recruiter,
        case_id,
        passed=True,
        stay_basis="temporary_residence_permit",
        stay_valid_until=date(2026, 1, 1),
        previously_convicted=False,
    )
    case = services.record_special_check(
        ctx, Staff.vetting, case_id, "failed", reason="links to a foreign service"
    )
    assert case.state is State.REJECTED
    assert case.facts["special_check"] == "failed"


def test_it_approves_the_georgian_woman_only_where_a_womens_post_is_vacant(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.georgian())
    journey.to_interview(case_id)
    with pytest.raises(LawSaysNo, match="missing: female_post_vacant"):
        services.approve(ctx, Staff.commander, case_id, rank_group="private")
    with pytest.raises(LawSaysNo, match="post servicewomen may fill is vacant"):
        services.approve(
            ctx, Staff.commander, case_id, rank_group="private", female_post_vacant=False
        )
    case = services.approve(
        ctx, Staff.commander, case_id, rank_group="private", female_post_vacant=True
    )
    assert case.state is State.APPROVED
    assert journey.load(case_id).facts["female_post_vacant"] is True


def test_it_signs_the_stateless_sergeant_for_five_years_in_the_armed_forces(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.stateless())
    case = journey.to_probation(case_id, years=5, rank_group="sergeant")
    assert case.person.citizenships == ()
    assert case.contract is not None
    assert (case.contract.rank_group, case.contract.years) == ("sergeant", 5)
    assert [(p.formation, p.basis) for p in case.service_periods] == [("afu", "contract")]


def test_it_gives_the_belarusian_with_a_state_award_the_award_route(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.belarusian())
    journey.to_service(case_id)
    clock.set("2025-06-01")
    with pytest.raises(LawSaysNo):
        services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    services.record_award(ctx, Staff.commander, case_id, reason="Order For Courage, 3rd class")
    case = services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    assert case.citizenship is not None
    assert case.citizenship.route == "state_award"
    assert case.citizenship.prepared_on == date(2025, 6, 1)


def test_it_leaves_the_russian_serviceman_undetermined_while_applications_are_suspended(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.russian())
    journey.to_service(case_id)
    clock.set("2026-06-01")  # past a year of service in martial law
    with pytest.raises(LawSaysNo, match="cannot decide"):
        services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    case = journey.load(case_id)
    assert case.citizenship is None
    assert case.history[-1].action == "complete_probation"


def test_it_does_not_prepare_a_discharged_veterans_application_on_the_service_alone(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    """Law 957-VIII's routes cover those "who are serving"; whether Law 1941-IX's "served or
    serve" covers the discharged is unknown, so the law cannot decide (domain brief §8 item 1)."""
    case_id = journey.submit(cast.american())
    journey.to_service(case_id)
    clock.set("2026-05-01")
    discharged = services.discharge(ctx, Staff.commander, case_id, reason="wounded")
    assert discharged.state is State.DISCHARGED
    assert discharged.service_periods[0].end == date(2026, 5, 1)
    clock.set("2026-07-01")
    with pytest.raises(LawSaysNo, match="cannot decide yet"):
        services.prepare_citizenship_application(ctx, Staff.migration, case_id)
    assert journey.load(case_id).citizenship is None
    assert journey.load(case_id).service_periods[0].end == date(2026, 5, 1)

"""Steps from the case page: each form posts the case's version, so a step decided on a page
someone has since changed is a conflict, shown in words, with nothing saved."""

from __future__ import annotations

from guardpath.cases.model import Role, State
from guardpath.services import cases as services
from web.staff_fixtures import (  # noqa: F401
    APPLICANT,
    COMMANDER,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    snapshot,
    staff_client_fixture,
)

CONFLICT = "Someone else changed this case after you opened it"


def test_it_lets_a_recruiter_move_a_case_forward(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    response = console.post(
        f"/staff/cases/{case_id}/start_document_review", {"version": seeded.case(case_id).version}
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/cases/{case_id}/done/start_document_review"
    assert seeded.case(case_id).state is State.DOCUMENT_REVIEW
    assert "Document review started" in console.get(response.headers["location"]).text
    assert "record_document_check" in console.get(f"/staff/cases/{case_id}").text


def test_it_records_a_document_check_from_its_form(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    seeded.advance(case_id, State.DOCUMENT_REVIEW)
    console.as_role(Role.RECRUITER)
    form = {
        "version": seeded.case(case_id).version,
        "passed": "yes",
        "previously_convicted": "no",
        "stay_basis": "temporary_residence_permit",
        "stay_valid_until": "2030-01-01",
    }

    response = console.post(f"/staff/cases/{case_id}/record_document_check", form)

    assert response.status_code == 303
    case = seeded.case(case_id)
    assert case.state is State.SPECIAL_CHECK
    assert case.facts["stay_basis"] == "temporary_residence_permit"


def test_it_shows_a_conflict_for_a_stale_version(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    seeded.advance(case_id, State.INTERVIEW)
    console.as_role(Role.COMMANDER)
    seen = seeded.case(case_id).version
    services.approve(ctx, COMMANDER, case_id, rank_group="private")  # someone else, meanwhile

    response = console.post(
        f"/staff/cases/{case_id}/approve", {"version": seen, "rank_group": "sergeant"}
    )

    assert response.status_code == 409
    assert CONFLICT in response.text
    assert seeded.case(case_id).facts["rank_group"] == "private"


def test_it_shows_a_conflict_for_a_stale_version_of_any_step(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    seen = seeded.case(case_id).version
    services.withdraw(ctx, APPLICANT, case_id, reason="changed their mind")
    before = snapshot(ctx)

    response = console.post(f"/staff/cases/{case_id}/start_document_review", {"version": seen})

    assert response.status_code == 409
    assert CONFLICT in response.text
    assert snapshot(ctx) == before


def test_it_says_in_words_when_the_law_says_no(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    seeded.advance(case_id, State.INTERVIEW)
    ctx.clock.advance(days=6 * 365)  # his residence permit ran out in 2030
    console.as_role(Role.COMMANDER)
    form = {"version": seeded.case(case_id).version, "rank_group": "private"}

    response = console.post(f"/staff/cases/{case_id}/approve", form)

    assert response.status_code == 422
    assert "The law as of today does not allow this step" in response.text
    assert seeded.case(case_id).state is State.INTERVIEW


def test_it_refuses_a_step_the_role_may_never_take(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.MEDICAL_OFFICER)
    before = snapshot(ctx)

    response = console.post(
        f"/staff/cases/{case_id}/start_document_review", {"version": seeded.case(case_id).version}
    )

    assert response.status_code == 403
    assert snapshot(ctx) == before


def test_it_asks_for_the_reason_of_a_rejection(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    response = console.post(
        f"/staff/cases/{case_id}/reject", {"version": seeded.case(case_id).version, "reason": ""}
    )

    assert response.status_code == 400
    assert "a rejection needs its reason" in response.text
    assert seeded.case(case_id).state is State.SUBMITTED

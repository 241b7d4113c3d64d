"""After a step, the officer lands on its confirmation: what was done, in words, and where the
case went, also when the case has left the role's work; and the state-award fact, which the
citizenship route needs, is recorded on the case page before the law is asked."""

from __future__ import annotations

import copy
from typing import Any

from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role, State
from web.staff_fixtures import (  # noqa: F401
    RUSSIAN,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)

AMERICAN: dict[str, Any] = copy.deepcopy(RUSSIAN)
AMERICAN["person"] |= {
    "given_names": "Daniel",
    "surname": "Whitaker",
    "native_name": None,
    "citizenships": ["US"],
    "passport_number": "US7654321",
}
AMERICAN["formation"] = "afu"


def test_it_confirms_a_step_in_words_and_says_where_the_case_is(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    response = console.post(
        f"/staff/cases/{case_id}/start_document_review", {"version": seeded.case(case_id).version}
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/staff/cases/{case_id}/done/start_document_review"
    done = console.get(response.headers["location"])
    assert done.status_code == 200
    assert "<h1>Document review started</h1>" in done.text
    assert "Done:" not in done.text
    assert "Document review" in done.text and "Recruiter" in done.text
    assert f'href="/staff/cases/{case_id}">Open case {seeded.case(case_id).reference}' in done.text


def test_it_confirms_a_step_that_takes_the_case_out_of_the_roles_work(
    console: Console, seeded: Seeded
):
    case_id = seeded.submit()
    seeded.advance(case_id, State.PSYCHOLOGICAL)
    console.as_role(Role.MEDICAL_OFFICER)
    form = {"version": seeded.case(case_id).version, "result": "passed"}

    response = console.post(f"/staff/cases/{case_id}/record_psychological_result", form)
    done = console.get(response.headers["location"])

    assert seeded.case(case_id).state is State.PHYSICAL
    assert done.status_code == 200
    assert "Not for your role" not in done.text
    assert "<h1>Psychological assessment recorded</h1>" in done.text
    assert "Physical fitness test" in done.text and "Recruiter" in done.text
    assert "has left your role" in done.text
    assert f'href="/staff/cases/{case_id}"' not in done.text  # the record stays closed to them
    assert console.get(f"/staff/cases/{case_id}").status_code == 403


def test_it_says_a_closed_case_is_with_no_one(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    form = {"version": seeded.case(case_id).version, "reason": "asked to stop"}

    done = console.get(console.post(f"/staff/cases/{case_id}/withdraw", form).headers["location"])

    assert "<h1>Withdrawn</h1>" in done.text
    assert "No one: the case is closed." in done.text


def test_it_confirms_in_ukrainian(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    console.post(
        f"/staff/cases/{case_id}/start_document_review", {"version": seeded.case(case_id).version}
    )

    done = console.get(f"/staff/cases/{case_id}/done/start_document_review?lang=uk")

    assert "Document review started" not in done.text
    assert "Перевірку документів розпочато" in done.text


def test_it_refuses_an_unknown_confirmation(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    assert console.get(f"/staff/cases/{case_id}/done/not_a_step").status_code == 404
    assert console.get("/staff/cases/no-such-case/done/approve").status_code == 404


def test_it_records_the_state_award_before_offering_the_citizenship_application(
    console: Console, seeded: Seeded, ctx
):
    case_id = seeded.submit(AMERICAN)
    seeded.advance(case_id, State.PROBATION)
    console.as_role(Role.MIGRATION_OFFICER)

    before = console.get(f"/staff/cases/{case_id}")
    assert before.status_code == 200
    assert "State award" in before.text  # among the facts the law still needs
    assert 'action="/staff/cases/' + case_id + '/record_state_award"' in before.text
    assert "/prepare_citizenship_application" not in before.text
    assert "can be prepared once the law says yes" in before.text

    form = {"version": seeded.case(case_id).version, "awarded": "yes", "reason": "Order 12"}
    response = console.post(f"/staff/cases/{case_id}/record_state_award", form)
    done = console.get(response.headers["location"])

    assert seeded.case(case_id).facts["state_award"] is True
    assert "<h1>State award fact recorded</h1>" in done.text
    after = console.get(f"/staff/cases/{case_id}")
    assert "/prepare_citizenship_application" in after.text
    with ctx.engine.connect() as conn:
        actions = [row.action for row in conn.execute(audit_log.select())]
    assert "record_state_award" in actions


def test_it_refuses_a_state_award_form_without_an_answer(console: Console, seeded: Seeded):
    case_id = seeded.submit(AMERICAN)
    seeded.advance(case_id, State.PROBATION)
    console.as_role(Role.MIGRATION_OFFICER)

    response = console.post(
        f"/staff/cases/{case_id}/record_state_award", {"version": seeded.case(case_id).version}
    )

    assert response.status_code == 400
    assert "awarded: expected one of yes, no" in response.text
    assert "state_award" not in seeded.case(case_id).facts


def test_it_marks_the_console_page_the_officer_is_on(console: Console):
    console.as_role(Role.RECRUITER)

    search = console.get("/staff/search").text

    assert '<a href="/staff/search" aria-current="page">' in search
    assert '<a href="/staff" aria-current="page">' not in search

"""A case page shows the person, documents, the law's answer today, the history and only the
steps the role may take now; every open is a logged read."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role, State
from web.staff_fixtures import (  # noqa: F401
    PDF,
    Console,
    Seeded,
    accounts_fixture,
    add_document,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)


def step_forms(html: str) -> list[str]:
    return re.findall(r'action="/staff/cases/[^/"]+/([a-z_]+)"', html)


def reads(ctx, action: str = "read_person") -> list[tuple[str, str, str]]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor_id, audit_log.c.role, audit_log.c.subject).where(
                audit_log.c.action == action
            )
        )
        return [tuple(r) for r in rows]


def test_it_shows_the_person_the_law_and_the_history(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    page = console.get(f"/staff/cases/{case_id}")

    assert page.status_code == 200
    for shown in ("Maksym Zhuravlov", "Максим Журавльов", "AB1234567", "July 23, 1991"):
        assert shown in page.text
    assert "May this person enlist today?" in page.text
    assert "Submit the application" in page.text  # the history's first step


def test_it_offers_only_the_steps_the_role_may_take_now(console: Console, seeded: Seeded):
    case_id = seeded.submit()

    recruiter = console.as_role(Role.RECRUITER).get(f"/staff/cases/{case_id}")
    commander = console.as_role(Role.COMMANDER).get(f"/staff/cases/{case_id}")

    assert step_forms(recruiter.text) == ["start_document_review", "reject", "withdraw"]
    assert step_forms(commander.text) == ["reject"]


def test_it_logs_every_read_of_a_case_page(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)
    before = len(reads(ctx))

    console.get(f"/staff/cases/{case_id}")
    console.get(f"/staff/cases/{case_id}")

    logged = reads(ctx)[before:]
    assert logged == [(console.session.user_id, "recruiter", case_id)] * 2


def test_it_lists_documents_and_opens_one_for_download(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    document_id = add_document(ctx, case_id)
    console.as_role(Role.RECRUITER)

    page = console.get(f"/staff/cases/{case_id}")
    download = console.get(f"/staff/cases/{case_id}/documents/{document_id}")

    assert f"/staff/cases/{case_id}/documents/{document_id}" in page.text
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "Zhuravlov" not in download.headers["content-disposition"]
    assert reads(ctx, "read_document") == [(console.session.user_id, "recruiter", case_id)]


def test_it_keeps_a_case_from_a_role_that_does_not_work_it_yet(
    console: Console, seeded: Seeded, ctx
):
    case_id = seeded.submit()
    console.as_role(Role.MEDICAL_OFFICER)

    page = console.get(f"/staff/cases/{case_id}")

    assert page.status_code == 403
    assert "Zhuravlov" not in page.text
    assert reads(ctx) == []


def test_it_opens_a_case_for_the_medical_officer_once_it_reaches_the_commission(
    console: Console, seeded: Seeded
):
    case_id = seeded.submit()
    seeded.advance(case_id, State.MEDICAL)
    console.as_role(Role.MEDICAL_OFFICER)

    page = console.get(f"/staff/cases/{case_id}")

    assert page.status_code == 200
    assert step_forms(page.text) == ["record_medical_result"]


def test_it_asks_the_citizenship_question_once_service_began(console: Console, seeded: Seeded):
    case_id = seeded.submit()
    seeded.advance(case_id, State.PROBATION)
    console.as_role(Role.MIGRATION_OFFICER)

    page = console.get(f"/staff/cases/{case_id}")

    assert page.status_code == 200
    assert "May this serviceman become a citizen today?" in page.text
    # A Russian's application is suspended, so the law cannot say yes: preparing it is not
    # offered; the state-award fact the routes ask for can be recorded.
    assert step_forms(page.text) == ["record_state_award"]
    assert "can be prepared once the law says yes" in page.text


def test_it_answers_an_unknown_case_with_not_found(console: Console):
    console.as_role(Role.ADMIN)

    assert console.get(f"/staff/cases/{uuid.uuid4()}").status_code == 404

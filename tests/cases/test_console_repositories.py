"""The console's services on their repositories, on SQLite and PostgreSQL: staff accounts and
sessions, searching and glancing at cases, documents, the status page and the limits, each
through the unit of work, with the audit chain and the rows' MACs verifying afterwards."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from guardpath.adapters import audit
from guardpath.bootstrap import Context
from guardpath.cases.model import State
from guardpath.cases.transitions import Conflict, NotFound
from guardpath.services import cases as services
from guardpath.services.casework import check_may_open, prepare_step, where_case_is
from guardpath.services.documents import (
    attach_document,
    documents_of_draft,
    open_document,
    remove_document,
)
from guardpath.services.drafts import start_draft
from guardpath.services.limits import Limit, TooMany, give_back, take
from guardpath.services.search import find_by_name, find_by_passport, list_queues
from guardpath.services.staff import (
    LoginRefused,
    add_staff,
    disable_staff,
    log_in,
    session_for,
)
from guardpath.services.status import NoSuchApplication, view_application_status

from .conftest import Cast, FakeClock, Staff

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def verifies(ctx: Context) -> bool:
    with ctx.engine.connect() as conn:
        report = audit.verify(conn, ctx.keyring)
    return report.ok and not report.rows


def test_a_staff_login_makes_a_session_that_disabling_the_account_ends(
    ctx: Context, clock: FakeClock
) -> None:
    made = add_staff(ctx, Staff.admin, "Olena.Recruiter", "recruiter", PASSWORD)
    code = pyotp.TOTP(made.totp_secret).at(clock())

    session = log_in(ctx, "olena.recruiter", PASSWORD, code)
    found = session_for(ctx, session.token)
    assert found is not None
    assert (found.user_id, found.username, found.role, found.csrf) == (
        made.id,
        "olena.recruiter",
        made.role,
        session.csrf,
    )
    with pytest.raises(LoginRefused):  # the same code twice
        log_in(ctx, "olena.recruiter", PASSWORD, code)

    assert disable_staff(ctx, Staff.admin, "olena.recruiter") == 1
    assert session_for(ctx, session.token) is None
    assert verifies(ctx)


def test_search_finds_the_case_by_name_and_passport_and_a_glance_tells_where_it_is(
    ctx: Context, cast: Cast
) -> None:
    case_id = services.submit_application(ctx, Staff.applicant, cast.american()).case.id

    [by_name] = find_by_name(ctx, Staff.recruiter, "miller").rows
    passport = cast.american().person.passport_number
    [by_passport] = find_by_passport(ctx, Staff.recruiter, passport.lower()).rows
    assert by_name.id == by_passport.id == case_id and by_name.state is State.SUBMITTED
    [submitted, *_] = list_queues(ctx, Staff.recruiter)
    assert (submitted.total, [r.id for r in submitted.rows]) == (1, [case_id])

    reference = check_may_open(ctx, Staff.recruiter, case_id)
    where = where_case_is(ctx, Staff.recruiter, case_id)
    assert (where.reference, where.state, where.citizenship) == (reference, State.SUBMITTED, None)
    prepare_step(ctx, Staff.recruiter, case_id, "start_document_review", 1)
    with pytest.raises(Conflict):
        prepare_step(ctx, Staff.recruiter, case_id, "start_document_review", 2)
    with pytest.raises(NotFound):
        where_case_is(ctx, Staff.recruiter, "no-such-case")
    assert verifies(ctx)


def test_a_draft_keeps_its_documents_sealed_until_they_are_removed(ctx: Context) -> None:
    draft, _token = start_draft(ctx)
    info = attach_document(ctx, draft.id, "passport", PNG, "scan.png")

    assert documents_of_draft(ctx, draft.id) == [info]
    assert open_document(ctx, info.id) == (info, PNG)
    assert remove_document(ctx, draft.id, info.id)
    assert not remove_document(ctx, draft.id, info.id)
    with pytest.raises(NotFound):
        open_document(ctx, info.id)


def test_the_status_page_opens_with_the_resume_code_only(ctx: Context, cast: Cast) -> None:
    submitted = services.submit_application(ctx, Staff.applicant, cast.american())
    reference = submitted.case.reference

    status = view_application_status(ctx, reference.lower(), submitted.resume_code, "client")
    assert (status.reference, status.state) == (reference, State.SUBMITTED)
    with pytest.raises(NoSuchApplication):
        view_application_status(ctx, reference, "AAAA-AAAA-AAAA-AAAA", "client")


def test_a_limit_counts_across_calls_and_a_hit_given_back_counts_nothing(ctx: Context) -> None:
    limit = Limit("test_limit", 2, timedelta(minutes=1))
    first = take(ctx, (limit, "client"))
    give_back(ctx, first)
    take(ctx, (limit, "client"))
    take(ctx, (limit, "client"))
    with pytest.raises(TooMany):
        take(ctx, (limit, "client"))

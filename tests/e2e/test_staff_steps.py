"""Each case-working role takes one step in a real browser and lands on its confirmation: what
was done, in words, and where the case is now, also when it has left the role's work."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import WAITING_APPLICATION, Site, staff_login
from guardpath.cases.model import Role, State
from web.staff_fixtures import Seeded

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Walk:
    role: Role
    at: State
    action: str
    fields: tuple[tuple[str, str], ...]
    heading: str
    now: str
    still_theirs: bool


WALKS = (
    Walk(
        Role.VETTING_OFFICER,
        State.SPECIAL_CHECK,
        "record_special_check",
        (("result", "passed"),),
        "Special check recorded",
        "Medical commission",
        True,  # a vetting officer may still record a late special check there
    ),
    Walk(
        Role.MEDICAL_OFFICER,
        State.PSYCHOLOGICAL,
        "record_psychological_result",
        (("result", "passed"),),
        "Psychological assessment recorded",
        "Physical fitness test",
        False,  # the recruiter's now
    ),
    Walk(
        Role.COMMANDER,
        State.PROBATION,
        "record_award",
        (),
        "State award recorded",
        "Probation",
        True,
    ),
    Walk(
        Role.MIGRATION_OFFICER,
        State.PROBATION,
        "record_state_award",
        (("awarded", "no"),),
        "State award fact recorded",
        "Probation",
        True,
    ),
    Walk(
        Role.ADMIN,
        State.SUBMITTED,
        "start_document_review",
        (),
        "Document review started",
        "Document review",
        True,
    ),
)


def application(n: int) -> dict[str, Any]:
    data = copy.deepcopy(WAITING_APPLICATION)
    data["person"] |= {"surname": f"Walker{n}", "passport_number": f"W{n:08d}"}
    return data


@pytest.mark.parametrize("walk", WALKS, ids=lambda w: w.role.value)
def test_a_role_takes_a_step_and_reads_its_confirmation(page: Any, site: Site, walk: Walk) -> None:
    seeded = Seeded(site.ctx)
    case_id = seeded.submit(application(WALKS.index(walk)))
    if walk.at is not State.SUBMITTED:
        seeded.advance(case_id, walk.at)
    reference = seeded.case(case_id).reference
    staff_login(page, site, walk.role)
    page.wait_for_url(f"{site.url}/staff")

    page.goto(f"/staff/cases/{case_id}")
    form = page.locator(f"form.step[action$='/{walk.action}']")
    for name, value in walk.fields:
        form.locator(f"input[name={name}][value={value}]").check()
    form.locator("button[type=submit]").click()

    page.wait_for_url(f"**/staff/cases/{case_id}/done/{walk.action}")
    expect(page.locator("h1")).to_have_text(walk.heading)
    expect(page.locator(".panel")).to_contain_text(reference)
    expect(page.locator("dl.facts .state")).to_have_text(walk.now)
    opener = page.locator(f"a:text-is('Open case {reference}')")
    expect(opener).to_have_count(1 if walk.still_theirs else 0)
    if not walk.still_theirs:
        expect(page.locator("main")).to_contain_text("has left your role's work")

"""The staff console in a real browser: a login with password and TOTP code, the queue, a case
and a step on it; and the statistics as an analyst sees them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from e2e.conftest import Site, staff_login
from guardpath.cases.model import Role

pytestmark = pytest.mark.browser


def test_a_recruiter_logs_in_and_starts_the_document_review(page: Any, site: Site) -> None:
    staff_login(page, site, Role.RECRUITER)
    page.wait_for_url(f"{site.url}/staff")
    expect(page.locator(".staff-bar")).to_contain_text("demo-recruiter")
    expect(page.locator("h1")).to_have_text("Cases waiting for you")

    link = page.locator("#q-submitted a", has_text=site.waiting_reference)
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(f"**/staff/cases/{site.waiting_id}")
    state = page.locator(".case-head .state")
    expect(state).to_have_text("Submitted")

    page.click("form.step[action$='/start_document_review'] button[type=submit]")
    page.wait_for_url(f"**/staff/cases/{site.waiting_id}/done/start_document_review")
    expect(page.locator("h1")).to_have_text("Document review started")
    expect(page.locator("dl.facts .state")).to_have_text("Document review")
    page.click(f"a:text-is('Open case {site.waiting_reference}')")
    page.wait_for_url(f"**/staff/cases/{site.waiting_id}")
    expect(state).to_have_text("Document review")
    expect(page.locator("form.step[action$='/start_document_review']")).to_have_count(0)
    expect(page.locator("form.step[action$='/record_document_check']")).to_be_visible()


def test_an_analyst_sees_the_statistics_as_charts_and_tables(page: Any, site: Site) -> None:
    staff_login(page, site, Role.ANALYST)
    page.wait_for_url(f"{site.url}/staff")
    page.click("main a.button[href='/staff/statistics']")
    page.wait_for_url("**/staff/statistics")
    expect(page.locator("h1")).to_have_text("Statistics")

    charts = page.locator("section.breakdown figure.chart svg.stats-chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    assert page.locator("svg.stats-chart rect").count() >= 1  # bars, not only "<5" marks
    tables = page.locator("section.breakdown .stats-table table")
    expect(tables.first).to_be_visible()
    assert tables.count() == charts.count()
    expect(tables.first.locator("tbody tr").first).to_be_visible()
    expect(tables.first.locator("tfoot")).to_contain_text("Total")

"""An application sent in a browser, as a person would send it: every step filled in, the
consents ticked, and the confirmation with the reference and the resume code shown. Used by
the accessibility tests to reach the confirmation page (`/apply/sent`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def _next(page: Any, step: str) -> None:
    with page.expect_navigation():
        page.click("button[name=go][value=next]")
    assert page.url.split("?")[0].endswith(f"/apply/{step}"), page.url


def send_application(page: Any) -> None:
    """Fill in the application begun in this browser (or begin one) and send it."""
    page.goto("/apply/about")
    if not page.url.split("?")[0].endswith("/apply/about"):
        with page.expect_navigation():
            page.locator("form[action='/apply/start']").evaluate("f => f.submit()")
    page.fill("#i-given_names", "Jonathan")
    page.fill("#i-surname", "Reyes")
    page.fill("#i-birth_date", "1992-11-03")
    page.check("input[name=sex][value=male]")
    page.select_option("#i-citizenships", "US")
    page.fill("#i-passport_number", "567890123")
    page.fill("#i-email", "j.reyes@example.org")
    _next(page, "stay")
    page.select_option("#i-stay_basis", "temporary_residence_permit")
    page.fill("#i-stay_valid_until", (date.today() + timedelta(days=3 * 365)).isoformat())
    page.check("input[name=previously_convicted][value=no]")
    page.check("input[name=prior_military_service][value=yes]")
    _next(page, "formation")
    page.check("input[name=formation][value=ngu]")
    page.select_option("#i-rank_group", "private")
    _next(page, "documents")
    page.goto("/apply/review")
    page.check("input[name=data_processing]")
    page.check("input[name=verification]")
    with page.expect_navigation():
        page.click("#consents button.primary[type=submit]")
    assert page.url.split("?")[0].endswith("/apply/sent"), page.url

"""The what-if page in a real browser, in English and in Ukrainian: an analyst uploads a draft,
sees it checked and its impact on the cases and on a demo population as charts and tables."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from e2e.conftest import Site, staff_login
from guardpath.cases.model import Role
from guardpath.web.i18n import translations

pytestmark = pytest.mark.browser

DRAFT = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "drafts"
    / "contracts-60-plus-foreigners.yaml"
)


TOTP_STEP = 30
BAD_DRAFT = (
    "title: x\nsource: {title: {en: a, uk: b}, href: b}\nchanges:\n"
    "  - parameter: no.such\n    values: {2025-01-01: {value: 1}}\n"
)


def sign_in(page: Any, site: Site, role: Role) -> None:
    """Log in; a TOTP code is accepted once, so if another test of this run has just used this
    login's code, wait for the next code and log in with it."""
    for _ in range(2):
        staff_login(page, site, role)
        try:
            page.wait_for_url(f"{site.url}/staff", timeout=5_000)
            return
        except PlaywrightTimeout:
            time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 1)
    raise AssertionError(f"the demo {role.value} could not log in")


@pytest.mark.parametrize(("language", "role"), [("en", Role.ANALYST), ("uk", Role.ADMIN)])
def test_a_draft_s_impact_in_the_console(page: Any, site: Site, language: str, role: Role) -> None:
    words = translations(language).gettext
    sign_in(page, site, role)
    page.goto(f"/staff/what-if?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(words("What if the law changes?"))

    page.set_input_files("#draft_file", str(DRAFT))
    page.fill("#on", "2026-03-01")
    page.fill("#people", "3000")
    page.click("form.what-if button[type=submit].primary")

    expect(page.locator("#draft-heading")).to_contain_text(words("The draft loads"))
    expect(page.locator("section.draft-checked")).to_contain_text("enlistment.common.age")
    for population in ("cases", "demo"):
        expect(page.locator(f"#impact-{population} h2")).to_be_visible()
    demo = page.locator("#impact-demo")
    expect(demo.locator(".people")).to_have_text("3\u202f000")
    expect(demo.locator("svg.stats-chart").first).to_be_visible()
    assert demo.locator("svg.stats-chart rect").count() >= 1
    expect(demo.locator("h3").first).to_have_text(words("Transitions between outcomes"))
    expect(demo.locator("table").first).to_contain_text(words("Eligible"))

    with page.expect_download() as download:
        page.click("section.draft-checked form button")
    assert download.value.suggested_filename.startswith("guardpath-what-if-")

    page.fill("#draft_text", BAD_DRAFT)
    page.set_input_files("#draft_file", [])
    page.click("form.what-if button[type=submit].primary")
    refused = page.locator(".draft-refused")
    expect(refused).to_contain_text(words("The draft does not load; nothing was evaluated."))
    expect(refused).to_contain_text("changes[0] (parameter no.such): names no parameter")
    expect(page.locator("#impact-cases")).to_have_count(0)

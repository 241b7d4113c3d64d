"""The language switch (English / Українська) on a public page, kept from page to page by its
cookie."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from guardpath.web.i18n import translations

pytestmark = pytest.mark.browser

HEADLINE = "Can you serve in Ukraine's defence forces?"


def test_the_language_switch_turns_the_public_pages_ukrainian_and_back(page: Any) -> None:
    ukrainian = translations("uk").gettext
    assert ukrainian(HEADLINE) != HEADLINE, "the catalogue should translate the headline"

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(HEADLINE)
    expect(page.locator("nav.languages strong")).to_have_text("English")

    page.click("nav.languages a[hreflang=uk]")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("h1")).to_have_text(ukrainian(HEADLINE))
    expect(page.locator("nav.languages strong")).to_have_text("Українська")
    expect(page.locator("header.site nav").first).to_contain_text(ukrainian("Can I serve?"))

    # The choice is remembered: another page, without ?lang=, stays Ukrainian.
    page.click(f"header.site a[href='/check']:text-is('{ukrainian('Can I serve?')}')")
    page.wait_for_url("**/check")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("h1")).to_have_text(ukrainian("Can I serve?"))

    page.click("nav.languages a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Can I serve?")

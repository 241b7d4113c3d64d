"""The guided self-checks in a real browser: the cast walks the interview, one question per
page, in English and Ukrainian, with and without JavaScript, to an answer in plain words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from guardpath.web.i18n import translations

from .conftest import TIMEOUT_MS, Site
from .interview_walk import AMERICAN, BRITISH, STATELESS, TOO_YOUNG, answer, walk

pytestmark = pytest.mark.browser


@pytest.fixture
def still_page(browser: Any, site: Site) -> Iterator[Any]:
    """A page in a browser with JavaScript switched off."""
    context = browser.new_context(base_url=site.url, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_american_volunteer_can_apply_after_a_few_questions(page: Any) -> None:
    asked = walk(page, "/check", AMERICAN)

    assert 0 < len(asked) < 16 and "medical" not in asked
    expect(page.locator("#answer .verdict")).to_have_text("You can apply")
    expect(page.locator("#answer h1")).to_have_text("You can apply; these checks follow.")
    expect(page.locator("#pending")).to_contain_text("Military medical commission (VLK)")
    expect(page.locator("main")).not_to_contain_text("law version")
    expect(page.locator("main")).not_to_contain_text("→")


def test_a_too_young_volunteer_is_told_no_at_once(page: Any) -> None:
    asked = walk(page, "/check", TOO_YOUNG)

    assert asked[0] == "birth_date" and len(asked) <= 2
    expect(page.locator("#answer .verdict")).to_have_text("Not eligible")


def test_the_stateless_applicant_walks_it_in_ukrainian_without_javascript(
    still_page: Any,
) -> None:
    uk = translations("uk").gettext
    still_page.goto("/?lang=uk")
    asked = walk(still_page, "/check", STATELESS)

    assert asked and len(asked) < 16
    expect(still_page.locator("html")).to_have_attribute("lang", "uk")
    verdict = still_page.locator("#answer .verdict").inner_text()
    assert verdict in {uk("You can apply"), uk("Not eligible"), uk("Not decided yet")}


def test_back_and_change_keep_the_answers(page: Any) -> None:
    page.goto("/check")
    page.click("button[name=go][value=start]")
    answer(page, "birth_date", AMERICAN["birth_date"])
    page.click("#question-form button[name=go][value=answer]")
    expect(page.locator("#progress")).to_contain_text("Question 2")
    page.click("button[name=go][value=back]")
    expect(page.locator("#i-birth_date")).to_have_value(AMERICAN["birth_date"])
    page.click("#question-form button[name=go][value=answer]")
    page.click("button[name=go][value=answers]")
    expect(page.locator("h1")).to_have_text("Your answers")
    page.click("button[value='change:birth_date']")
    expect(page.locator("#i-birth_date")).to_have_value(AMERICAN["birth_date"])


def test_the_language_switch_stays_on_the_question(page: Any) -> None:
    uk = translations("uk").gettext
    page.goto("/check")
    page.click("button[name=go][value=start]")
    answer(page, "birth_date", AMERICAN["birth_date"])
    page.click("#question-form button[name=go][value=answer]")
    fact = page.locator("input[name=current]").first.get_attribute("value")

    page.click("nav.languages button[lang=uk]")

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("input[name=current]").first).to_have_value(fact)
    expect(page.locator("#progress")).to_contain_text(uk("Question %(n)s of at most %(total)s")[:8])
    page.click("nav.languages button[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_british_serviceman_learns_his_road_to_citizenship(page: Any) -> None:
    asked = walk(page, "/check/citizenship", BRITISH)

    assert asked[0] == "service_periods" and len(asked) <= 4
    expect(page.locator("#route")).to_be_visible()
    expect(page.locator("#answer .verdict")).not_to_have_text("Undetermined")


def test_a_wrong_date_gets_one_summary_focused_and_keeps_what_was_typed(page: Any) -> None:
    page.goto("/check")
    page.click("button[name=go][value=start]")
    page.locator("#i-birth_date").evaluate("(input) => input.type = 'text'")
    page.fill("#i-birth_date", "1990-02-31")
    page.click("#question-form button[name=go][value=answer]")

    assert page.title().startswith("Error:")
    expect(page.locator("#errors")).to_be_focused()
    expect(page.locator("#errors a")).to_have_attribute("href", "#i-birth_date")
    expect(page.locator("#i-birth_date")).to_have_attribute("value", "1990-02-31")
    expect(page.locator("#e-birth_date")).to_contain_text("February 1990 has 28 days")

"""The guided self-checks in a real browser: the cast walks the interview, one question per
page, in English and Ukrainian, with and without JavaScript, to an answer in plain words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from guardpath.web.i18n import translations

from .conftest import TIMEOUT_MS, Site

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AMERICAN = json.loads((EXAMPLES / "american-volunteer.json").read_text())
STATELESS = json.loads((EXAMPLES / "stateless-applicant.json").read_text())
BRITISH = json.loads((EXAMPLES / "british-serviceman.json").read_text())
TOO_YOUNG = {**AMERICAN, "birth_date": "2012-01-01"}


def answer(page: Any, fact: str, value: Any) -> None:
    """Give one answer as a person would: a date typed, a choice ticked, a country chosen."""
    if value is None:
        if page.locator(f"input[type=radio][name={fact}][value='']").count():
            page.check(f"input[name={fact}][value='']")
        return
    if fact in ("birth_date", "stay_valid_until"):
        page.fill(f"#i-{fact}", value)
    elif fact == "citizenships":
        if value:
            page.select_option("#i-citizenships", value[0])
        else:
            page.check("input[name=stateless]")
    elif fact == "service_periods":
        for index, period in enumerate(value):
            page.select_option(f"#i-period_{index}_formation", period["formation"])
            page.select_option(f"#i-period_{index}_basis", period["basis"])
            page.fill(f"#i-period_{index}_start", period["start"])
            if period.get("end"):
                page.fill(f"#i-period_{index}_end", period["end"])
    else:
        chosen = {True: "yes", False: "no"}.get(value, value)
        page.check(f"input[name={fact}][value={chosen}]")


def walk(page: Any, path: str, person: dict[str, Any]) -> list[str]:
    """Start the check at `path` and answer every question from `person`; the facts asked."""
    page.goto(path)
    with page.expect_navigation():
        page.click("button[name=go][value=start]")
    asked: list[str] = []
    while page.locator("input[name=current]").count():
        fact = page.locator("input[name=current]").first.get_attribute("value")
        asked.append(fact)
        assert len(asked) <= 16, asked
        expect(page.locator("#progress")).to_be_visible()
        answer(page, fact, person.get(fact))
        with page.expect_navigation():
            page.click("#question-form button[name=go][value=answer]")
    return asked


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

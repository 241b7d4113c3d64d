"""The public self-check "Can I serve?" in a real browser: a complete answer and a partial one."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ON = "2025-06-01"  # the question's date, fixed so the answers do not drift with the calendar


def test_a_complete_american_volunteer_is_eligible_with_the_explanation(page: Any) -> None:
    page.goto("/check/all")
    page.fill("#i-birth_date", "1990-05-01")
    page.check("input[name=sex][value=male]")
    page.select_option("#i-citizenships", "US")
    page.select_option("#i-stay_basis", "temporary_residence_permit")
    page.fill("#i-stay_valid_until", "2030-01-01")
    page.check("input[name=previously_convicted][value=no]")
    page.check("input[name=prior_military_service][value=no]")
    page.select_option("#i-formation", "ngu")
    page.select_option("#i-basis", "contract")
    page.select_option("#i-rank_group", "private")
    for name, value in [
        ("medical", "fit"),
        ("psychological", "passed"),
        ("physical", "passed"),
        ("special_check", "passed"),
    ]:
        page.select_option(f"#i-{name}", value)
    page.fill("#i-on", ON)
    page.click("#check-form button[type=submit]")

    expect(page.locator("#answer .verdict")).to_have_text("Eligible")
    expect(page.locator("#answer h2")).to_contain_text("the law allows you to serve")
    expect(page.locator("#answer")).to_contain_text("On June 1, 2025")
    expect(page.locator("#missing")).to_have_count(0)
    tree = page.locator("#explanation ul.tree")
    expect(tree).to_be_visible()
    rules = tree.locator("li.status-met")
    expect(rules.first).to_be_visible()
    assert rules.count() >= 3
    # The sources of a rule open in place, with a link to the act.
    first = tree.locator("details.sources").first
    first.locator("summary").click()
    expect(first.locator("li.cite a").first).to_be_visible()
    # The facts stay in the form, to change and check again.
    expect(page.locator("#i-citizenships")).to_have_value("US")


def test_a_partial_self_check_is_undetermined_and_lists_the_missing_facts(page: Any) -> None:
    page.goto("/check/all")
    page.fill("#i-birth_date", "1990-05-01")
    page.select_option("#i-citizenships", "US")
    page.fill("#i-on", ON)
    page.click("#check-form button[type=submit]")

    expect(page.locator("#answer .verdict")).to_have_text("Undetermined")
    missing = page.locator("#missing li")
    expect(missing.first).to_be_visible()
    listed = missing.all_inner_texts()
    for fact in (
        "Basis of your stay in Ukraine",
        "Previous criminal conviction",
        "Military medical commission (VLK)",
        "Special check by the Foreigner Recruitment Centre",
    ):
        assert fact in listed, listed
    assert "Citizenship" not in listed and "Date of birth" not in listed
    # Each missing fact links to its field in the form below.
    page.click("#missing a:text-is('Basis of your stay in Ukraine')")
    assert page.url.endswith("#f-stay_basis")
    expect(page.locator("#i-stay_basis")).to_be_in_viewport()

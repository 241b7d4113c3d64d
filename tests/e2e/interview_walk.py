"""The cast walking the guided self-checks in a browser, as a person would: shared by the
interview's own browser tests and the accessibility tests that visit its pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

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

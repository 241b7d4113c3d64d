"""The guided self-checks: one question per page, chosen from what the law still needs."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

Csrf = Callable[[str], str]
HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
AMERICAN = {
    "birth_date": "1990-05-10",
    "sex": "male",
    "citizenship": ["US"],
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2027-12-31",
    "previously_convicted": "no",
    "prior_military_service": "yes",
    "formation": "ngu",
    "basis": "contract",
    "rank_group": "private",
    "service_periods": [],
    "state_award": "no",
}


def state_of(page: str) -> dict[str, str]:
    """The hidden fields of the page's question form (its last form)."""
    form = page[page.index('id="question-form"') :] if 'id="question-form"' in page else page
    return {name: html.unescape(value) for name, value in HIDDEN.findall(form)}


def current(page: str) -> str | None:
    found = re.search(r'name="current" value="([a-z_]+)"', page)
    return found.group(1) if found else None


def start(client: TestClient, csrf: Csrf, path: str = "/check", lang: str = "en") -> Any:
    first = client.get(path, params={"lang": lang})
    assert first.status_code == 200
    return client.post(f"{path}/next", data={"csrf": csrf(first.text), "go": "start"})


def answer(client: TestClient, page: str, path: str, values: dict[str, Any]) -> Any:
    return client.post(f"{path}/next", data={**state_of(page), "go": "answer", **values})


def walk(client: TestClient, csrf: Csrf, person: dict[str, Any], path: str = "/check") -> Any:
    """Answer every question from `person` until the answer; returns (page, questions asked)."""
    response, asked = start(client, csrf, path), []
    while (fact := current(response.text)) is not None:
        asked.append(fact)
        assert len(asked) < 17, asked
        values = {"citizenship": person["citizenship"]} if fact == "citizenships" else {}
        if fact != "citizenships":
            values[fact] = person.get(fact, "")
        response = answer(client, response.text, path, values)
        assert response.status_code == 200, response.text
    return response, asked


def test_it_asks_the_american_volunteer_fewer_questions_than_the_full_form(
    client: TestClient, csrf: Csrf
) -> None:
    response, asked = walk(client, csrf, AMERICAN)
    assert 0 < len(asked) < 16
    assert "medical" not in asked and "special_check" not in asked
    assert "You can apply; these checks follow." in response.text
    assert "Undetermined" not in response.text
    assert "law version" not in response.text and "→" not in response.text


def test_the_answer_shows_the_rules_and_their_sources_like_the_full_form(
    client: TestClient, csrf: Csrf
) -> None:
    response, _asked = walk(client, csrf, {**AMERICAN, "birth_date": "2010-01-01"})
    why = response.text[response.text.index('<section id="explanation">') :]

    assert "Why: the rules and their sources" in why
    assert '<li class="cite"><a href="https://zakon.rada.gov.ua/' in why
    assert "Date of birth: <em>2010-01-01</em>" in why  # the facts the rule used


def test_it_stops_at_the_first_answer_that_decides(client: TestClient, csrf: Csrf) -> None:
    too_young = {**AMERICAN, "birth_date": "2010-01-01"}
    response, asked = walk(client, csrf, too_young)
    assert asked[0] == "birth_date" and len(asked) <= 2
    assert "Not eligible" in response.text


def test_it_shows_the_question_again_with_a_message_and_the_typed_value(
    client: TestClient, csrf: Csrf
) -> None:
    first = start(client, csrf)
    assert current(first.text) == "birth_date"
    wrong = answer(client, first.text, "/check", {"birth_date": "1990-02-31"})
    assert wrong.status_code == 422
    assert "<title>Error:" in wrong.text
    assert 'href="#i-birth_date"' in wrong.text
    assert 'value="1990-02-31"' in wrong.text


def test_back_returns_to_the_last_question_with_its_answer(client: TestClient, csrf: Csrf) -> None:
    first = start(client, csrf)
    second = answer(client, first.text, "/check", {"birth_date": "1990-05-10"})
    assert current(second.text) != "birth_date"
    back = client.post("/check/next", data={**state_of(second.text), "go": "back"})
    assert current(back.text) == "birth_date"
    assert 'value="1990-05-10"' in back.text


def test_the_answers_page_offers_a_change_link_per_answer(client: TestClient, csrf: Csrf) -> None:
    first = start(client, csrf)
    second = answer(client, first.text, "/check", {"birth_date": "1990-05-10"})
    answers = client.post("/check/next", data={**state_of(second.text), "go": "answers"})
    assert 'value="change:birth_date"' in answers.text
    assert "May 10, 1990" in answers.text
    assert '<span class="visually-hidden"> Date of birth</span>' in answers.text
    change = client.post("/check/next", data={**state_of(second.text), "go": "change:birth_date"})
    assert current(change.text) == "birth_date"


def test_the_language_switch_keeps_the_question(client: TestClient, csrf: Csrf) -> None:
    first = start(client, csrf)
    second = answer(client, first.text, "/check", {"birth_date": "1990-05-10"})
    fact = current(second.text)
    switched = client.post(
        "/check/next?lang=uk", data={**state_of(second.text), "go": "stay", "current": fact}
    )
    assert switched.status_code == 200
    assert current(switched.text) == fact
    assert '<html lang="uk">' in switched.text


def test_the_citizenship_interview_reaches_an_answer(client: TestClient, csrf: Csrf) -> None:
    person = {
        **AMERICAN,
        "period_0_formation": "ngu",
        "period_0_basis": "contract",
        "period_0_start": "2022-03-01",
    }
    response, asked = walk(client, csrf, person, "/check/citizenship")
    assert asked[0] == "service_periods"
    assert len(asked) <= 4
    assert 'id="route"' in response.text


def test_a_forged_state_starts_afresh(client: TestClient, csrf: Csrf) -> None:
    page = client.get("/check")
    response = client.post(
        "/check/next",
        data={"csrf": csrf(page.text), "facts": '{"age": 3}', "go": "start"},
    )
    assert current(response.text) == "birth_date"

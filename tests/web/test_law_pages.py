"""The law's own pages and answers for every date since 2014: the self-check and the API answer a
date before 2015 (no act admits foreigners yet), refuse one before 2014 naming the field, mark the
checks that follow an application as pending, and list what changed and when."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from .test_public_pages import AMERICAN, outcome_of, send

Csrf = Callable[[str], str]
FACTS = {
    "birth_date": "1990-05-10",
    "citizenships": ["US"],
    "stay_basis": "temporary_residence_permit",
    "stay_valid_until": "2027-12-31",
    "previously_convicted": False,
    "formation": "ngu",
    "basis": "contract",
    "rank_group": "private",
    "sex": "male",
}


def test_the_self_check_answers_a_date_in_2014(client: TestClient, csrf: Csrf) -> None:
    page = send(client, csrf, "/check", {**AMERICAN, "on": "2014-06-01"})
    assert page.status_code == 200
    assert outcome_of(page.text) == "ineligible"


def test_the_self_check_refuses_a_date_before_2014_naming_the_field(
    client: TestClient, csrf: Csrf
) -> None:
    page = send(client, csrf, "/check", {**AMERICAN, "on": "2013-12-31"})
    assert page.status_code == 422  # the form again, the field named
    assert "guardpath holds the law from then" in page.text
    assert 'id="f-on"' in page.text


def test_the_api_answers_a_date_in_2014_and_refuses_2013(client: TestClient) -> None:
    response = client.post("/api/v1/checks/enlistment", json={"facts": FACTS, "on": "2014-01-01"})
    assert response.status_code == 200
    assert response.json()["outcome"] == "ineligible"
    refused = client.post("/api/v1/checks/enlistment", json={"facts": FACTS, "on": "2013-12-31"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "on"]


def test_the_api_marks_the_checks_that_follow_an_application_as_pending(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/checks/enlistment", json={"facts": FACTS, "on": "2025-03-01"})
    answer = response.json()
    assert answer["outcome"] == "undetermined"
    assert answer["pending"] == ["medical", "physical", "psychological", "special_check"]
    assert set(answer["pending"]) <= set(answer["missing"])


def test_the_pages_link_what_changed_and_when_to_the_list_of_changes(client: TestClient) -> None:
    home = client.get("/")
    assert 'href="/law/changes"' in home.text
    page = client.get("/law/changes")
    assert page.status_code == 200
    assert 'id="d-2015-11-12"' in page.text  # Law 716-VIII opens the AFU to foreigners
    assert 'id="d-2024-10-30"' in page.text  # Law 4019-IX
    assert "https://www.president.gov.ua/documents/842024-49797" in page.text


def test_what_changed_and_when_speaks_ukrainian(client: TestClient) -> None:
    page = client.get("/law/changes", params={"lang": "uk"})
    assert "Що і коли змінилося" in page.text
    assert "Набирає чинності" in page.text

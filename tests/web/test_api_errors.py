"""Bad input to the API: a 422 naming the field, never a server error."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_it_answers_422_for_a_lone_surrogate_instead_of_failing(client: TestClient) -> None:
    body = '{"facts": {}, "on": "\\ud800"}'
    response = client.post(
        "/api/v1/checks/enlistment", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "on"]


def test_it_names_an_unknown_fact_in_a_check(client: TestClient) -> None:
    response = client.post(
        "/api/v1/checks/enlistment", json={"facts": {"nationality": "US"}, "on": "2024-03-01"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "facts", "nationality"]


def test_it_refuses_malformed_json_with_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/checks/enlistment", content="{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422

"""Schemathesis against the app's own OpenAPI document, in process (ASGI): every operation,
positive and negative examples, no server error and every answer as the schema says.

A bounded run (GUARDPATH_FUZZ_EXAMPLES per operation and mode, 25 by default, the same
examples each run); docs/security.md gives the longer, random run.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

MAX_EXAMPLES = int(os.environ.get("GUARDPATH_FUZZ_EXAMPLES", "25"))
RANDOM = os.environ.get("GUARDPATH_FUZZ_RANDOM") == "1"

OPERATIONS = [
    "POST /api/v1/checks/enlistment",
    "POST /api/v1/checks/citizenship",
    "POST /api/v1/applications",
    "GET /api/v1/applications/{reference}",
]
"""Written out, so that a new operation fails the completeness test until it is fuzzed."""

TRIED: Counter[str] = Counter()

NOT_CHECKED = [positive_data_acceptance]
"""Every built-in check but this one: the schema says what a body looks like, not the rules
the law and Decree 84/2024 add (both consents given, a birth date not in the future, a fact
the contract knows), so a schema-valid body may rightly be refused with 422."""


@pytest.fixture(scope="module")
def api_schema(reliability_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", reliability_app)


def test_the_fuzzed_operations_are_every_operation_of_the_schema(
    api_schema: schemathesis.BaseSchema,
) -> None:
    found = {result.ok().label for result in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation_answers_without_server_error_and_as_its_schema_says(
    api_schema: schemathesis.BaseSchema, label: str, mode: GenerationMode
) -> None:
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not RANDOM,
        database=None,
    )
    def fuzz(case: schemathesis.Case) -> None:
        TRIED[label] += 1
        case.call_and_validate(excluded_checks=NOT_CHECKED)

    before = TRIED[label]
    fuzz()
    assert TRIED[label] > before
    print(f"{label} ({mode.value}): {TRIED[label] - before} examples")


# -- what the fuzzing found, kept ------------------------------------------------------------
def test_a_check_before_2015_is_refused_with_422_not_a_server_error(
    reliability_app: FastAPI,
) -> None:
    """The engine holds the law from 2015 on; before, a list parameter had no value and the
    compiler raised (500). The API now refuses the date as the CLI does."""
    with TestClient(reliability_app) as client:
        for question in ("enlistment", "citizenship"):
            body = {"facts": {}, "on": "2000-01-01"}
            response = client.post(f"/api/v1/checks/{question}", json=body)
            assert response.status_code == 422, response.text
            assert response.json()["detail"][0]["loc"] == ["body", "on"]
            assert "2015-01-01" in response.json()["detail"][0]["msg"]
        assert client.post("/api/v1/checks/enlistment", json=body | {"on": "2015-01-01"}).is_success


def test_a_422_names_the_type_of_each_problem_as_the_schema_says(
    reliability_app: FastAPI,
) -> None:
    """The documented HTTPValidationError requires `type` in each problem; the handlers left
    it out (for a bad body and for an unknown fact)."""
    with TestClient(reliability_app) as client:
        bad_json = client.post(
            "/api/v1/checks/enlistment",
            content=b"\x00",
            headers={"Content-Type": "application/json"},
        )
        unknown_fact = client.post(
            "/api/v1/checks/citizenship", json={"facts": {"": None}, "on": "2025-01-01"}
        )
    for response in (bad_json, unknown_fact):
        assert response.status_code == 422
        assert all({"type", "loc", "msg"} <= set(p) for p in response.json()["detail"])
    assert unknown_fact.json()["detail"][0]["loc"] == ["body", "facts", ""]


@pytest.mark.parametrize("path", ["/api/v1/applications", "/api/v1/checks/enlistment"])
def test_a_body_that_is_not_utf8_gets_the_documented_400(
    reliability_app: FastAPI, path: str
) -> None:
    with TestClient(reliability_app) as client:
        response = client.post(
            path, content=b"\xff\x06\x02,", headers={"Content-Type": "application/json"}
        )
        documented = client.get("/api/v1/openapi.json").json()["paths"][path]["post"]
    assert response.status_code == 400
    assert "400" in documented["responses"]

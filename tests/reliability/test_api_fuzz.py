"""Schemathesis against the app's own OpenAPI document, in process (ASGI): every operation,
positive and negative examples, no server error and every answer as the schema says.

A bounded run (GUARDPATH_FUZZ_EXAMPLES per operation and mode, 25 by default, the same
examples each run); docs/security.md gives the longer, random run. Random generation seldom
lands on a leap day or the day a law changed, so those days, with Russian, Belarusian,
Ukrainian and stateless applicants, are sent every time, through the same checks.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from guardpath.cases.facts import CASE_FACTS
from guardpath.law.facts import COUNTRY_CODES, FACT_NAMES

MAX_EXAMPLES = int(os.environ.get("GUARDPATH_FUZZ_EXAMPLES", "25"))
RANDOM = os.environ.get("GUARDPATH_FUZZ_RANDOM") == "1"

CHECKS = {
    "enlistment": "POST /api/v1/checks/enlistment",
    "citizenship": "POST /api/v1/checks/citizenship",
}
OPERATIONS = [
    *CHECKS.values(),
    "POST /api/v1/applications",
    "GET /api/v1/applications/{reference}",
]
"""Written out, so that a new operation fails the completeness test until it is fuzzed."""

TRIED: Counter[str] = Counter()

NOT_CHECKED = [positive_data_acceptance]
"""Every built-in check but this one: the schema says what a body looks like, not the rules
the law and Decree 84/2024 add (both consents given, a birth date not in the future, a fact
the contract knows), so a schema-valid body may rightly be refused with 422."""

LAW_CHANGES = ("2015-11-12", "2019-08-25", "2022-02-24", "2024-02-21", "2024-10-30")
"""Foreigners in the AFU; Law 2743-VIII; martial law; foreigners in the NGU; Law 4019-IX."""
BOUNDARY_DAYS = sorted(
    {"2015-01-01", "2016-01-01", "2025-01-01", "2016-02-29", "2020-02-29", "2024-02-29"}
    | set(LAW_CHANGES)
    | {(date.fromisoformat(day) - timedelta(days=1)).isoformat() for day in LAW_CHANGES}
)
"""The first day of the law guardpath holds, New Year's Days, leap days, and the eve and the
day of each change in the law: the days a date computation goes wrong, which random
generation almost never reaches."""
LEAP_BIRTHS = ("1964-02-29", "1996-02-29", "2004-02-29")
"""60 on 29 February 2024; a common adult; 18 on 28 February 2022, the eve of martial law."""
CITIZENSHIPS = {"stateless": [], "RU": ["RU"], "BY": ["BY"], "UA": ["UA"], "GB-US": ["GB", "US"]}
APPLICANT: dict[str, Any] = {
    "given_names": "Maksym",
    "surname": "Zhuravlov",
    "sex": "male",
    "passport_number": "AB1234567",
}


@pytest.fixture(scope="module")
def api_schema(reliability_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", reliability_app)


def test_the_fuzzed_operations_are_every_operation_of_the_schema(
    api_schema: schemathesis.BaseSchema,
) -> None:
    found = {result.ok().label for result in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


def test_the_schema_names_the_countries_and_facts_so_the_fuzzing_generates_them(
    api_schema: schemathesis.BaseSchema,
) -> None:
    """Without them it generated only `citizenships: []` and `facts: {}`."""
    schemas = api_schema.raw_schema["components"]["schemas"]
    countries = schemas["PersonIn"]["properties"]["citizenships"]["items"]
    check_facts = schemas["CheckIn"]["properties"]["facts"]
    applicant_facts = schemas["ApplicationIn"]["properties"]["facts"]
    assert countries == {"type": "string", "enum": sorted(COUNTRY_CODES)}
    assert check_facts["properties"]["citizenships"]["anyOf"][0]["items"] == countries
    assert check_facts["properties"]["birth_date"]["anyOf"][0] == {
        "type": "string",
        "format": "date",
    }
    assert list(check_facts["properties"]) == list(FACT_NAMES)
    assert list(applicant_facts["properties"]) == list(CASE_FACTS)
    assert check_facts["additionalProperties"] is applicant_facts["additionalProperties"] is False


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
def test_a_check_before_2014_is_refused_with_422_not_a_server_error(
    reliability_app: FastAPI,
) -> None:
    """The engine holds the law from 2014 on; before, a list parameter had no value and the
    compiler raised (500). The API refuses an earlier date as the CLI does, and answers 2014."""
    with TestClient(reliability_app) as client:
        for question in ("enlistment", "citizenship"):
            body = {"facts": {}, "on": "2000-01-01"}
            response = client.post(f"/api/v1/checks/{question}", json=body)
            assert response.status_code == 422, response.text
            assert response.json()["detail"][0]["loc"] == ["body", "on"]
            assert "2014-01-01" in response.json()["detail"][0]["msg"]
        assert client.post("/api/v1/checks/enlistment", json=body | {"on": "2014-01-01"}).is_success


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


# -- boundary days, every time -----------------------------------------------------------------
def check_facts(born: str, citizenships: list[str], on: str) -> dict[str, Any]:
    """A volunteer's every fact, his stay and his service ending on the day asked."""
    return {
        "birth_date": born,
        "sex": "male",
        "citizenships": citizenships,
        "stay_basis": "temporary_residence_permit",
        "stay_valid_until": on,
        "previously_convicted": False,
        "special_check": "passed",
        "formation": "ngu",
        "basis": "contract",
        "service_periods": [
            {"formation": "afu", "basis": "contract", "start": "2015-01-01", "end": on}
        ],
    }


def call_as_the_schema_says(
    api_schema: schemathesis.BaseSchema, label: str, body: dict[str, Any]
) -> int:
    """Send `body` to the operation; every check of the fuzzing (no server error, the status,
    headers and body as the schema documents them) must pass. Returns the status."""
    method, path = label.split(" ", 1)
    case = api_schema[path][method].Case(body=body, media_type="application/json")
    return case.call_and_validate(excluded_checks=NOT_CHECKED).status_code


@pytest.mark.parametrize("citizenships", CITIZENSHIPS.values(), ids=CITIZENSHIPS.keys())
@pytest.mark.parametrize("on", BOUNDARY_DAYS)
@pytest.mark.parametrize("label", CHECKS.values(), ids=CHECKS.keys())
def test_a_check_on_a_boundary_day_answers_as_its_schema_says(
    api_schema: schemathesis.BaseSchema, label: str, on: str, citizenships: list[str]
) -> None:
    for born in LEAP_BIRTHS:
        body = {"facts": check_facts(born, citizenships, on), "on": on}
        assert call_as_the_schema_says(api_schema, label, body) == 200, body


@pytest.mark.parametrize("citizenships", CITIZENSHIPS.values(), ids=CITIZENSHIPS.keys())
@pytest.mark.parametrize("born", [*LEAP_BIRTHS, *BOUNDARY_DAYS])
def test_an_application_born_on_a_boundary_day_answers_as_its_schema_says(
    api_schema: schemathesis.BaseSchema, born: str, citizenships: list[str]
) -> None:
    body = {
        "person": APPLICANT | {"birth_date": born, "citizenships": citizenships},
        "facts": {"stay_basis": "temporary_residence_permit", "stay_valid_until": "2028-02-29"},
        "consents": {"data_processing": True, "verification": True},
    }
    assert call_as_the_schema_says(api_schema, "POST /api/v1/applications", body) == 201, body

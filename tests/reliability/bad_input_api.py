"""The bad-input catalogue: the JSON API's cases."""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from web.staff_fixtures import (
    RUSSIAN,
)

from .bad_input_world import FACTS, TOMORROW, Bad, Refusal, Send, World, api_problems


# -- the API -------------------------------------------------------------------------------------
def api(path: str, body: object = None, content: bytes | None = None) -> Send:
    def send(world: World) -> Refusal:
        if content is None:
            answer = world.api.post(path, json=body)
        else:
            headers = {"content-type": "application/json"}
            answer = world.api.post(path, content=content, headers=headers)
        return Refusal(answer.status_code, api_problems(answer))

    return send


def application(person: dict[str, Any] | None = None, **top: Any) -> Send:
    body = deepcopy(RUSSIAN)
    body["person"] |= person or {}
    return api("/api/v1/applications", body | top)


def check(question: str, facts: object, on: object = "2025-01-01") -> Send:
    return api(f"/api/v1/checks/{question}", {"facts": facts, "on": on})


def oversize(path: str, body: dict[str, Any]) -> Send:
    padded = {**body, "padding": "x" * (1 << 20)}
    return api(path, content=json.dumps(padded).encode())


APPLICATIONS = "/api/v1/applications"
ENLISTMENT = "/api/v1/checks/enlistment"
API = [
    Bad(
        "api-applications-malformed-json",
        api(APPLICATIONS, content=b'{"person": '),
        422,
        ("body", "not valid JSON", "JSON object"),
    ),
    Bad(
        "api-applications-a-list-for-an-object",
        api(APPLICATIONS, [RUSSIAN]),
        422,
        ("body", "object"),
    ),
    Bad(
        "api-applications-2023-02-29-birth-date",
        application({"birth_date": "2023-02-29"}),
        422,
        ("person.birth_date", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-future-birth-date",
        application({"birth_date": TOMORROW}),
        422,
        ("person.birth_date", "future"),
    ),
    Bad(
        "api-applications-birth-date-as-a-number",
        application({"birth_date": 0}),
        422,
        ("person.birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-birth-date-with-a-time",
        application({"birth_date": "1991-07-23T00:00:00"}),
        422,
        ("person.birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-unknown-country-XX",
        application({"citizenships": ["XX"]}),
        422,
        ("person.citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-applications-former-country-SU",
        application({"citizenships": ["SU"]}),
        422,
        ("person.citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-applications-citizenships-as-text",
        application({"citizenships": "RU"}),
        422,
        ("person.citizenships", "list"),
    ),
    Bad(
        "api-applications-given-names-as-a-number",
        application({"given_names": 7}),
        422,
        ("person.given_names", "string"),
    ),
    Bad(
        "api-applications-over-long-surname",
        application({"surname": "Z" * 201}),
        422,
        ("person.surname", "at most 200 characters"),
    ),
    Bad(
        "api-applications-over-long-passport-number",
        application({"passport_number": "A" * 65}),
        422,
        ("person.passport_number", "at most 64"),
    ),
    Bad(
        "api-applications-control-character-in-surname",
        application({"surname": "Zhura\x07vlov"}),
        422,
        ("person.surname", "control"),
    ),
    Bad(
        "api-applications-right-to-left-override-in-given-names",
        application({"given_names": "Mak\u202esym"}),
        422,
        ("person.given_names", "invisible"),
    ),
    Bad(
        "api-applications-mixed-scripts-in-given-names",
        application({"given_names": "Mаksym"}),
        422,
        ("person.given_names", "Cyrillic and Latin", "one script"),
    ),
    Bad(
        "api-applications-mixed-scripts-in-passport-number",
        application({"passport_number": "АB1234567"}),
        422,
        ("person.passport_number", "one script"),
    ),
    Bad(
        "api-applications-control-character-in-email",
        application({"email": "m.zhu\x01ravlov@example.org"}),
        422,
        ("person.email", "control"),
    ),
    Bad(
        "api-applications-consent-as-text",
        application(consents={"data_processing": "yes", "verification": True}),
        422,
        ("consents.data_processing", "boolean"),
    ),
    Bad(
        "api-applications-consent-refused",
        application(consents={"data_processing": True, "verification": False}),
        422,
        ("consents", "verification", "required"),
    ),
    Bad(
        "api-applications-2023-02-29-stay-valid-until",
        application(facts={"stay_valid_until": "2023-02-29"}),
        422,
        ("facts", "stay_valid_until", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-fact-of-the-wrong-type",
        application(facts={"prior_military_service": "yes"}),
        422,
        ("facts", "prior_military_service", "true or false"),
    ),
    Bad(
        "api-applications-unknown-formation",
        application(formation="army"),
        422,
        ("formation", "ngu"),
    ),
    Bad(
        "api-applications-oversize-body",
        oversize(APPLICATIONS, RUSSIAN),
        413,
        ("request body", "65,536 bytes"),
    ),
    Bad(
        "api-checks-enlistment-malformed-json",
        api(ENLISTMENT, content=b"{"),
        422,
        ("body", "not valid JSON"),
    ),
    Bad(
        "api-checks-enlistment-2023-02-29-birth-date",
        check("enlistment", {"birth_date": "2023-02-29"}),
        422,
        ("facts.birth_date", "calendar date"),
    ),
    Bad(
        "api-checks-enlistment-birth-date-after-the-date-asked",
        check("enlistment", {"birth_date": "2090-05-10"}),
        422,
        ("facts.birth_date", "after the date"),
    ),
    Bad(
        "api-checks-enlistment-2023-02-29-as-the-date-asked",
        check("enlistment", FACTS, "2023-02-29"),
        422,
        ("body.on", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-checks-enlistment-date-asked-as-a-number",
        check("enlistment", FACTS, 20250101),
        422,
        ("body.on", "YYYY-MM-DD"),
    ),
    Bad(
        "api-checks-citizenship-unknown-country-XX",
        check("citizenship", {"citizenships": ["XX"]}),
        422,
        ("citizenships[0]", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-checks-citizenship-service-periods-as-text",
        check("citizenship", {"service_periods": "three years"}),
        422,
        ("service_periods", "list"),
    ),
    Bad(
        "api-checks-enlistment-unknown-fact-with-a-lone-surrogate",
        api(ENLISTMENT, content=b'{"facts": {"\\ud800": 1}, "on": "2025-01-01"}'),
        422,
        ("facts", "unknown fact", "birth_date"),
    ),
    Bad(
        "api-checks-enlistment-oversize-body",
        oversize(ENLISTMENT, {"facts": {}}),
        413,
        ("request body", "65,536 bytes"),
    ),
]

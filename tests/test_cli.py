"""The command line: answers as the contract says, readable text, and bad input that exits 2."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from cli_support import (
    AMERICAN,
    ANSWER_KEYS,
    BRITON,
    EXAMPLES,
    REASON_KEYS,
    STATELESS,
    STATUSES,
    american,
    answer_json,
    assert_bad_input,
    run,
    walk,
)


def test_it_answers_the_american_volunteer_in_the_contract_json() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2024-03-01")

    assert set(answer) == ANSWER_KEYS
    assert answer["question"] == "enlistment"
    assert answer["on"] == "2024-03-01"
    assert answer["outcome"] == "eligible"
    assert answer["missing"] == []
    nodes = [node for reason in answer["reasons"] for node in walk(reason)]
    assert {node["rule"] for node in nodes} >= {"enlistment", "enlistment.foreigners.lawful_stay"}
    for node in nodes:
        assert set(node) >= REASON_KEYS
        assert node["status"] in STATUSES
        for citation in node["citations"]:
            assert {"title", "href", "verified"} <= set(citation)


def test_it_answers_citizenship_with_the_route_the_earliest_date_and_obligations() -> None:
    answer = answer_json("citizenship", str(BRITON), "--on", "2025-06-01")

    assert set(answer) == ANSWER_KEYS | {"route", "earliest_date", "obligations"}
    assert answer["outcome"] == "eligible"
    assert answer["route"] == "contract_service"
    assert answer["earliest_date"] == "2025-03-10"
    assert answer["obligations"]


def test_it_explains_in_text_with_the_answer_first_the_marks_and_the_citations() -> None:
    result = run("check", "enlistment", str(AMERICAN), "--on", "2024-03-01")

    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[0] == "Enlistment on 2024-03-01: ELIGIBLE"
    assert "✓ Is in Ukraine on lawful grounds" in text
    assert "– Passed the special check" in text  # the check exists from 2024-10-30 only
    assert "enlistment.foreigners.lawful_stay" in text
    assert "Decree 84/2024, Regulation on NGU service" in text
    assert "https://www.president.gov.ua/documents/842024-49797" in text
    assert "unverified" in text
    assert "facts: date of birth: 1990-05-14" in text
    assert "law: Maximum age in a special period: 60 since 2014-01-01" in text
    assert "law version" in text


def test_it_marks_what_does_not_apply_and_what_fails() -> None:
    facts = american(previously_convicted=True)
    result = run("check", "enlistment", "-", "--on", "2024-03-01", input=facts)

    assert result.exit_code == 0
    assert "INELIGIBLE" in result.stdout
    assert "✗ Not previously convicted" in result.stdout
    assert "– A Ukrainian citizen" in result.stdout


def test_it_lists_the_missing_facts_of_the_stateless_applicant() -> None:
    result = run("check", "enlistment", str(STATELESS), "--on", "2025-01-10")

    assert result.exit_code == 0
    assert "UNDETERMINED" in result.stdout
    assert "? Passed professional-psychological selection" in result.stdout
    assert "Missing facts: previously convicted" in result.stdout
    later = "Checks that follow an application: physical fitness test, professional-psychological"
    assert later in result.stdout
    assert "these checks follow an application" in result.stdout


def test_it_marks_the_checks_that_follow_an_application_as_pending_in_the_json() -> None:
    answer = answer_json("enlistment", str(STATELESS), "--on", "2025-01-10")

    assert answer["outcome"] == "undetermined"
    assert {"physical", "previously_convicted", "psychological"} <= set(answer["missing"])
    assert {"physical", "psychological"} <= set(answer["pending"])
    checks = {"medical", "psychological", "physical", "special_check"}
    assert answer["pending"] == [fact for fact in answer["missing"] if fact in checks]


def test_it_answers_a_date_in_2014_ineligible_for_a_foreigner() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2014-01-01")

    assert answer["outcome"] == "ineligible"
    assert answer["missing"] == []


def test_it_shows_open_questions_when_the_law_itself_is_unsettled() -> None:
    facts = american(formation="dsst")  # DSST's door: Law 2863-IX, in-force date unknown
    answer = answer_json("enlistment", "-", "--on", "2023-06-01", input=facts)
    text = run("check", "enlistment", "-", "--on", "2023-06-01", input=facts).stdout

    assert answer["outcome"] == "undetermined"
    assert "law_2863_in_force" in answer["open_questions"]
    assert "Open questions of the law" in text
    assert "law_2863_in_force" in text


def test_it_renders_citizenship_with_route_earliest_date_and_obligations() -> None:
    result = run("check", "citizenship", str(BRITON), "--on", "2025-06-01")

    assert result.exit_code == 0
    assert "Citizenship on 2025-06-01: ELIGIBLE" in result.stdout
    assert "Route: Three years counted from the contract's start" in result.stdout
    assert "Earliest date: 2025-03-10" in result.stdout
    assert "Obligations:" in result.stdout


def test_it_reads_facts_from_standard_input() -> None:
    answer = answer_json("enlistment", "-", "--on", "2024-03-01", input=AMERICAN.read_text())

    assert answer["outcome"] == "eligible"


def test_it_answers_in_ukrainian_for_recruitment_staff() -> None:
    result = run("check", "enlistment", str(AMERICAN), "--on", "2024-03-01", "--lang", "uk")

    assert result.exit_code == 0
    assert "Вступ на службу станом на 2024-03-01: ВІДПОВІДАЄ УМОВАМ" in result.stdout
    assert "Джерела" in result.stdout


def test_it_exits_0_when_the_answer_is_no() -> None:
    answer = answer_json("enlistment", str(AMERICAN), "--on", "2023-01-01")

    assert answer["outcome"] == "ineligible"  # the NGU took foreigners from 2024-02-21


def test_it_answers_for_today_without_on() -> None:
    before = date.today().isoformat()
    answer = answer_json("enlistment", str(AMERICAN))

    assert before <= answer["on"] <= date.today().isoformat()


BAD_FACTS = [
    ({"nickname": "Doc"}, "nickname", "accepted facts are"),
    ({"formation": "navy"}, "formation", "one of ngu, afu, dsst"),
    ({"birth_date": "2023-02-29"}, "birth_date", "YYYY-MM-DD"),
    ({"citizenships": ["USA"]}, "citizenships[0]", "ISO 3166-1 alpha-2"),
    ({"previously_convicted": "no"}, "previously_convicted", "true or false"),
    ({"service_periods": [{"formation": "afu", "basis": "contract"}]}, "start", "required"),
]


@pytest.mark.parametrize(("facts", "field", "accepted"), BAD_FACTS)
def test_it_refuses_bad_facts_naming_the_field(
    facts: dict[str, Any], field: str, accepted: str
) -> None:
    result = run("check", "enlistment", "-", "--on", "2024-03-01", input=json.dumps(facts))

    assert_bad_input(result, field, accepted)


@pytest.mark.parametrize(
    ("args", "field", "accepted"),
    [
        (["check", "enlistment", str(AMERICAN), "--on", "2023-02-29"], "--on", "YYYY-MM-DD"),
        (["check", "enlistment", str(AMERICAN), "--on", "1 March"], "--on", "YYYY-MM-DD"),
        (["check", "enlistment", str(AMERICAN), "--on", "2013-12-31"], "--on", "2014-01-01"),
        (["check", "enlistment", "no-such-file.json"], "FACTS", "JSON file"),
        (["check", "enlistment", str(EXAMPLES)], "FACTS", "JSON file"),
        (["check", "enrolment", str(AMERICAN)], "QUESTION", "enlistment, citizenship"),
        (["check", "enlistment", str(AMERICAN), "--lang", "fr"], "--lang", "en, uk"),
        (["timeline", str(AMERICAN)], "--question", "enlistment, citizenship"),
        (["timeline", str(AMERICAN), "-q", "pension"], "--question", "enlistment, citizenship"),
        (["law", "enlistment.age"], "NAME", "enlistment.common.age"),
    ],
)
def test_it_refuses_bad_arguments_naming_them(args: list[str], field: str, accepted: str) -> None:
    assert_bad_input(run(*args), field, accepted)


def test_it_refuses_text_that_is_not_json() -> None:
    result = run("check", "enlistment", "-", input='{"sex": "male",}')

    assert_bad_input(result, "FACTS", "not valid JSON")
    assert "line 1" in result.stderr


def test_it_refuses_json_that_is_not_an_object() -> None:
    assert_bad_input(run("check", "enlistment", "-", input="[]"), "facts", "JSON object")

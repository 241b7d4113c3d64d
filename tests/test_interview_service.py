"""The guided check's choice of questions (services/checks.py), on the cast of the legal cases:
it reaches the answer the full form reaches, asking fewer questions, never a later check."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from guardpath.law.evaluate import decide
from guardpath.law.facts import parse_facts
from guardpath.law.loader import DEFAULT_ROOT, default_legislation
from guardpath.services.checks import FULL_FORM, interview, next_question, verdict_of

ON = date(2026, 1, 1)
PENDING = {"medical", "psychological", "physical", "special_check"}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


CAST = {
    name: _plain(member["facts"])
    for name, member in yaml.safe_load((DEFAULT_ROOT / "cast.cases.yaml").read_text())[
        "cast"
    ].items()
}


@pytest.mark.parametrize("question", ["enlistment", "citizenship"])
@pytest.mark.parametrize("name", sorted(CAST))
def test_it_reaches_the_full_forms_answer_with_fewer_questions(name: str, question: str) -> None:
    legislation = default_legislation()
    person = CAST[name]
    asked = interview(legislation, question, person, ON)
    known = {fact: person[fact] for fact in asked if person.get(fact) is not None}
    everything = {fact: value for fact, value in person.items() if fact not in PENDING}

    reached = decide(question, parse_facts(known), ON, legislation, explain_tree=False)
    full = decide(question, parse_facts(everything), ON, legislation, explain_tree=False)

    assert verdict_of(reached) == verdict_of(full)
    assert len(asked) < FULL_FORM[question]
    assert not PENDING & set(asked)
    assert len(asked) == len(set(asked))


def test_the_pending_checks_alone_read_as_you_can_apply() -> None:
    legislation = default_legislation()
    person = {k: v for k, v in CAST["american_volunteer"].items() if k not in PENDING}
    answer = decide("enlistment", parse_facts(person), ON, legislation, explain_tree=False)

    assert answer.outcome == "undetermined" and set(answer.pending) == PENDING
    assert verdict_of(answer) == "can_apply"


def test_it_asks_first_what_settles_most_and_nothing_once_decided() -> None:
    legislation = default_legislation()
    assert next_question(legislation, "enlistment", {}, ON) == "birth_date"
    assert next_question(legislation, "citizenship", {}, ON) == "service_periods"
    decided = {"birth_date": "2015-01-01", "citizenships": ["US"]}  # an American of ten
    assert next_question(legislation, "enlistment", decided, ON) is None


def test_a_fact_the_person_does_not_know_is_not_asked_again() -> None:
    legislation = default_legislation()
    first = next_question(legislation, "enlistment", {}, ON, ["birth_date"])
    assert first not in (None, "birth_date")

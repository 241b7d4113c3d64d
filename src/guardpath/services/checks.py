"""The self-checks, answered once for the pages and the API: the law's answer with its
timeline (walked once, also giving a citizenship answer's earliest date), and the guided
interview's next question.

The interview asks one fact at a time. Among the facts still missing that a person can know
(not the checks the recruitment process makes after an application), it asks the one whose
answer most often settles the question, trying a few plausible values of each, and it stops
as soon as the answer is decided or only those later checks remain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from guardpath.law.answer_json import AnswerJson
from guardpath.law.dates import add_years
from guardpath.law.evaluate import Answer, decide
from guardpath.law.facts import (
    BOOL_FACTS,
    ENUM_FACTS,
    FACT_NAMES,
    Facts,
    check_born_by,
    parse_facts,
)
from guardpath.law.model import Legislation
from guardpath.law.timeline import Period, earliest_eligible, timeline

QUESTIONS: Final = ("enlistment", "citizenship")
FULL_FORM: Final[dict[str, int]] = {"enlistment": 16, "citizenship": 4}
"""The questions of the full form ("answer all at once"), the date of the question included."""


@dataclass(frozen=True)
class Checked:
    """An answer of the law, its timeline, and how a volunteer should read it."""

    answer: Answer
    periods: list[Period]
    verdict: str
    """`eligible`, `ineligible`, `undetermined`, or `can_apply`: only the checks that follow
    an application are missing."""


def verdict_of(answer: Answer) -> str:
    if answer.outcome == "undetermined" and answer.missing and answer.missing == answer.pending:
        return "can_apply"
    return answer.outcome


def check(
    legislation: Legislation, question: str, facts: Facts, on: date, language: str = "en"
) -> Checked:
    """The answer of `question` for `facts` on `on`; the timeline is walked once."""
    if question not in QUESTIONS:
        raise ValueError(f"unknown question {question!r}")
    check_born_by(facts, on)
    result = decide(question, facts, on, legislation, language)
    periods = timeline(question, facts, legislation)
    if question == "citizenship":
        result.earliest_date = earliest_eligible(periods, on)
    return Checked(result, periods, verdict_of(result))


def periods(legislation: Legislation, question: str, facts: Facts) -> list[Period]:
    """The periods since 2014 in which the answer of `question` stays the same, and why each
    ends (the CLI's `timeline`; `check` walks the same timeline)."""
    if question not in QUESTIONS:
        raise ValueError(f"unknown question {question!r}")
    return timeline(question, facts, legislation)


def answer_json(
    legislation: Legislation, question: str, raw: Mapping[str, Any], on: date, language: str
) -> AnswerJson:
    """The contract's JSON answer (API and CLI alike)."""
    facts = parse_facts(dict(raw))
    return check(legislation, question, facts, on, language).answer.as_json()


# -- the interview ------------------------------------------------------------------------------
def askable(legislation: Legislation, missing: Iterable[str], declined: Iterable[str]) -> list[str]:
    """The missing facts a person can answer before applying, and has not declined."""
    skip = set(legislation.pending.facts) | set(declined)
    return [fact for fact in missing if fact not in skip]


def settled(legislation: Legislation, answer: Answer, declined: Iterable[str]) -> bool:
    """Nothing more to ask: the answer is decided, or nothing askable is missing."""
    return answer.outcome != "undetermined" or not askable(legislation, answer.missing, declined)


def _probes(fact: str, on: date) -> list[object]:
    """A few plausible answers to a fact, to see how often it would settle the question."""
    if fact in ENUM_FACTS:
        return list(ENUM_FACTS[fact])
    if fact in BOOL_FACTS:
        return [True, False]
    if fact == "birth_date":
        return [add_years(on, -age).isoformat() for age in (17, 30, 45, 62)]
    if fact == "stay_valid_until":
        return [(on + timedelta(days=400)).isoformat(), (on - timedelta(days=1)).isoformat()]
    if fact == "citizenships":
        return [["US"], ["RU"], ["UA"], []]
    if fact == "service_periods":
        start = add_years(on, -4).isoformat()
        return [[], [{"formation": "ngu", "basis": "contract", "start": start, "end": None}]]
    return []


def _score(
    legislation: Legislation,
    question: str,
    known: dict[str, Any],
    fact: str,
    on: date,
    declined: list[str],
) -> tuple[float, float]:
    """(share of plausible answers that settle the question, minus the questions left)."""
    probes = _probes(fact, on)
    if not probes:
        return (0.0, 0.0)
    settling, left = 0, 0
    for value in probes:
        facts = parse_facts({**known, fact: value})
        probe = decide(question, facts, on, legislation, explain_tree=False)
        if settled(legislation, probe, declined):
            settling += 1
        left += len(askable(legislation, probe.missing, declined))
    return (settling / len(probes), -left / len(probes))


def next_question(
    legislation: Legislation,
    question: str,
    known: dict[str, Any],
    on: date,
    declined: list[str] | None = None,
) -> str | None:
    """The fact to ask next, or None when the answer is settled."""
    declined = declined or []
    current = decide(question, parse_facts(known), on, legislation, explain_tree=False)
    if settled(legislation, current, declined):
        return None
    candidates = askable(legislation, current.missing, declined)
    order = {name: index for index, name in enumerate(FACT_NAMES)}
    scored = [
        (_score(legislation, question, known, fact, on, declined), -order[fact], fact)
        for fact in candidates
    ]
    return max(scored)[2]


def interview(
    legislation: Legislation, question: str, person: Mapping[str, Any], on: date
) -> list[str]:
    """The questions the guided check asks a person who answers from `person` (and says
    "I don't know" to a fact it lacks), in order."""
    known: dict[str, Any] = {}
    declined: list[str] = []
    asked: list[str] = []
    while (fact := next_question(legislation, question, known, on, declined)) is not None:
        asked.append(fact)
        if person.get(fact) is None:
            declined.append(fact)
        else:
            known[fact] = person[fact]
    return asked

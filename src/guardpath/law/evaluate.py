"""Decide one person's question on one date, with the full explanation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, cast

from guardpath.law.answer_json import (
    AnswerJson,
    ExceptionStatus,
    Obligation,
    Outcome,
    Question,
    Reason,
    Status,
)
from guardpath.law.compiled import CompiledQuestion, compile_question
from guardpath.law.explanation import (
    EXCEPTION_STATUSES,
    static_explanation,
    status_of,
)
from guardpath.law.facts import Facts
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.nodes import Node, Scope

OUTCOMES = {True: "eligible", False: "ineligible", None: "undetermined"}


def _no_reasons() -> list[Reason]:
    return []


@dataclass
class Answer:
    question: str
    on: date
    outcome: str
    missing: list[str]
    law_version: str
    explanation: Callable[[], list[Reason]] = field(default=_no_reasons, repr=False, compare=False)
    """Builds `reasons` from the rule values the first time they are read: an answer whose
    explanation nobody reads (a timeline's steps, a case's state) does not pay for it."""
    open_questions: list[str] = field(default_factory=list)
    route: str | None = None
    earliest_date: date | None = None
    obligations: list[Obligation] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    """The missing facts the recruitment process establishes after an application."""
    built: list[Reason] | None = field(default=None, repr=False, compare=False)

    @property
    def reasons(self) -> list[Reason]:
        """The explanation tree (one root), built on first reading and kept."""
        if self.built is None:
            self.built = self.explanation()
        return self.built

    def as_json(self) -> AnswerJson:
        out: AnswerJson = {
            "question": cast(Question, self.question),
            "on": self.on.isoformat(),
            "outcome": cast(Outcome, self.outcome),
            "missing": self.missing,
            "pending": self.pending,
            "law_version": self.law_version,
            "reasons": self.reasons,
            "open_questions": self.open_questions,
        }
        if self.question == "citizenship":
            out["route"] = self.route
            out["earliest_date"] = self.earliest_date.isoformat() if self.earliest_date else None
            out["obligations"] = self.obligations
        return out


def explain(node: Node, scope: Scope, facts_json: dict[str, Any], language: str = "en") -> Reason:
    """The explanation tree: rule, status, the facts and parameter values used, citations."""
    static = static_explanation(node, language)
    status = status_of(node, scope)
    active = status != "not_applicable"
    reason: Reason = {
        "rule": static["rule"],
        "label": static["label"],
        "status": cast(Status, status),
        "verified": static["verified"],
        "citations": static["citations"],
        "facts": {f: facts_json.get(f) for f in static["facts_used"]} if active else {},
        "parameters": static["parameters"] if active else {},
        "children": [explain(child, scope, facts_json, language) for child in node.children],
    }
    if node.exceptions:
        reason["exceptions"] = [
            ExceptionStatus(
                name=name,
                status=EXCEPTION_STATUSES[when.value(scope)] if active else "not_applicable",
                then=then,
            )
            for name, when, then in node.exceptions
        ]
    return reason


def open_questions_for(compiled: CompiledQuestion, scope: Scope) -> list[str]:
    """The open questions this answer rests on (see `open_questions_walked`); where the rules
    are met, looked up by which questioned rules were reached instead of walked."""
    if scope.rules[compiled.root.index] is not True:
        return open_questions_walked(compiled, scope)
    reached = compiled.reached(scope.rules, scope.active)
    found = compiled.met_questions.get(reached)
    if found is None:
        found = _met_questions(compiled, reached)
    return list(found)


def open_questions_walked(compiled: CompiledQuestion, scope: Scope) -> list[str]:
    """The open questions this answer rests on: those about a rule that applied to the person
    and was met or left open (the questions ask whether the law is stricter, or how a limit that
    was passed reads), and, where the outcome is undetermined, those where the law is unknown."""
    outcome = scope.rules[compiled.root.index]
    if outcome is False:  # what failed is certain; a stricter or unknown law changes nothing
        return []
    undetermined = outcome is None
    rules, active = scope.rules, scope.active
    found: set[str] = set()
    for node in compiled.questioned:
        value = rules[node.index]
        if value is False or not active[node.index]:  # is_active, inline
            continue
        found |= node.open_questions
        if undetermined and value is None:
            found |= node.unknown_law
            found |= {q for when, q in node.unknown_exceptions if when.value(scope) is not False}
    return sorted(found)


MAX_MET_QUESTIONS = 4096
"""How many combinations of reached rules a compiled question keeps the questions of."""


def _met_questions(compiled: CompiledQuestion, reached: tuple[bool, ...]) -> tuple[str, ...]:
    nodes = (node for node, hit in zip(compiled.questioned, reached, strict=True) if hit)
    found = tuple(sorted(frozenset().union(*(node.open_questions for node in nodes))))
    if len(compiled.met_questions) < MAX_MET_QUESTIONS:
        compiled.met_questions[reached] = found
    return found


def decide(
    question: str,
    facts: Facts,
    on: date,
    legislation: Legislation | None = None,
    language: str = "en",
    explain_tree: bool = True,
) -> Answer:
    """The answer to `question` for a person with `facts` (validated) on `on`."""
    legislation = legislation or default_legislation()
    compiled = compile_question(legislation, question, on)
    scope = compiled.evaluate_values(facts)
    value = scope.rules[compiled.root.index]
    missing = sorted(compiled.root.part.missing(scope)) if value is None else []
    answer = Answer(
        question=question,
        on=on,
        outcome=OUTCOMES[value],
        missing=missing,
        law_version=compiled.version,
        explanation=partial(_reasons, compiled, scope, language) if explain_tree else _no_reasons,
        open_questions=open_questions_for(compiled, scope),
        pending=[fact for fact in missing if fact in legislation.pending.facts] if missing else [],
    )
    if question == "citizenship":
        answer.route = _route(compiled, scope) if answer.outcome != "ineligible" else None
        answer.obligations = _obligations(compiled, facts, answer.outcome, language)
        owed = {o["name"] for o in answer.obligations}
        about = {q.id for q in legislation.open_questions.values() if owed & set(q.affects)}
        answer.open_questions = sorted(set(answer.open_questions) | about)
    return answer


def _reasons(compiled: CompiledQuestion, scope: Scope, language: str) -> list[Reason]:
    return [compiled.explainer(language)(scope)]


def _obligations(
    compiled: CompiledQuestion, facts: Facts, outcome: str, language: str
) -> list[Obligation]:
    """What travels with a route: nothing where no route can succeed; an obligation that
    concerns only some people is listed unless the person is known not to be among them."""
    if outcome == "ineligible":
        return []
    return [
        Obligation(
            name=o.name,
            label=o.label.get(language),
            description=o.description.get(language),
            citations=[c.as_json(language) for c in o.citations],
        )
        for o in compiled.obligations
        if o.name not in compiled.owed_when or compiled.owed_when[o.name].value(facts) is not False
    ]


ROUTES = "citizenship.routes"


def _route(compiled: CompiledQuestion, scope: Scope) -> str | None:
    """The first route whose conditions are met (even where the application is suspended)."""
    for node in compiled.nodes:
        if node.rule.name == ROUTES:
            for child in node.children:
                if status_of(child, scope) == "met":
                    return child.rule.name.rpartition(".")[2]
    return None

"""The parts of an explanation: which rules were active, their statuses, and the static
parts of each node (label, citations, parameter values with their confidence) built once."""

from __future__ import annotations

from typing import Any

from guardpath.law.facts import fact_as_json
from guardpath.law.model import DatedValue
from guardpath.law.nodes import Node, Scope

STATUSES = {True: "met", False: "not_met", None: "unknown"}


def is_active(node: Node, scope: Scope) -> bool:
    """In force and applicable, and so are all the rules above it."""
    return scope.active[node.index]


def status_of(node: Node, scope: Scope) -> str:
    if not is_active(node, scope):
        return "not_applicable"
    return STATUSES[scope.rules[node.index]]


EXCEPTION_STATUSES = {True: "applies", False: "does_not_apply", None: "unknown"}


def static_explanation(node: Node, language: str) -> dict[str, Any]:
    """The parts of a node's explanation that do not depend on the person, built once."""
    cached = node.explanation.get(language)
    if cached is None:
        rule = node.rule
        cached = {
            "rule": rule.name,
            "label": rule.label.get(language),
            # A rule resting on an unverified parameter value is itself only as sure as that.
            "verified": rule.verified
            and all(e is not None and e.verified for e in node.parameter_entries.values()),
            "citations": [c.as_json(language) for c in rule.citations],
            "parameters": {
                name: parameter_json(node.parameters[name], entry, language)
                for name, entry in node.parameter_entries.items()
            },
            "facts_used": tuple(sorted(node.own_facts)),
        }
        node.explanation[language] = cached
    return cached


def parameter_json(value: object, entry: DatedValue | None, language: str = "en") -> dict[str, Any]:
    """A parameter's value as used, with the citations and confidence of that dated value."""
    return {
        "value": fact_as_json(value),
        "since": entry.start.isoformat() if entry else None,
        "verified": entry.verified if entry else False,
        "citations": [c.as_json(language) for c in entry.citations] if entry else [],
    }

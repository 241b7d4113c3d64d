"""Generate the builder of a question's explanation tree for one date.

The builder reads the rule values the evaluator computed (a Scope) and writes one reason per
rule. Everything about a reason that does not depend on the person is made once, when the
builder is generated: a rule that is not active explains the same way for everyone, and so do
all the rules under it (that subtree is shared); an active rule's reason is a copy of its
template for the status it has (every key in order, the static values in place), and only the
facts it shows and its children are filled in. A rule that shows no facts, or has no children,
shares the template's empty dict or list; an exception's status entry is one of three shared
dicts; a set of facts shown by several rules is one dict. The tree is for reading and
serialising, never for changing in place (the sealing copies what it changes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guardpath.law.answer_json import Reason
from guardpath.law.codegen import _Emitter
from guardpath.law.explanation import EXCEPTION_STATUSES, STATUSES
from guardpath.law.facts import DATE_FACTS
from guardpath.law.nodes import Node

Explainer = Callable[[Any], Reason]


def _fact_json(emitter: _Emitter, name: str) -> str:
    """Source converting one fact to its JSON form, written once per explanation."""
    raw = emitter.line(emitter.temp(), f"get({emitter.bind(name)})")
    if name in DATE_FACTS:
        converted = f"None if {raw} is None else {raw}.isoformat()"
    elif name == "citizenships":
        converted = f"None if {raw} is None else list({raw})"
    elif name == "service_periods":
        converted = f"None if {raw} is None else [p.as_json() for p in {raw}]"
    else:
        return raw
    return emitter.line(emitter.temp(), converted)


def generate_explainer(
    nodes: Sequence[Node], on: date, statics: Sequence[dict[str, Any]]
) -> Explainer:
    """One function building the explanation tree from a Scope, with the static parts bound."""
    emitter = _Emitter(on)
    emitter.line("rules", "scope.rules")
    emitter.line("active", "scope.active")
    emitter.line("facts", "scope")
    emitter.line("get", "scope.get")
    emitter.rules = {node.index: f"rules[{node.index}]" for node in nodes}
    static_of = {node.index: static for node, static in zip(nodes, statics, strict=True)}
    used = sorted({f for static in statics for f in static["facts_used"]})
    whens = {id(when): emitter.emit(when) for node in nodes for _, when, _ in node.exceptions}
    facts_json = {name: _fact_json(emitter, name) for name in used}
    writer = _ReasonWriter(emitter, static_of, facts_json, whens)
    shown = Counter(s["facts_used"] for n, s in zip(nodes, statics, strict=True) if n.in_force)
    for facts_used, count in shown.items():
        if facts_used and count > 1:  # one dict for the rules that show the same facts
            writer.shared_facts[facts_used] = emitter.line(emitter.temp(), writer.facts(facts_used))
    root = writer.reason(nodes[-1], "    ")
    source = "def explain(scope):\n" + "\n".join(emitter.lines) + f"\n    return {root}\n"
    namespace: dict[str, Any] = dict(emitter.names)
    exec(compile(source, f"<guardpath explanation on {on}>", "exec"), namespace)
    explainer: Explainer = namespace["explain"]
    return explainer


@dataclass
class _ReasonWriter:
    emitter: _Emitter
    static_of: dict[int, dict[str, Any]]
    fact_json: dict[str, str]
    whens: dict[int, str]
    """The name holding each exception's condition, by the condition's identity."""

    def __post_init__(self) -> None:
        self.shared_facts: dict[tuple[str, ...], str] = {}

    def facts(self, facts_used: tuple[str, ...]) -> str:
        """Source of the dict of the facts a rule shows, in their JSON form."""
        bind = self.emitter.bind
        return "{" + ", ".join(f"{bind(f)}: {self.fact_json[f]}" for f in facts_used) + "}"

    def inactive(self, node: Node) -> dict[str, Any]:
        """A rule's explanation where it does not apply: the same for every person."""
        static = self.static_of[node.index]
        reason: dict[str, Any] = {
            "rule": static["rule"],
            "label": static["label"],
            "status": "not_applicable",
            "verified": static["verified"],
            "citations": static["citations"],
            "facts": {},
            "parameters": {},
            "children": [self.inactive(child) for child in node.children],
        }
        if node.exceptions:
            reason["exceptions"] = [
                {"name": name, "status": "not_applicable", "then": then}
                for name, _, then in node.exceptions
            ]
        return reason

    def reason(self, node: Node, indent: str) -> str:
        """Lines setting r<index> to the node's explanation; returns that name."""
        i, target, lines = node.index, f"r{node.index}", self.emitter.lines
        inactive = self.emitter.bind(self.inactive(node))
        if not node.in_force:
            lines.append(f"{indent}{target} = {inactive}")
            return target
        lines.append(f"{indent}if active[{i}]:")
        inner = indent + "    "
        children = ", ".join(self.reason(child, inner) for child in node.children)
        lines.extend(f"{inner}{line}" for line in self._fields(node, target, children))
        lines.append(f"{indent}else:")
        lines.append(f"{inner}{target} = {inactive}")
        return target

    def _template(self, node: Node, status: str) -> dict[str, Any]:
        static = self.static_of[node.index]
        template: dict[str, Any] = {
            "rule": static["rule"],
            "label": static["label"],
            "status": status,
            "verified": static["verified"],
            "citations": static["citations"],
            "facts": {},
            "parameters": static["parameters"],
            "children": [],
        }
        if node.exceptions:
            template["exceptions"] = None
        return template

    def _fields(self, node: Node, target: str, children: str) -> list[str]:
        """A copy of the node's template for its status (copying a dict costs less than
        building one key by key), then the values that depend on the person."""
        bind, facts_used = self.emitter.bind, self.static_of[node.index]["facts_used"]
        templates = {value: self._template(node, status) for value, status in STATUSES.items()}
        lines = [f"{target} = {bind(templates)}[rules[{node.index}]].copy()"]
        if facts_used:
            shown = self.shared_facts.get(facts_used) or self.facts(facts_used)
            lines.append(f"{target}['facts'] = {shown}")
        if children:
            lines.append(f"{target}['children'] = [{children}]")
        if node.exceptions:
            lines.append(f"{target}['exceptions'] = [{', '.join(self._exceptions(node))}]")
        return lines

    def _exceptions(self, node: Node) -> list[str]:
        """Each exception's entry for its condition's value: one of three dicts made once."""
        return [
            f"{self.emitter.bind(self._exception_entries(name, then))}[{self.whens[id(when)]}]"
            for name, when, then in node.exceptions
        ]

    @staticmethod
    def _exception_entries(name: str, then: bool | None) -> dict[bool | None, dict[str, Any]]:
        return {
            value: {"name": name, "status": status, "then": then}
            for value, status in EXCEPTION_STATUSES.items()
        }

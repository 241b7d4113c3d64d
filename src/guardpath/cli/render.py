"""Rich rendering of answers and timelines: the answer first, then why, then what is open."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from guardpath.cli.words import words
from guardpath.law.model import Legislation

OUTCOME_STYLES = {"eligible": "bold green", "ineligible": "bold red", "undetermined": "bold yellow"}
MARKS = {
    "met": ("✓", "green"),
    "not_met": ("✗", "red"),
    "unknown": ("?", "yellow"),
    "not_applicable": ("–", "dim"),
}


def value_text(value: Any) -> str:
    """A fact or parameter value as a person reads it."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        end = value.get("end") or "…"
        return f"{value.get('formation')} {value.get('basis')} {value.get('start')}–{end}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    return str(value)


class Sources:
    """Numbers each distinct citation once, so a node shows § 1, 4 and the list follows."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, str], int] = {}
        self.citations: list[Mapping[str, Any]] = []

    def number(self, citation: Mapping[str, Any]) -> int:
        key = (citation["title"], citation.get("href", ""))
        if key not in self.numbers:
            self.citations.append(citation)
            self.numbers[key] = len(self.citations)
        return self.numbers[key]

    def marks(self, citations: Sequence[Mapping[str, Any]], w: Mapping[str, str]) -> Text:
        text = Text("§ ", style="dim")
        for index, citation in enumerate(citations):
            if index:
                text.append(", ")
            text.append(str(self.number(citation)), style="cyan")
            if not citation.get("verified", False):
                text.append(f" {w['unverified']}", style="bold yellow")
        return text

    def listing(self, w: Mapping[str, str]) -> list[RenderableType]:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="cyan")
        table.add_column(overflow="fold")
        for number, citation in enumerate(self.citations, start=1):
            text = Text(citation["title"])
            if not citation.get("verified", False):
                text.append(f"  {w['unverified']}", style="bold yellow")
            if citation.get("href"):
                text.append(f"\n{citation['href']}", style="dim blue")
            table.add_row(f"{number}.", text)
        return [Text(w["sources"], style="bold"), table]


def _facts(reason: Mapping[str, Any], w: Mapping[str, str]) -> list[Text]:
    used = reason.get("facts", {})
    if not used:
        return []
    parts = "; ".join(f"{name} = {value_text(value)}" for name, value in used.items())
    return [Text(f"{w['facts']}: {parts}", style="dim")]


def _parameters(reason: Mapping[str, Any], w: Mapping[str, str], sources: Sources) -> list[Text]:
    """Each parameter value the rule read, since when, and the sources of that value."""
    lines = []
    for name, used in reason.get("parameters", {}).items():
        entry = used if isinstance(used, Mapping) and "value" in used else {"value": used}
        line = Text(f"{w['parameters']}: {name} = {value_text(entry['value'])}", style="dim")
        if entry.get("since"):
            line.append(f" {w['since']} {entry['since']}", style="dim")
        if entry.get("citations"):
            line.append("  ")
            line.append_text(sources.marks(entry["citations"], w))
        lines.append(line)
    return lines


def _exceptions(reason: Mapping[str, Any], w: Mapping[str, str]) -> list[Text]:
    return [
        Text(f"{w['unless']} {e['name']}: {w[e['status']]}", style="italic")
        for e in reason.get("exceptions", [])
    ]


def _count(reason: Mapping[str, Any]) -> int:
    return sum(1 + _count(child) for child in reason.get("children", []))


def reason_label(
    reason: Mapping[str, Any], w: Mapping[str, str], sources: Sources
) -> RenderableType:
    mark, style = MARKS[reason["status"]]
    dim = reason["status"] == "not_applicable"
    head = Text.assemble((mark, f"bold {style}"), " ", (reason["label"], "dim" if dim else "bold"))
    head.append("  ")
    head.append_text(sources.marks(reason.get("citations", []), w))
    parts: list[RenderableType] = [head, Text(reason["rule"], style="dim")]
    parts += _exceptions(reason, w)
    parts += _facts(reason, w) + _parameters(reason, w, sources)
    if dim and reason.get("children"):
        parts.append(Text(w["not_considered"].format(_count(reason)), style="dim"))
    return Group(*parts)


def reason_tree(
    reason: Mapping[str, Any], w: Mapping[str, str], sources: Sources, tree: Tree | None = None
) -> Tree:
    label = reason_label(reason, w, sources)
    node = Tree(label) if tree is None else tree.add(label)
    if reason["status"] != "not_applicable":
        for child in reason.get("children", []):
            reason_tree(child, w, sources, node)
    return node


def headline(answer: Mapping[str, Any], w: Mapping[str, str]) -> Text:
    outcome = answer["outcome"]
    return Text.assemble(
        (f"{w[answer['question']]} {w['on']} {answer['on']}: ", "bold"),
        (w[outcome].upper(), OUTCOME_STYLES[outcome]),
    )


def _missing(answer: Mapping[str, Any], w: Mapping[str, str]) -> list[RenderableType]:
    pending = set(answer.get("pending", ()))
    now = [fact for fact in answer["missing"] if fact not in pending]
    lines: list[RenderableType] = []
    if now:
        lines += [
            Text.assemble((f"{w['missing']}: ", "bold yellow"), ", ".join(now)),
            Text(f"  {w['missing_hint']}", style="dim"),
        ]
    if pending:
        later = [fact for fact in answer["missing"] if fact in pending]
        lines += [
            Text.assemble((f"{w['pending']}: ", "bold yellow"), ", ".join(later)),
            Text(f"  {w['pending_hint']}", style="dim"),
        ]
    return lines


def open_questions(
    ids: Sequence[str], legislation: Legislation, w: Mapping[str, str]
) -> list[RenderableType]:
    if not ids:
        return []
    lines: list[RenderableType] = [Text(f"{w['open_questions']}:", style="bold yellow")]
    for question_id in ids:
        question = legislation.open_questions.get(question_id)
        text = question.question if question else ""
        lines.append(Text.assemble("? ", (question_id, "bold"), f"  {text}"))
    return lines


def _route(
    answer: Mapping[str, Any], legislation: Legislation, w: Mapping[str, str], language: str
) -> list[RenderableType]:
    route = answer.get("route")
    if route:
        rule = legislation.rules.get(f"citizenship.routes.{route}")
        label = rule.label.get(language) if rule else route
        route_text = Text.assemble((label, "bold green"), f"  ({route})")
    else:
        route_text = Text(w["no_route"], style="dim")
    earliest = answer.get("earliest_date") or w["no_earliest"]
    return [
        Text.assemble((f"{w['route']}: ", "bold"), route_text),
        Text.assemble((f"{w['earliest']}: ", "bold"), earliest),
    ]


def _obligations(
    answer: Mapping[str, Any], w: Mapping[str, str], sources: Sources
) -> list[RenderableType]:
    obligations = answer.get("obligations", [])
    if not obligations:
        return []
    lines: list[RenderableType] = [Text(f"{w['obligations']}:", style="bold")]
    for obligation in obligations:
        lines.append(
            Text.assemble(
                "• ", (obligation["label"], "bold"), "  ", sources.marks(obligation["citations"], w)
            )
        )
        lines.append(Text(f"  {obligation['description']}"))
    return lines


def print_answer(
    console: Console, answer: Mapping[str, Any], legislation: Legislation, language: str = "en"
) -> None:
    """The answer, the tree of reasons with citations, and what is missing or open."""
    w = words(language)
    console.print(headline(answer, w))
    citizenship = answer["question"] == "citizenship"
    for line in _route(answer, legislation, w, language) if citizenship else []:
        console.print(line)
    console.print()
    console.print(Text(f"{w['why']}  ({w['legend']})", style="bold"))
    sources = Sources()
    for reason in answer["reasons"]:
        console.print(reason_tree(reason, w, sources))
    tail = _missing(answer, w) + open_questions(answer["open_questions"], legislation, w)
    tail += _obligations(answer, w, sources) if citizenship else []
    for line in [*([Text(), *tail] if tail else []), Text(), *sources.listing(w), Text()]:
        console.print(line)
    console.print(Text(f"{w['law_version']} {answer['law_version']}", style="dim"))


def print_timeline(
    console: Console, question: str, periods: Sequence[Mapping[str, Any]], version: str
) -> None:
    """One row per period in which the outcome stays the same."""
    w = words("en")
    table = Table(title=f"{w[question]} over time", title_justify="left", title_style="bold")
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("because")
    for period in periods:
        outcome = period["outcome"]
        table.add_row(
            period["from"],
            period["to"] or "…",
            Text(outcome, style=OUTCOME_STYLES[outcome]),
            period["because"],
        )
    console.print(table)
    console.print(Text(f"{w['law_version']} {version}", style="dim"))

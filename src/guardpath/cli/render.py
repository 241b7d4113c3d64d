"""Rich rendering of answers and timelines: the answer first, then why, then what is open."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from guardpath.fact_words import fact_label, value_words
from guardpath.law.model import Legislation
from guardpath.words import ANSWER_WORDS, CLI, said

OUTCOME_STYLES = {"eligible": "bold green", "ineligible": "bold red", "undetermined": "bold yellow"}
MARKS = {
    "met": ("✓", "green"),
    "not_met": ("✗", "red"),
    "unknown": ("?", "yellow"),
    "not_applicable": ("–", "dim"),
}


def value_text(value: Any, language: str = "en", fact: str | None = None) -> str:
    """A fact or parameter value as a person reads it: labels, never internal codes."""
    return value_words(value, language, fact)


class Speaker:
    """Says the parts of an answer in one language: fact and parameter labels, exception
    labels, open questions. Rule names (the handles of `guardpath law NAME`) are shown in
    English output only; Ukrainian output shows no internal code."""

    def __init__(self, legislation: Legislation, language: str) -> None:
        self.legislation = legislation
        self.language = language
        self.w = said(ANSWER_WORDS, language, CLI)

    @property
    def shows_names(self) -> bool:
        return self.language == "en"

    def parameter(self, name: str) -> str:
        found = self.legislation.parameters.get(name)
        return found.label.get(self.language) if found else name

    def exception(self, rule: str, name: str) -> str:
        found = self.legislation.rules.get(rule)
        for exception in found.exceptions if found else ():
            if exception.name == name:
                return exception.label.get(self.language)
        return name


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


def _facts(reason: Mapping[str, Any], say: Speaker) -> list[Text]:
    used = reason.get("facts", {})
    if not used:
        return []
    language = say.language
    parts = "; ".join(
        f"{fact_label(name, language)}: {value_text(value, language, name)}"
        for name, value in used.items()
    )
    return [Text(f"{say.w['facts']}: {parts}", style="dim")]


def _parameters(reason: Mapping[str, Any], say: Speaker, sources: Sources) -> list[Text]:
    """Each parameter value the rule read, since when, and the sources of that value."""
    lines = []
    w = say.w
    for name, used in reason.get("parameters", {}).items():
        entry = used if isinstance(used, Mapping) and "value" in used else {"value": used}
        value = value_text(entry["value"], say.language)
        line = Text(f"{w['parameters']}: {say.parameter(name)}: {value}", style="dim")
        if entry.get("since"):
            line.append(f" {w['since']} {entry['since']}", style="dim")
        if entry.get("citations"):
            line.append("  ")
            line.append_text(sources.marks(entry["citations"], w))
        lines.append(line)
    return lines


def _exceptions(reason: Mapping[str, Any], say: Speaker) -> list[Text]:
    w = say.w
    return [
        Text(
            f"{w['unless']} {say.exception(reason['rule'], e['name'])}: {w[e['status']]}",
            style="italic",
        )
        for e in reason.get("exceptions", [])
    ]


def _count(reason: Mapping[str, Any]) -> int:
    return sum(1 + _count(child) for child in reason.get("children", []))


def reason_label(reason: Mapping[str, Any], say: Speaker, sources: Sources) -> RenderableType:
    w = say.w
    mark, style = MARKS[reason["status"]]
    dim = reason["status"] == "not_applicable"
    head = Text.assemble((mark, f"bold {style}"), " ", (reason["label"], "dim" if dim else "bold"))
    head.append("  ")
    head.append_text(sources.marks(reason.get("citations", []), w))
    parts: list[RenderableType] = [head]
    if say.shows_names:
        parts.append(Text(reason["rule"], style="dim"))
    parts += _exceptions(reason, say)
    parts += _facts(reason, say) + _parameters(reason, say, sources)
    if dim and reason.get("children"):
        parts.append(Text(w["not_considered"].format(_count(reason)), style="dim"))
    return Group(*parts)


def reason_tree(
    reason: Mapping[str, Any], say: Speaker, sources: Sources, tree: Tree | None = None
) -> Tree:
    label = reason_label(reason, say, sources)
    node = Tree(label) if tree is None else tree.add(label)
    if reason["status"] != "not_applicable":
        for child in reason.get("children", []):
            reason_tree(child, say, sources, node)
    return node


def headline(answer: Mapping[str, Any], w: Mapping[str, str]) -> Text:
    outcome = answer["outcome"]
    return Text.assemble(
        (f"{w[answer['question']]} {w['on']} {answer['on']}: ", "bold"),
        (w[outcome].upper(), OUTCOME_STYLES[outcome]),
    )


def _missing(answer: Mapping[str, Any], say: Speaker) -> list[RenderableType]:
    w = say.w
    pending = set(answer.get("pending", ()))
    now = [fact for fact in answer["missing"] if fact not in pending]
    lines: list[RenderableType] = []
    if now:
        names = ", ".join(fact_label(name, say.language) for name in now)
        lines += [
            Text.assemble((f"{w['missing']}: ", "bold yellow"), names),
            Text(f"  {w['missing_hint']}", style="dim"),
        ]
    if pending:
        later = [fact for fact in answer["missing"] if fact in pending]
        names = ", ".join(fact_label(name, say.language) for name in later)
        lines += [
            Text.assemble((f"{w['pending']}: ", "bold yellow"), names),
            Text(f"  {w['pending_hint']}", style="dim"),
        ]
    return lines


def open_questions(ids: Sequence[str], say: Speaker) -> list[RenderableType]:
    if not ids:
        return []
    lines: list[RenderableType] = [Text(f"{say.w['open_questions']}:", style="bold yellow")]
    for question_id in ids:
        question = say.legislation.open_questions.get(question_id)
        text = question.question.get(say.language) if question else ""
        if say.shows_names:
            lines.append(Text.assemble("? ", (question_id, "bold"), f"  {text}"))
        else:
            lines.append(Text(f"? {text}"))
    return lines


def _route(answer: Mapping[str, Any], say: Speaker) -> list[RenderableType]:
    w = say.w
    route = answer.get("route")
    if route:
        rule = say.legislation.rules.get(f"citizenship.routes.{route}")
        label = rule.label.get(say.language) if rule else route
        route_text = Text(label, style="bold green")
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
    say = Speaker(legislation, language)
    w = say.w
    console.print(headline(answer, w))
    citizenship = answer["question"] == "citizenship"
    for line in _route(answer, say) if citizenship else []:
        console.print(line)
    console.print()
    console.print(Text(f"{w['why']}  ({w['legend']})", style="bold"))
    sources = Sources()
    for reason in answer["reasons"]:
        console.print(reason_tree(reason, say, sources))
    tail = _missing(answer, say) + open_questions(answer["open_questions"], say)
    tail += _obligations(answer, w, sources) if citizenship else []
    for line in [*([Text(), *tail] if tail else []), Text(), *sources.listing(w), Text()]:
        console.print(line)
    console.print(Text(f"{w['law_version']} {answer['law_version']}", style="dim"))


def because_text(because: str, say: Speaker) -> str:
    """The timeline's `because` ("label: before → after; ...") in the output's language."""
    if say.language == "en":
        return because
    w = say.w
    if because.startswith("the law as guardpath holds it"):
        return w["because_start"]
    labels = {
        rule.label.en: rule.label.get(say.language) for rule in say.legislation.rules.values()
    }
    changes = []
    for part in because.split("; "):
        label, colon, change = part.rpartition(": ")
        before, arrow, after = change.partition(" → ")
        before, after = before.replace(" ", "_"), after.replace(" ", "_")
        if not colon or not arrow or label not in labels or before not in w or after not in w:
            return w["because_other"]
        changes.append(f"{labels[label]}: {w[before]} → {w[after]}")
    return "; ".join(changes)


def print_timeline(
    console: Console,
    question: str,
    periods: Sequence[Mapping[str, Any]],
    legislation: Legislation,
    language: str = "en",
) -> None:
    """One row per period in which the outcome stays the same."""
    say = Speaker(legislation, language)
    w = say.w
    table = Table(
        title=w["over_time"].format(w[question]), title_justify="left", title_style="bold"
    )
    table.add_column(w["from"], no_wrap=True)
    table.add_column(w["to"], no_wrap=True)
    table.add_column(w["outcome"], no_wrap=True)
    table.add_column(w["because"])
    for period in periods:
        outcome = period["outcome"]
        table.add_row(
            period["from"],
            period["to"] or "…",
            Text(w[outcome], style=OUTCOME_STYLES[outcome]),
            because_text(period["because"], say),
        )
    console.print(table)
    console.print(Text(f"{w['law_version']} {legislation.version}", style="dim"))

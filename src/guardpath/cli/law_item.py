"""Rich views of one item of the legislation in full: a rule, a parameter with its history,
an obligation or an open question (`guardpath law NAME`)."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from guardpath.cli.lawview import (
    amount,
    citation_texts,
    lw,
    open_question_lines,
    period_text,
    source_file,
    unit_name,
    verified_mark,
)
from guardpath.law.model import (
    LegalException,
    Legislation,
    Obligation,
    OpenQuestion,
    Parameter,
    Rule,
)
from guardpath.words import ANSWER_WORDS, CLI, said


def _field(name: str, value: str | Text) -> Text:
    return Text.assemble((f"{name}: ", "bold"), value)


def _affecting(legislation: Legislation, name: str) -> list[OpenQuestion]:
    return [q for q in legislation.open_questions.values() if name in q.affects]


def _exception_lines(exception: LegalException, language: str) -> list[RenderableType]:
    w = lw(language)
    then = {True: w["met"], False: w["not_met"], None: w["unsettled"]}[exception.then]
    period = period_text(exception.period, language)
    lines: list[RenderableType] = [
        Text.assemble(
            f"{w['unless']} ", (exception.name, "bold"), f"  {exception.label.get(language)}"
        ),
        Text(w["exception_when"].format(exception.when_source, then, period)),
    ]
    if exception.open_question:
        question = f"  {w['open_question']}: {exception.open_question}"
        lines.append(Text(question, style="yellow"))
    lines += [
        Text.assemble("  ", line) for line in citation_texts(exception.citations, True, language)
    ]
    return lines


def rule_view(legislation: Legislation, rule: Rule, language: str) -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['rule']} ", "bold"), (rule.name, "bold cyan")),
        _field(w["label"], rule.label.get(language)),
        _field(w["in_force"], period_text(rule.period, language)),
        _field(w["file"], source_file(rule.path)),
    ]
    if rule.description:
        lines.append(_field(w["description"], rule.description.get(language)))
    if rule.when_source:
        lines.append(_field(w["applies_when"], rule.when_source))
    if rule.condition_source:
        lines.append(_field(w["condition"], rule.condition_source))
    if rule.children:
        kind = w["all"] if rule.combinator == "all" else w["any"]
        lines.append(_field(kind, ", ".join(rule.children)))
    for exception in rule.exceptions:
        lines += _exception_lines(exception, language)
    lines.append(
        Text.assemble((f"{w['citations']} ", "bold"), verified_mark(rule.verified, language))
    )
    lines += citation_texts(rule.citations, True, language)
    return lines


def history_table(parameter: Parameter, language: str = "en") -> Table:
    w, cli = lw(language), said(ANSWER_WORDS, language, CLI)
    table = Table(title=w["history"], title_justify="left", title_style="bold")
    columns = (cli["from"], cli["to"], w["value"], w["verified"].lstrip("✓ "), w["citations"])
    for index, column in enumerate(columns):
        table.add_column(column, no_wrap=index < 2)
    for start, end, entry in parameter.periods():
        notes = [c.title(language) for c in entry.citations]
        if entry.open_question:
            notes.append(f"{w['open_question']}: {entry.open_question}")
        if entry.note and language == "en":
            notes.append(f"{w['note']}: {entry.note}")
        table.add_row(
            str(start),
            str(end) if end else "…",
            amount(entry.value, parameter.unit, language),
            verified_mark(entry.verified, language),
            "\n".join(notes),
        )
    return table


def parameter_view(parameter: Parameter, language: str) -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['parameter']} ", "bold"), (parameter.name, "bold cyan")),
        _field(w["label"], parameter.label.get(language)),
        _field(w["description"], parameter.description.get(language)),
        _field(w["unit"], unit_name(parameter.unit, language)),
        _field(w["file"], source_file(parameter.path)),
        Text(),
        history_table(parameter, language),
        Text(),
        Text(w["sources"], style="bold"),
        *citation_texts(
            dict.fromkeys(c for e in parameter.values for c in e.citations), True, language
        ),
    ]
    return lines


def obligation_view(obligation: Obligation, language: str) -> list[RenderableType]:
    w = lw(language)
    return [
        Text.assemble((f"{w['obligation']} ", "bold"), (obligation.name, "bold cyan")),
        _field(w["label"], obligation.label.get(language)),
        _field(w["description"], obligation.description.get(language)),
        _field(w["in_force"], period_text(obligation.period, language)),
        _field(w["file"], source_file(obligation.path)),
        *citation_texts(obligation.citations, True, language),
    ]


def question_view(question: OpenQuestion, language: str = "en") -> list[RenderableType]:
    w = lw(language)
    lines: list[RenderableType] = [
        Text.assemble((f"{w['question']} ", "bold"), (question.id, "bold yellow")),
        Text(question.question.get(language)),
        _field(w["affects"], ", ".join(question.affects)),
    ]
    if language == "en":  # where it was raised: the team's English brief, not a legal source
        lines.append(_field(w["source"], question.source))
    return lines


def print_item(console: Console, legislation: Legislation, name: str, language: str) -> bool:
    """Show one rule, parameter, obligation or open question in full; False if none has `name`."""
    lines: list[RenderableType]
    if name in legislation.rules:
        lines = rule_view(legislation, legislation.rules[name], language)
    elif name in legislation.parameters:
        lines = parameter_view(legislation.parameters[name], language)
    elif name in legislation.obligations:
        lines = obligation_view(legislation.obligations[name], language)
    elif name in legislation.open_questions:
        lines = question_view(legislation.open_questions[name], language)
    else:
        return False
    if name not in legislation.open_questions:
        affecting = _affecting(legislation, name)
        if affecting:
            lines.append(Text())
            heading = said(ANSWER_WORDS, language, CLI)["open_questions"]
            lines.append(Text(f"{heading}:", style="bold yellow"))
            lines += open_question_lines(affecting, language)
    for line in lines:
        console.print(line)
    return True

"""Load the legislation tree: strict files, checked references, and a version hash."""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from guardpath.law import schema
from guardpath.law.citations import Act, Citation
from guardpath.law.facts import FACT_NAMES
from guardpath.law.language import MARTIAL_LAW, UNIT_TYPES, LanguageError, parse
from guardpath.law.model import (
    DatedValue,
    LegalException,
    Legislation,
    Obligation,
    OpenQuestion,
    Parameter,
    PendingFacts,
    Period,
    Rule,
)
from guardpath.law.text import Text

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "legislation"
OPEN_QUESTIONS = "open_questions.yaml"
ACTS = "acts.yaml"


class LegislationError(ValueError):
    """A legislation file that breaks the schema or names what does not exist."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"unknown key {first['loc'][-1]!r} (at {where})"
    if first["type"] == "missing":
        return f"missing key {first['loc'][-1]!r} (at {where})"
    message = first["msg"].removeprefix("Value error, ")
    return f"{message} (at {where or 'top level'})"


def _text(label: schema.Label) -> Text:
    return Text(label.en, label.uk)


class _Acts:
    """Resolves a citation's act ids against the registry of acts (acts.yaml)."""

    def __init__(self, acts: dict[str, Act]) -> None:
        self.acts = acts

    def act(self, relative: str, key: str, act_id: str) -> Act:
        found = self.acts.get(act_id)
        if found is None:
            raise LegislationError(relative, f"{key}: the act {act_id!r} is not in {ACTS}")
        return found

    def citations(
        self, relative: str, key: str, files: list[schema.CitationFile]
    ) -> tuple[Citation, ...]:
        return tuple(
            Citation(
                self.act(relative, f"{key}[{index}].act", c.act),
                _text(c.provision),
                c.href,
                c.verified,
                None
                if c.amended_by is None
                else self.act(relative, f"{key}[{index}].amended_by", c.amended_by),
            )
            for index, c in enumerate(files)
        )


def _period(period: schema.Period | None) -> Period | None:
    return None if period is None else Period(period.from_, period.to)


def _name(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "index":
        parts.pop()
    return ".".join(parts)


def _read(root: Path, path: Path) -> tuple[str, schema.Strict, bytes]:
    relative = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    try:
        data: Any = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise LegislationError(relative, f"not valid YAML: {error}") from None
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in schema.FILE_KINDS:
        kinds = ", ".join(schema.FILE_KINDS)
        raise LegislationError(relative, f"missing or unknown 'kind'; expected one of {kinds}")
    try:
        parsed = schema.FILE_KINDS[data["kind"]].model_validate(data)
    except ValidationError as error:
        raise LegislationError(relative, _describe(error)) from None
    return relative, parsed, raw


def _children(rule_name: str, relative: str, refs: list[str]) -> tuple[str, ...]:
    base = rule_name if relative.endswith("index.yaml") else rule_name.rpartition(".")[0]
    return tuple(
        ref[1:] if ref.startswith("/") else f"{base}.{ref}" if base else ref for ref in refs
    )


class _Parser:
    def __init__(self, parameters: dict[str, str]) -> None:
        self.parameters = parameters

    def expr(self, relative: str, key: str, source: str) -> ast.expr:
        try:
            return parse(source, self.parameters)
        except LanguageError as error:
            raise LegislationError(relative, f"{key}: {error}") from None


def load(root: Path = DEFAULT_ROOT) -> Legislation:
    """Read and check every file under `root`."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and _is_law(p))
    digest = hashlib.sha256()
    parsed: list[tuple[str, str, schema.Strict]] = []
    for path in files:
        if path.suffix != ".yaml":
            raise LegislationError(
                path.relative_to(root).as_posix(), "only .yaml files belong here"
            )
        relative, content, raw = _read(root, path)
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        parsed.append((relative, _name(Path(relative)), content))

    acts = _Acts(
        {
            act_id: Act(
                act_id,
                _text(entry.title),
                None if entry.amending is None else _text(entry.amending),
            )
            for _, _, content in parsed
            if isinstance(content, schema.ActsFile)
            for act_id, entry in content.acts.items()
        }
    )
    parameters: dict[str, Parameter] = {}
    for relative, name, content in parsed:
        if isinstance(content, schema.ParameterFile):
            parameters[name] = _parameter(acts, relative, name, content)
    parser = _Parser({name: UNIT_TYPES[p.unit] for name, p in parameters.items()})

    rules: dict[str, Rule] = {}
    pending = PendingFacts(frozenset(), Text("", ""))
    obligations: dict[str, Obligation] = {}
    questions: dict[str, OpenQuestion] = {}
    for relative, name, content in parsed:
        if isinstance(content, schema.RuleFile):
            rules[name] = _rule(parser, acts, relative, name, content)
        elif isinstance(content, schema.ObligationFile):
            obligations[name] = Obligation(
                name,
                relative,
                _text(content.label),
                _text(content.description),
                acts.citations(relative, "citations", content.citations),
                Period(content.period.from_, content.period.to),
                None if content.when is None else parser.expr(relative, "when", content.when),
            )
        elif isinstance(content, schema.OpenQuestionsFile):
            for q in content.questions:
                questions[q.id] = OpenQuestion(q.id, _text(q.question), tuple(q.affects), q.source)
        elif isinstance(content, schema.PendingFactsFile):
            pending = _pending(relative, content)

    legislation = Legislation(
        parameters,
        rules,
        obligations,
        questions,
        digest.hexdigest()[:16],
        tuple(files_rel(root, files)),
        pending=pending,
        acts=acts.acts,
    )
    _check_references(legislation)
    return legislation


CASES_SUFFIX = ".cases.yaml"


def _is_law(path: Path) -> bool:
    """Legal test cases and READMEs sit beside the rules but are not law."""
    return path.name != "README.md" and not path.name.endswith(CASES_SUFFIX)


def files_rel(root: Path, files: list[Path]) -> list[str]:
    return [f.relative_to(root).as_posix() for f in files]


def _parameter(acts: _Acts, relative: str, name: str, content: schema.ParameterFile) -> Parameter:
    values = tuple(
        DatedValue(
            start,
            tuple(v.value) if isinstance(v.value, list) else v.value,
            acts.citations(relative, f"values.{start}.citations", v.citations),
            v.open_question,
            v.note,
        )
        for start, v in sorted(content.values.items())
    )
    return Parameter(
        name,
        relative,
        _text(content.label),
        _text(content.description),
        content.unit,
        values,
    )


def _rule(parser: _Parser, acts: _Acts, relative: str, name: str, content: schema.RuleFile) -> Rule:
    exceptions = tuple(
        LegalException(
            e.name,
            _text(e.label),
            acts.citations(relative, f"exceptions.{e.name}.citations", e.citations),
            _period(e.period),
            parser.expr(relative, f"exceptions.{e.name}.when", e.when),
            e.when,
            e.then,
            e.open_question,
        )
        for e in content.exceptions
    )
    combinator = "all" if content.all is not None else "any" if content.any is not None else None
    refs = content.all if content.all is not None else content.any or []
    return Rule(
        name=name,
        path=relative,
        label=_text(content.label),
        description=None if content.description is None else _text(content.description),
        citations=acts.citations(relative, "citations", content.citations),
        period=_period(content.period),
        when=None if content.when is None else parser.expr(relative, "when", content.when),
        when_source=content.when,
        condition=None
        if content.condition is None
        else parser.expr(relative, "condition", content.condition),
        condition_source=content.condition,
        combinator=combinator,
        children=_children(name, relative, refs),
        exceptions=exceptions,
    )


def _pending(relative: str, content: schema.PendingFactsFile) -> PendingFacts:
    for fact in content.facts:
        if fact not in FACT_NAMES:
            raise LegislationError(relative, f"facts: {fact!r} is not a fact of the contract")
    return PendingFacts(frozenset(content.facts), Text(content.label.en, content.label.uk))


CASE_TERMS = "enlistment.contract."
"""Parameters the case process reads to write a contract's terms (length, probation); no rule
reads them, yet an open question about them reaches the contract a case is given."""


def _reached(legislation: Legislation) -> set[str]:
    """What an answer can show an open question through: a rule or an exception (its `affects`),
    an obligation, a parameter a rule reads (its unknown values name their question), and the
    contract-term parameters of the case process."""
    read: set[str] = set()
    for rule in legislation.rules.values():
        trees = [rule.condition, rule.when, *(e.when for e in rule.exceptions)]
        for tree in trees:
            if tree is not None:
                read |= _parameters_read(tree)
    reached = set(legislation.rules) | set(legislation.obligations)
    reached |= {f"{r.name}.{e.name}" for r in legislation.rules.values() for e in r.exceptions}
    return reached | {p for p in legislation.parameters if p in read or p.startswith(CASE_TERMS)}


def _parameters_read(tree: ast.expr) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "param" and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
            elif node.func.id in (
                "martial_law",
                "served_in_martial_law",
                "served_in_martial_law_with_gaps",
            ):
                names.add(MARTIAL_LAW)
    return names


def _check_reachable(legislation: Legislation) -> None:
    """An open question that no answer can show is a defect: each must affect a rule, an
    exception or an obligation, or be named by a value of a parameter some rule reads."""
    reached = _reached(legislation)
    named: set[str] = set()
    for rule in legislation.rules.values():
        named |= {e.open_question for e in rule.exceptions if e.open_question}
    for name, parameter in legislation.parameters.items():
        if name in reached:
            named |= {v.open_question for v in parameter.values if v.open_question}
    direct = {name for name in reached if name not in legislation.parameters}
    for question in legislation.open_questions.values():
        if question.id in named or direct & set(question.affects):
            continue
        case_terms = {a for a in question.affects if a.startswith(CASE_TERMS)}
        if case_terms:
            continue
        raise LegislationError(
            OPEN_QUESTIONS,
            f"{question.id} is reachable from no rule: it affects no rule, exception or "
            "obligation, and no parameter a rule reads names it",
        )


def _check_references(legislation: Legislation) -> None:
    known = set(legislation.parameters) | set(legislation.rules) | set(legislation.obligations)
    known |= {f"{r.name}.{e.name}" for r in legislation.rules.values() for e in r.exceptions}
    for rule in legislation.rules.values():
        for child in rule.children:
            if child not in legislation.rules:
                raise LegislationError(
                    rule.path, f"refers to the rule {child!r}, which does not exist"
                )
        for exception in rule.exceptions:
            _check_question(legislation, rule.path, exception.open_question)
    _check_cycles(legislation)
    for parameter in legislation.parameters.values():
        for value in parameter.values:
            _check_question(legislation, parameter.path, value.open_question)
    for question in legislation.open_questions.values():
        for name in question.affects:
            if name not in known:
                raise LegislationError(OPEN_QUESTIONS, f"{question.id} affects unknown {name!r}")
    _check_reachable(legislation)


def _check_cycles(legislation: Legislation) -> None:
    """A rule may not contain itself, however deep: the tree must be a tree."""
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = " → ".join((*path[path.index(name) :], name))
            raise LegislationError(legislation.rules[name].path, f"rules refer in a cycle: {cycle}")
        if name in done:
            return
        for child in legislation.rules[name].children:
            visit(child, (*path, name))
        done.add(name)

    for name in legislation.rules:
        visit(name, ())


def _check_question(legislation: Legislation, path: str, question: str | None) -> None:
    if question is not None and question not in legislation.open_questions:
        raise LegislationError(
            path, f"names the open question {question!r}, not in {OPEN_QUESTIONS}"
        )


@cache
def default_legislation() -> Legislation:
    return load(DEFAULT_ROOT)


# -- for draft amendments (guardpath.law.draft): the same building and checks, on one piece ----
def rule_from_file(
    parameters: dict[str, Parameter],
    acts: dict[str, Act],
    relative: str,
    name: str,
    content: schema.RuleFile,
) -> Rule:
    """Build one rule as `load` does, its expressions parsed and typed against `parameters`
    and its citations resolved against `acts`."""
    parser = _Parser({key: UNIT_TYPES[p.unit] for key, p in parameters.items()})
    return _rule(parser, _Acts(acts), relative, name, content)


def citations_from_file(
    acts: dict[str, Act], relative: str, key: str, files: list[schema.CitationFile]
) -> tuple[Citation, ...]:
    """Citations as `load` resolves them: each act id must name an act in `acts`."""
    return _Acts(acts).citations(relative, key, files)


def check_references(legislation: Legislation) -> None:
    """The checks `load` makes once every file is read: references, open questions, cycles."""
    _check_references(legislation)

"""Load the legislation tree: strict files, checked references, and a version hash."""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardpath.law.checks import OPEN_QUESTIONS as OPEN_QUESTIONS
from guardpath.law.checks import LegislationError as LegislationError
from guardpath.law.checks import check_references as check_references
from guardpath.law.citations import Act, Citation
from guardpath.law.facts import FACT_NAMES
from guardpath.law.language import UNIT_TYPES, LanguageError, parse
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

if TYPE_CHECKING:
    from pydantic import ValidationError

    from guardpath.law import schema

# YAML, pydantic and the file schema are imported where files are parsed: the cached law needs
# none of them.

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "legislation"
ACTS = "acts.yaml"


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


def _parse(relative: str, raw: bytes) -> schema.Strict:
    import yaml
    from pydantic import ValidationError

    from guardpath.law import schema

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it
    try:
        data: Any = yaml.load(raw, Loader=loader)
    except yaml.YAMLError as error:
        raise LegislationError(relative, f"not valid YAML: {error}") from None
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in schema.FILE_KINDS:
        kinds = ", ".join(schema.FILE_KINDS)
        raise LegislationError(relative, f"missing or unknown 'kind'; expected one of {kinds}")
    try:
        return schema.FILE_KINDS[data["kind"]].model_validate(data)
    except ValidationError as error:
        raise LegislationError(relative, _describe(error)) from None


def read_sources(root: Path) -> list[tuple[str, bytes]]:
    """Every legislation file under `root` (relative path, bytes), in a fixed order."""
    sources: list[tuple[str, bytes]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and _is_law(p)):
        relative = path.relative_to(root).as_posix()
        if path.suffix != ".yaml":
            raise LegislationError(relative, "only .yaml files belong here")
        sources.append((relative, path.read_bytes()))
    return sources


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
    return build(read_sources(root))


def build(sources: list[tuple[str, bytes]]) -> Legislation:
    """The legislation of these files (as `read_sources` gives them), parsed and checked."""
    from guardpath.law import schema

    digest = hashlib.sha256()
    parsed: list[tuple[str, str, schema.Strict]] = []
    for relative, raw in sources:
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        parsed.append((relative, _name(Path(relative)), _parse(relative, raw)))

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
        tuple(relative for relative, _ in sources),
        pending=pending,
        acts=acts.acts,
    )
    check_references(legislation)
    return legislation


CASES_SUFFIX = ".cases.yaml"


def _is_law(path: Path) -> bool:
    """Legal test cases and READMEs sit beside the rules but are not law."""
    return path.name != "README.md" and not path.name.endswith(CASES_SUFFIX)


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


@cache
def default_legislation() -> Legislation:
    """The law as shipped, from the pickled cache when its files and the engine are unchanged."""
    from guardpath.law.cached import cached_build

    return cached_build(read_sources(DEFAULT_ROOT), build)


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

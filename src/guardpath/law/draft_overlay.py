"""Applying a draft's changes: new dictionaries over the law's, a change replacing entries and
never editing them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from guardpath.law import schema
from guardpath.law.citations import Act, Citation
from guardpath.law.dates import ONE_DAY
from guardpath.law.draft_schema import (
    BODY_KEYS,
    CHANGE_KINDS,
    DRAFT_PART,
    LAW_PART,
    SOURCE_ACT,
    UNIT_VALUES,
    DraftError,
    ParameterChange,
    RuleChange,
    SettleChange,
    _describe,
    _message,
)
from guardpath.law.loader import (
    LegislationError,
    citations_from_file,
    rule_from_file,
)
from guardpath.law.model import (
    DatedValue,
    LegalException,
    Legislation,
    Parameter,
    ParameterValue,
    Period,
    Rule,
)
from guardpath.law.text import Text


# -- applying the changes -----------------------------------------------------------------------
def _check_value(unit: str, value: ParameterValue | list[str]) -> None:
    ok = {
        "year": type(value) is int,
        "month": type(value) is int,
        "boolean": type(value) is bool,
        "list": isinstance(value, list | tuple) and all(isinstance(v, str) for v in value),
        "code": type(value) is str,
    }[unit]
    if value is not None and not ok:
        raise ValueError(f"{value!r} is not {UNIT_VALUES[unit]} (the parameter's unit is {unit})")


def _stored(value: schema.ParameterValue) -> ParameterValue:
    return tuple(value) if isinstance(value, list) else value


class _Overlay:
    """New dictionaries over the law's: a change replaces entries, never edits them."""

    def __init__(self, law: Legislation, name: str, source: Citation, acts: dict[str, Act]) -> None:
        self.law = law
        self.name = name
        self.source = source
        self.acts = acts
        self.parameters = dict(law.parameters)
        self.rules = dict(law.rules)
        self.questions = dict(law.open_questions)

    def legislation(self, version: str) -> Legislation:
        return Legislation(
            self.parameters,
            self.rules,
            dict(self.law.obligations),
            self.questions,
            version,
            self.law.files,
            self.law.pending,
            self.acts,
        )

    def _citations(self, key: str, given: list[schema.CitationFile] | None) -> tuple[Citation, ...]:
        if not given:
            return (self.source,)
        return citations_from_file(self.acts, self.name, key, given)

    def _source_json(self) -> dict[str, Any]:
        s = self.source
        provision = {"en": s.provision.en, "uk": s.provision.uk}
        return {"act": SOURCE_ACT, "provision": provision, "href": s.href, "verified": False}

    def apply(self, index: int, raw: dict[str, Any]) -> str:
        """Apply one change; its one-line description."""
        kinds = [k for k in CHANGE_KINDS if k in raw]
        where = f"changes[{index}]"
        if len(kinds) != 1:
            raise DraftError(
                self.name, where, "a change names exactly one of parameter, rule, settle"
            )
        where = f"changes[{index}] ({kinds[0]} {raw[kinds[0]]})"
        try:
            change = CHANGE_KINDS[kinds[0]].model_validate(raw)
        except ValidationError as error:
            raise DraftError(self.name, where, _describe(error)) from None
        try:
            if isinstance(change, ParameterChange):
                return self._parameter(change)
            if isinstance(change, RuleChange):
                return self._rule(change, where)
            assert isinstance(change, SettleChange)
            return self._settle(change)
        except LegislationError as error:
            raise DraftError(self.name, where, _message(error)) from None
        except ValueError as error:
            raise DraftError(self.name, where, str(error)) from None

    # parameters
    def _parameter(self, change: ParameterChange) -> str:
        old = self.parameters.get(change.parameter)
        if old is None:
            raise ValueError("names no parameter in the legislation")
        for start, entry in change.values.items():
            try:
                _check_value(old.unit, entry.value)
            except ValueError as error:
                raise ValueError(f"values.{start}: {error}") from None
        first = min(change.values)
        kept = tuple(v for v in old.values if v.start < first)
        added = tuple(
            DatedValue(
                start,
                _stored(v.value),
                self._citations(f"values.{start}.citations", v.citations),
                v.open_question,
                v.note,
            )
            for start, v in sorted(change.values.items())
        )
        self.parameters[old.name] = replace(old, values=kept + added)
        shown = ", ".join(f"{v.value!r} from {v.start}" for v in added)
        return f"{old.name}: {shown}"

    # rules
    def _existing(self, name: str) -> Rule:
        rule = self.rules.get(name)
        if rule is None:
            raise ValueError("names no rule in the legislation")
        return rule

    def _body(self, body: dict[str, Any], defaults: Rule | None) -> schema.RuleFile:
        data = dict(body)
        if defaults is not None:
            data.setdefault("label", {"en": defaults.label.en, "uk": defaults.label.uk})
            if not any(k in data for k in BODY_KEYS):
                raise ValueError(f"replace: gives none of {', '.join(BODY_KEYS)}")
        data.setdefault("citations", [self._source_json()])
        data["exceptions"] = [
            {"citations": [self._source_json()], **e} if isinstance(e, dict) else e
            for e in data.get("exceptions", [])
        ]
        try:
            return schema.RuleFile.model_validate({"kind": "rule", **data})
        except ValidationError as error:
            raise ValueError(_describe(error)) from None

    def _build(self, relative: str, name: str, content: schema.RuleFile, where: str) -> Rule:
        rule = rule_from_file(self.parameters, self.acts, relative, name, content)
        return replace(rule, path=f"{self.name} {where}")

    def _rule(self, change: RuleChange, where: str) -> str:
        if change.add is not None:
            return self._add(change, where)
        old = self._existing(change.rule)
        if change.period is not None:
            period = Period(change.period.from_, change.period.to)
            self.rules[old.name] = replace(old, period=period)
            return f"{old.name}: applies {period.start} to {period.end or 'on'}"
        if change.repeal is not None:
            return self._repeal(old, change.repeal)
        assert change.replace is not None
        content = self._body(change.replace, old)
        new = self._build(old.path, old.name, content, where)
        if change.from_ is None:
            self.rules[old.name] = _kept(old, new, change.replace)
            return f"{old.name}: replaced"
        if "when" in change.replace or "period" in change.replace:
            raise ValueError("a replacement 'from' a date changes the body and exceptions only")
        self._dated(old, new, change.from_)
        return f"{old.name}: replaced from {change.from_}"

    def _repeal(self, old: Rule, day: date) -> str:
        start = old.period.start if old.period else date.min
        if day <= start:
            raise ValueError(f"repeal: {day} is not after the rule begins ({start})")
        end = day - ONE_DAY
        if old.period is not None and old.period.end is not None:
            end = min(end, old.period.end)
        self.rules[old.name] = replace(old, period=Period(start, end))
        return f"{old.name}: repealed from {day}"

    def _dated(self, old: Rule, new: Rule, start: date) -> None:
        """`old` up to the day before `start`, `new` from it: two dated versions of one rule."""
        before = Period(date.min, start - ONE_DAY)
        law_part = replace(
            old,
            name=f"{old.name}.{LAW_PART}",
            label=Text(f"{old.label.en} (law in force)", f"{old.label.uk} (чинна редакція)"),
            period=before,
            when=None,
            when_source=None,
            exceptions=(),
        )
        draft_part = replace(
            new,
            name=f"{old.name}.{DRAFT_PART}",
            label=Text(f"{new.label.en} (draft)", f"{new.label.uk} (проєкт)"),
            period=Period(start),
            when=None,
            when_source=None,
            exceptions=(),
        )
        for part in (law_part, draft_part):
            if part.name in self.rules:
                raise ValueError(f"the rule {part.name!r} exists already")
            self.rules[part.name] = part
        exceptions = tuple(_until(e, before) for e in old.exceptions)
        if new.exceptions:
            exceptions += tuple(_from(e, start) for e in new.exceptions)
        else:
            exceptions = old.exceptions
        self.rules[old.name] = replace(
            old,
            condition=None,
            condition_source=None,
            combinator="any",
            children=(law_part.name, draft_part.name),
            exceptions=exceptions,
        )

    def _add(self, change: RuleChange, where: str) -> str:
        assert change.add is not None and change.under is not None
        if change.rule in self.rules:
            raise ValueError("a rule of that name exists already; use replace")
        parent = self._existing_parent(change.under)
        if change.from_ is not None and "period" in change.add:
            raise ValueError("give the new rule 'from' or a 'period', not both")
        content = self._body(change.add, None)
        relative = change.rule.replace(".", "/") + ".yaml"
        rule = self._build(relative, change.rule, content, where)
        if change.from_ is not None:
            rule = replace(rule, period=Period(change.from_))
        self.rules[rule.name] = rule
        self.rules[parent.name] = replace(parent, children=(*parent.children, rule.name))
        since = f" from {change.from_}" if change.from_ else ""
        return f"{rule.name}: added under {parent.name}{since}"

    def _existing_parent(self, name: str) -> Rule:
        parent = self.rules.get(name)
        if parent is None:
            raise ValueError(f"under: names no rule in the legislation ({name!r})")
        if parent.combinator is None:
            raise ValueError(f"under: {name!r} has a condition, not a list of rules (all/any)")
        return parent

    # open questions
    def _settle(self, change: SettleChange) -> str:
        question = self.questions.get(change.settle)
        if question is None:
            raise ValueError("names no open question in the legislation")
        given = "value" in change.model_fields_set and change.value is not None
        unknown = self._unknown_under(question.id)
        if unknown and not given:
            raise ValueError(f"{', '.join(unknown)} are unknown under it: give them a 'value'")
        if given and not unknown:
            raise ValueError("no value of the law is unknown under it; settle it without 'value'")
        citations = self._citations("citations", change.citations)
        for name, parameter in list(self.parameters.items()):
            values = tuple(
                _settled(parameter, v, question.id, change.value, citations)
                for v in parameter.values
            )
            self.parameters[name] = replace(parameter, values=values)
        for name, rule in list(self.rules.items()):
            if any(e.open_question == question.id for e in rule.exceptions):
                exceptions = tuple(
                    _settled_exception(e, question.id, change.value) for e in rule.exceptions
                )
                self.rules[name] = replace(rule, exceptions=exceptions)
        del self.questions[question.id]
        shown = f" as {change.value!r}" if given else ""
        return f"open question {question.id}: settled{shown}"

    def _unknown_under(self, question: str) -> list[str]:
        names = [
            p.name
            for p in self.parameters.values()
            if any(v.value is None and v.open_question == question for v in p.values)
        ]
        names += [
            f"{r.name}.{e.name}"
            for r in self.rules.values()
            for e in r.exceptions
            if e.then is None and e.open_question == question
        ]
        return names


def _kept(old: Rule, new: Rule, given: dict[str, Any]) -> Rule:
    """A replaced rule keeps what the replacement does not give: `when`, its exceptions and
    its period (the body, condition or all or any, is always replaced whole)."""
    kept = new
    if "when" not in given:
        kept = replace(kept, when=old.when, when_source=old.when_source)
    if "exceptions" not in given:
        kept = replace(kept, exceptions=old.exceptions)
    if "period" not in given:
        kept = replace(kept, period=old.period)
    return kept


def _settled(
    parameter: Parameter,
    entry: DatedValue,
    question: str,
    value: schema.ParameterValue,
    citations: tuple[Citation, ...],
) -> DatedValue:
    if entry.open_question != question:
        return entry
    if entry.value is not None:
        return replace(entry, open_question=None)
    try:
        _check_value(parameter.unit, value)
    except ValueError as error:
        raise ValueError(f"{parameter.name}: {error}") from None
    return replace(entry, value=_stored(value), citations=citations, open_question=None)


def _settled_exception(
    exception: LegalException, question: str, value: schema.ParameterValue
) -> LegalException:
    if exception.open_question != question:
        return exception
    if exception.then is not None:
        return replace(exception, open_question=None)
    if type(value) is not bool:
        raise ValueError(f"the exception {exception.name!r} needs true or false, not {value!r}")
    return replace(exception, then=value, open_question=None)


def _until(exception: LegalException, before: Period) -> LegalException:
    assert before.end is not None
    start = exception.period.start if exception.period else date.min
    end = before.end
    if exception.period is not None and exception.period.end is not None:
        end = min(end, exception.period.end)
    return replace(exception, period=Period(start, end))


def _from(exception: LegalException, start: date) -> LegalException:
    if exception.period is None:
        return replace(exception, period=Period(start))
    return replace(
        exception, period=Period(max(start, exception.period.start), exception.period.end)
    )

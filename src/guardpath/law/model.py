"""The legislation as loaded: parameters, rules, obligations and open questions."""

from __future__ import annotations

import ast
import bisect
from dataclasses import dataclass, field
from datetime import date

from guardpath.law.citations import Act, Citation
from guardpath.law.dates import ONE_DAY
from guardpath.law.text import Text

ParameterValue = bool | int | str | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date | None = None

    def contains(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def as_json(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat() if self.end else None}


@dataclass(frozen=True, slots=True)
class DatedValue:
    start: date
    value: ParameterValue
    citations: tuple[Citation, ...]
    open_question: str | None = None
    note: str | None = None

    @property
    def verified(self) -> bool:
        return all(c.verified for c in self.citations) and self.value is not None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A legal quantity whose value changes on the dates the law changes it."""

    name: str
    path: str
    label: Text
    description: Text
    unit: str
    values: tuple[DatedValue, ...]

    def entry_on(self, on: date) -> DatedValue | None:
        index = bisect.bisect_right([v.start for v in self.values], on) - 1
        return self.values[index] if index >= 0 else None

    def value_on(self, on: date) -> ParameterValue:
        entry = self.entry_on(on)
        return None if entry is None else entry.value

    def periods(self) -> list[tuple[date, date | None, DatedValue]]:
        """Each value with the day it starts and the last day it applies (None: still in force)."""
        ends: list[date | None] = [nxt.start - ONE_DAY for nxt in self.values[1:]]
        ends.append(None)
        return [(v.start, end, v) for v, end in zip(self.values, ends, strict=True)]


@dataclass(frozen=True, slots=True)
class LegalException:
    """'..., unless ...': when `when` holds, the rule's outcome is `then` (None: unknown law)."""

    name: str
    label: Text
    citations: tuple[Citation, ...]
    period: Period | None
    when: ast.expr
    when_source: str
    then: bool | None
    open_question: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    path: str
    label: Text
    description: Text | None
    citations: tuple[Citation, ...]
    period: Period | None
    when: ast.expr | None
    when_source: str | None
    condition: ast.expr | None
    condition_source: str | None
    combinator: str | None
    children: tuple[str, ...]
    exceptions: tuple[LegalException, ...]

    @property
    def verified(self) -> bool:
        return all(c.verified for c in self.citations)


@dataclass(frozen=True, slots=True)
class Obligation:
    name: str
    path: str
    label: Text
    description: Text
    citations: tuple[Citation, ...]
    period: Period
    when: ast.expr | None = None
    """Whom it concerns (e.g. citizens of some states); None: everyone on a route."""


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    id: str
    question: Text
    affects: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class PendingFacts:
    """Facts the recruitment process itself establishes after an application (the medical board,
    the tests, the special check): missing before one, and named so in an answer."""

    facts: frozenset[str]
    label: Text


@dataclass(frozen=True, eq=False)
class Legislation:
    parameters: dict[str, Parameter]
    rules: dict[str, Rule]
    obligations: dict[str, Obligation]
    open_questions: dict[str, OpenQuestion]
    version: str
    files: tuple[str, ...] = field(default=())
    pending: PendingFacts = field(default=PendingFacts(frozenset(), Text("", "")))
    acts: dict[str, Act] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter:
        return self.parameters[name]

    def change_dates(self) -> set[date]:
        """Every date on which a parameter, rule, exception or obligation starts or ends."""
        dates: set[date] = set()
        for parameter in self.parameters.values():
            dates.update(v.start for v in parameter.values)
        periods = [r.period for r in self.rules.values()]
        periods += [e.period for r in self.rules.values() for e in r.exceptions]
        periods += [o.period for o in self.obligations.values()]
        for period in periods:
            if period is None:
                continue
            dates.add(period.start)
            if period.end is not None:
                dates.add(period.end + ONE_DAY)
        return dates

"""When does the answer change for one person? Law changes, birthdays, a stay ending,
service anniversaries: each is a candidate date, and the periods between them share an outcome."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import date

from guardpath.law.compiled import CompiledQuestion, compile_question, martial_law_intervals
from guardpath.law.dates import ONE_DAY, add_years
from guardpath.law.evaluate import OUTCOMES, Answer, decide
from guardpath.law.explanation import status_of
from guardpath.law.facts import BASES, FORMATIONS, Facts, ServicePeriod
from guardpath.law.loader import default_legislation
from guardpath.law.model import Legislation
from guardpath.law.service import continuous_reach, joined_stints, total_reach

EPOCH = date(2014, 1, 1)
"""The timeline starts here: guardpath answers for any date since 2014 (no act admits
foreigners before 2015-11-12, so the first answers are ineligible)."""
MAX_AGE = 100
LAST_DAY = date.max
ANNIVERSARIES = (1, 3)


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None
    outcome: str
    because: str

    def as_json(self) -> dict[str, str | None]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat() if self.end else None,
            "outcome": self.outcome,
            "because": self.because,
        }


def _service_dates(
    periods: tuple[ServicePeriod, ...], intervals: tuple[tuple[date, date | None], ...]
) -> set[date]:
    dates: set[date] = set()
    for p in periods:
        dates.add(p.start)
        if p.end is not None:
            dates.add(p.end + ONE_DAY)
        dates.update(add_years(p.start, years) for years in ANNIVERSARIES)
        for start, _ in intervals:
            dates.add(add_years(max(p.start, start), 1))
    for start, end in intervals:  # consecutive periods join; across a gap they may add up
        for basis in BASES:
            stints = joined_stints(periods, FORMATIONS, basis, start, end, LAST_DAY)
            for years in ANNIVERSARIES:
                reached = (continuous_reach(stints, years), total_reach(stints, years))
                dates.update(d for d in reached if d is not None)
    return dates


def age_thresholds(legislation: Legislation) -> frozenset[int]:
    """Ages at which an answer can change: each whole number of years in the law (a limit and
    the year after it), since ages are only ever compared with such numbers."""
    numbers: set[int] = set()
    for parameter in legislation.parameters.values():
        if parameter.unit == "year":
            numbers |= {v.value for v in parameter.values if isinstance(v.value, int)}
    for rule in legislation.rules.values():
        for tree in (rule.condition, rule.when, *(e.when for e in rule.exceptions)):
            if tree is not None:
                numbers |= _int_literals(tree)
    return frozenset(n + step for n in numbers for step in (0, 1) if 0 <= n + step <= MAX_AGE)


def _int_literals(tree: ast.expr) -> set[int]:
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    }


def candidate_dates(legislation: Legislation, facts: Facts) -> list[date]:
    """Every date on which this person's answer could change, from EPOCH on."""
    dates = {EPOCH} | legislation.change_dates()
    born: date | None = facts.get("birth_date")
    if born is not None:
        dates.update(add_years(born, years) for years in age_thresholds(legislation))
    stay_end: date | None = facts.get("stay_valid_until")
    if stay_end is not None:
        dates.add(stay_end + ONE_DAY)
    periods: tuple[ServicePeriod, ...] = facts.get("service_periods", ())
    dates |= _service_dates(periods, martial_law_intervals(legislation))
    return sorted(d for d in dates if d >= EPOCH)


def _statuses(compiled: CompiledQuestion, facts: Facts) -> tuple[bool | None, dict[str, str]]:
    scope = compiled.evaluate_values(facts)
    statuses = {node.key: status_of(node, scope) for node in compiled.nodes}
    return scope.rules[compiled.root.index], statuses


def _words(status: str) -> str:
    return status.replace("_", " ")


def _because(
    compiled: CompiledQuestion, before: dict[str, str] | None, after: dict[str, str]
) -> str:
    if before is None:
        return "the law as guardpath holds it from 2014"
    changed = [
        f"{node.rule.label.en}: {_words(before[node.key])} → {_words(after[node.key])}"
        for node in compiled.nodes
        if node.children == () and before.get(node.key) != after[node.key]
    ]
    return "; ".join(changed) or "a change in the law or in the person's circumstances"


def timeline(question: str, facts: Facts, legislation: Legislation | None = None) -> list[Period]:
    """The periods since 2014 in which the outcome stays the same, the last one open-ended."""
    legislation = legislation or default_legislation()
    periods: list[Period] = []
    previous: dict[str, str] | None = None
    for day in candidate_dates(legislation, facts):
        compiled = compile_question(legislation, question, day)
        value, statuses = _statuses(compiled, facts)
        outcome = OUTCOMES[value]
        if periods and periods[-1].outcome == outcome:
            previous = statuses
            continue
        if periods:
            last = periods[-1]
            periods[-1] = Period(last.start, day - ONE_DAY, last.outcome, last.because)
        periods.append(Period(day, None, outcome, _because(compiled, previous, statuses)))
        previous = statuses
    return periods


def earliest_eligible(periods: list[Period], on: date) -> date | None:
    """The start of the eligible period containing `on`, or the first one after it."""
    for period in periods:
        ends_after = period.end is None or period.end >= on
        if period.outcome == "eligible" and ends_after:
            return period.start
    return None


def answer(
    question: str,
    facts: Facts,
    on: date,
    legislation: Legislation | None = None,
    language: str = "en",
) -> Answer:
    """The full answer of the contract: a decision, and for citizenship its earliest date."""
    legislation = legislation or default_legislation()
    result = decide(question, facts, on, legislation, language)
    if question == "citizenship":
        result.earliest_date = earliest_eligible(timeline(question, facts, legislation), on)
    return result

"""Counts of cases for analysts, read from month counters in memory: the breakdowns, the totals
and the range the service asks for, without a database. The counters are made as the
repository makes them (adapters/case_counts.py's `Counted`); summing them on SQLite and
PostgreSQL is tests/test_statistics_service.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from guardpath.adapters.case_counts import MONTH, Counted, Key
from guardpath.services.statistics import STATELESS, Breakdown, Dimension, Filters, count_cases

GROUP = {"formation": 3, "item": 4, "period": 2}
"""Where each grouping is in a counter's key (dimension, span, period, formation, item)."""


class MemoryCounts:
    """The statistics' `Counts` port over counters in memory; records what it was asked."""

    def __init__(self) -> None:
        self.counters: Counter[Key] = Counter()
        self.asked: list[tuple[date, date]] = []

    def add(
        self,
        n: int,
        citizenships: tuple[str, ...] = ("US",),
        formation: str = "ngu",
        state: str = "submitted",
        on: date | None = date(2025, 1, 10),
    ) -> None:
        for key in Counted(formation, state, on, citizenships).counters():
            self.counters[key] += n

    @contextmanager
    def reading(self, *, one_transaction: bool = False) -> Iterator[MemoryCounts]:
        yield self

    def sums(
        self, dimensions: tuple[str, ...], first: date, last: date, formation: str | None, by: str
    ) -> list[tuple[str, Any, int]]:
        self.asked.append((first, last))
        summed: Counter[tuple[str, Any]] = Counter()
        for key, n in self.counters.items():
            dimension, span, period, its_formation, _ = key
            if dimension not in dimensions or span != MONTH or not first <= period <= last:
                continue
            if formation is None or formation == its_formation:
                summed[(dimension, key[GROUP[by]])] += n
        return [(dimension, group, n) for (dimension, group), n in summed.items()]


def shown(result: Breakdown) -> dict[str, str]:
    return {cell.key: cell.shown for cell in result.cells}


def test_it_counts_a_dual_citizen_under_each_citizenship() -> None:
    counts = MemoryCounts()
    counts.add(10, ("US",))
    counts.add(6, ("GB",))
    counts.add(5, ("GB", "US"))

    result = count_cases(counts, Dimension.CITIZENSHIP, today=date(2025, 3, 1))

    assert shown(result) == {"US": "15", "GB": "10"}  # 15 -> 15, 11 -> 10
    assert [c.key for c in result.cells] == ["US", "GB"]
    assert result.total.count == 20  # 21 cases, not 26 citizenships -> 20


def test_it_counts_stateless_volunteers_as_their_own_row() -> None:
    counts = MemoryCounts()
    counts.add(7, ())
    counts.add(9, ("GE",))

    result = count_cases(counts, Dimension.CITIZENSHIP, today=date(2025, 3, 1))

    assert shown(result) == {"GE": "5", STATELESS: "5"}  # 9 -> 5, 7 -> 5


def test_it_asks_for_whole_months_up_to_the_last_one_ended() -> None:
    counts = MemoryCounts()
    counts.add(5, on=date(2025, 3, 2))  # in the month in progress: not counted yet

    assert count_cases(counts, Dimension.STATE, today=date(2025, 3, 20)).total.count == 0
    count_cases(counts, Dimension.STATE, Filters(end=date(2025, 6, 30)), date(2025, 3, 20))

    # From after the never-submitted row to the first day of February, both times.
    assert counts.asked == [(date(1, 1, 2), date(2025, 2, 1))] * 2

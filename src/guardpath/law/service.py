"""The rule language's service terms as expressions: served N years (in all or without a break),
served during a period, serving on a date; with the stints they are computed from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guardpath.law.dates import ONE_DAY, add_years
from guardpath.law.expr import Expr, Strict
from guardpath.law.facts import Facts, ServicePeriod
from guardpath.law.lazy_polars import pl
from guardpath.law.logic import Truth


def latest_start(on: date, years: int) -> date:
    """The latest day `start` with add_years(start, years) <= on."""
    start = add_years(on, -years)
    while add_years(start + ONE_DAY, years) <= on:
        start += ONE_DAY
    return start


def _field(name: str) -> pl.Expr:
    return pl.element().struct.field(name)


@dataclass(frozen=True, eq=False)
class Served(Strict):
    """Some period of service in `formation` on `basis` began at least `years` years before `on`."""

    periods: Expr
    formation: str
    basis: str
    years: int
    on: date

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.periods,)

    def value(self, facts: Facts) -> Truth:
        periods: tuple[ServicePeriod, ...] | None = self.periods.value(facts)
        if periods is None:
            return None
        return any(
            p.formation == self.formation
            and p.basis == self.basis
            and add_years(p.start, self.years) <= self.on
            for p in periods
        )

    def polars(self) -> pl.Expr:
        cutoff = latest_start(self.on, self.years)
        matches = (
            (_field("formation") == self.formation)
            & (_field("basis") == self.basis)
            & (_field("start") <= pl.lit(cutoff))
        )
        return self.periods.polars().list.eval(matches).list.any()


Stint = tuple[date, date]
"""A stretch of service, first and last day inclusive."""


def joined_stints(
    periods: Sequence[ServicePeriod],
    formations: tuple[str, ...],
    basis: str,
    start: date,
    end: date | None,
    on: date,
) -> list[Stint]:
    """The periods in `formations` on `basis` cut to [start, end] and to `on`, with consecutive
    ones (a transfer or a new contract the day after the last ends) joined into one stint."""
    bound = min(d for d in (end, on) if d is not None)
    cut = sorted(
        (max(p.start, start), min(d for d in (p.end, bound) if d is not None))
        for p in periods
        if p.formation in formations and p.basis == basis
    )
    stints: list[Stint] = []
    for first, last in cut:
        if first > last:
            continue
        if stints and first <= stints[-1][1] + ONE_DAY:
            stints[-1] = (stints[-1][0], max(stints[-1][1], last))
        else:
            stints.append((first, last))
    return stints


def continuous_reach(stints: Sequence[Stint], years: int) -> date | None:
    """The first day on which one stint has lasted `years` years, if any does."""
    for first, last in stints:
        if add_years(first, years) <= last:
            return add_years(first, years)
    return None


def total_reach(stints: Sequence[Stint], years: int) -> date | None:
    """The first day on which the stints, added up across their gaps, make `years` years: the
    day the service would have reached had the stints run back to back."""
    if not stints:
        return None
    origin = stints[0][0]
    needed = add_years(origin, years) - origin  # days after the first day
    served = 0  # days counted before the current stint
    for first, last in stints:
        length = (last - first).days + 1
        if served + length > needed.days:
            return first + (needed - (served * ONE_DAY))
        served += length
    return None


def _as_periods(rows: list[dict[str, Any]]) -> tuple[ServicePeriod, ...]:
    return tuple(ServicePeriod(r["formation"], r["basis"], r["start"], r["end"]) for r in rows)


@dataclass(frozen=True, eq=False)
class ServedDuring(Strict):
    """Service in `formations` on `basis` within one of `intervals` (e.g. martial law), counted up
    to `on`, that makes at least `years` years: in one continuous stint, where consecutive
    periods join (gaps=False), or added up across the gaps between them (gaps=True)."""

    periods: Expr
    formations: tuple[str, ...]
    basis: str
    years: int
    on: date
    intervals: tuple[tuple[date, date | None], ...]
    gaps: bool = False

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.periods,)

    def reached(self, periods: Sequence[ServicePeriod]) -> bool:
        reach = total_reach if self.gaps else continuous_reach
        for start, end in self.intervals:
            stints = joined_stints(periods, self.formations, self.basis, start, end, self.on)
            if reach(stints, self.years) is not None:
                return True
        return False

    def value(self, facts: Facts) -> Truth:
        periods: tuple[ServicePeriod, ...] | None = self.periods.value(facts)
        return None if periods is None else self.reached(periods)

    def polars(self) -> pl.Expr:
        # Joining stints walks each person's periods in order; the table calls the same code.
        return self.periods.polars().map_elements(
            lambda rows: self.reached(_as_periods(list(rows))), return_dtype=pl.Boolean
        )


@dataclass(frozen=True, eq=False)
class Serving(Strict):
    """A period in `formations` on `basis` includes the question's date: the person is serving."""

    periods: Expr
    formations: tuple[str, ...]
    basis: str
    on: date

    @property
    def operands(self) -> tuple[Expr, ...]:  # type: ignore[override]
        return (self.periods,)

    def value(self, facts: Facts) -> Truth:
        periods: tuple[ServicePeriod, ...] | None = self.periods.value(facts)
        if periods is None:
            return None
        return any(
            p.formation in self.formations
            and p.basis == self.basis
            and p.start <= self.on
            and (p.end is None or self.on <= p.end)
            for p in periods
        )

    def polars(self) -> pl.Expr:
        day = pl.lit(self.on)
        matches = (
            _field("formation").is_in(list(self.formations))
            & (_field("basis") == self.basis)
            & (_field("start") <= day)
            & (_field("end").is_null() | (_field("end") >= day))
        )
        return self.periods.polars().list.eval(matches).list.any()

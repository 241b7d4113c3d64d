"""Counts of cases for analysts: by citizenship, formation, state and month of intake.

Each breakdown is one SQL `GROUP BY` (SQLAlchemy Core, the same on SQLite and PostgreSQL) over
the clear columns `cases.formation`, `cases.state`, `cases.submitted_on` and
`persons.citizenships`. Nothing here reads `persons.sealed` or any other personal data.

Small counts are suppressed, and the suppression is made to hold against subtraction:

1. A count from 1 to 4 is hidden and shown as "<5" (`Hidden.SMALL`). Zero rows are omitted.
2. Complementary suppression (not rounded totals): while the total, the shown counts and this
   very rule would let someone narrow a "<5" cell to fewer than all of 1, 2, 3 and 4, the
   smallest shown cell is hidden too, shown as "x" (`Hidden.COMPLEMENTARY`). One "<5" cell
   alone always takes a second cell with it; so do two "<5" cells whose sum gives them away
   (1 + 1, 4 + 4), or a second cell so small that the sum pins the first.
3. If hiding every cell still cannot protect them (a breakdown of very few cases), the
   breakdown is withheld: no cells at all, only its total.
4. Totals are exact (a total from 1 to 4 shows "<5"): one breakdown's total can be read off
   any other, so the rule assumes it known rather than rounding it in one place.

Hidden counts never leave this module: a hidden cell carries no number. Hidden cells come
after the shown ones, by key, so their order reveals nothing either.

What this does not stop: differencing between two filters (two date ranges a day apart) can
reveal a small count. Counts per cell are exact; rounding or noise would be the remedy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, func, select

from guardpath.adapters.tables import cases, persons
from guardpath.cases.model import State

SMALL = 5
"""Counts from 1 to SMALL - 1 are hidden."""
FORMATIONS = ("ngu", "afu", "dsst")
STATELESS = "stateless"
"""The citizenship row of stateless persons (no ISO code is this long)."""


class Dimension(StrEnum):
    CITIZENSHIP = "citizenship"
    FORMATION = "formation"
    STATE = "state"
    MONTH = "month"


class Hidden(StrEnum):
    SMALL = "<5"
    COMPLEMENTARY = "x"


@dataclass(frozen=True)
class Filters:
    """Which cases to count: one formation, and an intake (submitted_on) range, both ends in."""

    formation: str | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.formation is not None and self.formation not in FORMATIONS:
            raise ValueError(f"formation must be one of {', '.join(FORMATIONS)}")
        if self.start and self.end and self.start > self.end:
            raise ValueError("the start of the range is after its end")


@dataclass(frozen=True)
class Cell:
    """One row of a breakdown: its key and count, or no count and how it is hidden."""

    key: str
    count: int | None
    hidden: Hidden | None = None

    @property
    def shown(self) -> str:
        return self.hidden.value if self.hidden else str(self.count)


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    cells: tuple[Cell, ...]
    total: Cell
    withheld: bool = False


@dataclass(frozen=True)
class Statistics:
    filters: Filters
    citizenship: Breakdown
    formation: Breakdown
    state: Breakdown
    month: Breakdown

    def breakdowns(self) -> tuple[Breakdown, ...]:
        return (self.citizenship, self.formation, self.state, self.month)


# -- suppression --------------------------------------------------------------------------------
def _protected(small: int, others: list[int], hidden_sum: int, ceiling: float) -> bool:
    """True when every "<5" cell could still be any of 1..4, given the sum of hidden cells.

    There are `small` "<5" cells; `others` are the complementary cells, each of which could be
    anything from SMALL up to the smallest count still shown (`ceiling`, infinite once nothing
    is shown). A "<5" cell is the hidden sum less all the others, so it can be anything in
    1..4 when the others together can be anything from the sum - 4 to the sum - 1.
    """
    rest_low = (small - 1) * 1 + SMALL * len(others)
    rest_high = (small - 1) * (SMALL - 1) + (ceiling * len(others) if others else 0)
    return hidden_sum - (SMALL - 1) >= rest_low and hidden_sum - 1 <= rest_high


def suppress(counts: Mapping[str, int]) -> tuple[dict[str, Hidden], bool]:
    """Which cells to hide and how, and whether that protects the small ones (see above)."""
    small = sorted(key for key, n in counts.items() if 0 < n < SMALL)
    if not small:
        return {}, True
    hidden = dict.fromkeys(small, Hidden.SMALL)
    shown = sorted((n, key) for key, n in counts.items() if n >= SMALL)
    others: list[int] = []
    hidden_sum = sum(counts[key] for key in small)
    while True:
        bound = shown[0][0] if shown else float("inf")
        if _protected(len(small), others, hidden_sum, bound):
            return hidden, True
        if not shown:
            return hidden, False
        count, key = shown.pop(0)
        hidden[key] = Hidden.COMPLEMENTARY
        others.append(count)
        hidden_sum += count


def _total(count: int) -> Cell:
    return Cell("total", None, Hidden.SMALL) if 0 < count < SMALL else Cell("total", count)


def breakdown(
    dimension: Dimension, counts: Mapping[str, int], total: int, order: Iterable[str] = ()
) -> Breakdown:
    """Suppressed cells from raw counts; `order` fixes the order of keys (else largest first)."""
    counts = {key: n for key, n in counts.items() if n > 0}
    hidden, protected = suppress(counts)
    if not protected:
        return Breakdown(dimension, (), _total(total), withheld=True)
    rank = {key: i for i, key in enumerate(order)}
    if rank:  # a fixed order, blind to the counts: hidden cells keep their place
        keys = sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))
    else:  # largest first; hidden cells after, by key, so their order tells nothing
        keys = sorted((k for k in counts if k not in hidden), key=lambda k: (-counts[k], k))
        keys += sorted(hidden, key=lambda k: (hidden[k] is Hidden.SMALL, k))
    cells = (Cell(k, None, hidden[k]) if k in hidden else Cell(k, counts[k]) for k in keys)
    return Breakdown(dimension, tuple(cells), _total(total))


# -- queries ------------------------------------------------------------------------------------
def _where(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.formation is not None:
        conditions.append(cases.c.formation == filters.formation)
    if filters.start is not None:
        conditions.append(cases.c.submitted_on >= filters.start)
    if filters.end is not None:
        conditions.append(cases.c.submitted_on <= filters.end)
    return conditions


def _grouped(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(query)]


def _by_citizenship(conn: Connection, filters: Filters) -> Breakdown:
    # Group by the stored list ("GB,US"), then split the few distinct lists here: a person
    # with two citizenships counts under each, and the SQL stays the same on both engines.
    query = (
        select(persons.c.citizenships, func.count())
        .select_from(cases.join(persons, cases.c.person_id == persons.c.id))
        .where(*_where(filters))
        .group_by(persons.c.citizenships)
    )
    counts: Counter[str] = Counter()
    total = 0
    for listed, n in _grouped(conn, query):
        codes = {code.strip() for code in listed.split(",") if code.strip()} or {STATELESS}
        for code in codes:
            counts[code] += n
        total += n
    return breakdown(Dimension.CITIZENSHIP, counts, total)


def _by_column(conn: Connection, filters: Filters, dimension: Dimension) -> Breakdown:
    column = cases.c.formation if dimension is Dimension.FORMATION else cases.c.state
    order = FORMATIONS if dimension is Dimension.FORMATION else tuple(State)
    query = select(column, func.count()).where(*_where(filters)).group_by(column)
    counts = {str(key): n for key, n in _grouped(conn, query)}
    return breakdown(dimension, counts, sum(counts.values()), order)


def _by_month(conn: Connection, filters: Filters) -> Breakdown:
    # By day in SQL (a few thousand rows at most, in index order, no date functions that
    # differ between the engines), folded into months here.
    day = cases.c.submitted_on
    query = select(day, func.count()).where(day.is_not(None), *_where(filters)).group_by(day)
    counts: Counter[str] = Counter()
    for on, n in _grouped(conn, query):
        counts[f"{on.year:04d}-{on.month:02d}"] += n
    return breakdown(Dimension.MONTH, counts, sum(counts.values()), sorted(counts))


def _count(conn: Connection, dimension: Dimension, filters: Filters) -> Breakdown:
    if dimension is Dimension.CITIZENSHIP:
        return _by_citizenship(conn, filters)
    if dimension is Dimension.MONTH:
        return _by_month(conn, filters)
    return _by_column(conn, filters, dimension)


def _reading(engine: Engine) -> Connection:
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        # One snapshot for every breakdown, so no two of them can be set against each other.
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return conn


def count_cases(engine: Engine, dimension: Dimension, filters: Filters | None = None) -> Breakdown:
    """One breakdown of the cases that match `filters`, suppressed."""
    with _reading(engine) as conn:
        return _count(conn, dimension, filters or Filters())


def summarise_cases(engine: Engine, filters: Filters | None = None) -> Statistics:
    """Every breakdown, read in one transaction."""
    filters = filters or Filters()
    with _reading(engine) as conn, conn.begin():
        counted = {d: _count(conn, d, filters) for d in Dimension}
    return Statistics(
        filters,
        citizenship=counted[Dimension.CITIZENSHIP],
        formation=counted[Dimension.FORMATION],
        state=counted[Dimension.STATE],
        month=counted[Dimension.MONTH],
    )

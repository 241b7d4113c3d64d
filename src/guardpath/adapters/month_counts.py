"""Reading the month counters of case_counts (adapters/case_counts.py writes them) for the
statistics: sums over a range of months, grouped, all read from one snapshot. Which months and
how the sums are shown are the service's (guardpath.services.statistics)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from guardpath.adapters.case_counts import MONTH
from guardpath.adapters.tables import case_counts

GROUPS = ("formation", "item", "period")
"""What a sum can be grouped by besides the dimension."""


class MonthCountsReader:
    """The month counters, summed, on one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def sums(
        self,
        dimensions: tuple[str, ...],
        first: date,
        last: date,
        formation: str | None,
        by: str,
    ) -> list[tuple[str, Any, int]]:
        """(dimension, key, sum) of the month rows of `dimensions` from the month of `first` to
        the month of `last`, both in, for one formation or all, grouped by `by` (GROUPS)."""
        if by not in GROUPS:
            raise ValueError(f"by: one of {', '.join(GROUPS)}")
        conditions: list[ColumnElement[bool]] = [
            case_counts.c.dimension.in_(dimensions),
            case_counts.c.span == MONTH,
            case_counts.c.period.between(first, last),
        ]
        if formation is not None:
            conditions.append(case_counts.c.formation == formation)
        dimension, key = case_counts.c.dimension, case_counts.c[by]
        query = (
            select(dimension, key, func.sum(case_counts.c.n))
            .where(*conditions)
            .group_by(dimension, key)
        )
        return [(str(d), k, int(n)) for d, k, n in self.conn.execute(query)]


class MonthCounts:
    """The statistics' source: readers of the month counters of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def reading(self, *, one_transaction: bool = False) -> Iterator[MonthCountsReader]:
        """A reader; on PostgreSQL a read-only snapshot, so that no two sums read with it can be
        set against each other (`one_transaction` holds it for all of them)."""
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with conn:
            if one_transaction:
                with conn.begin():
                    yield MonthCountsReader(conn)
            else:
                yield MonthCountsReader(conn)

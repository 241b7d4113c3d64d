"""The connection pool's counts, and the key rotations read from the database at each scrape
(they are run by `guardpath keys rotate`, in another process)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from guardpath.adapters.tables import key_rotation
from guardpath.web.metrics.registry import Metrics


def follow_pool(metrics: Metrics, engine: Engine) -> None:
    """Read the pool's own counts after each request and at each scrape.

    Not on the pool's events: SQLAlchemy tells of a check-in before the connection is back in
    the pool, so the counts read then are one off. Between requests the pool does not move."""
    pool: Any = engine.pool

    def update() -> None:
        # A pool without a queue (NullPool, SQLite in memory) keeps none of these counts.
        if hasattr(pool, "checkedout"):
            metrics.db_in_use.set(pool.checkedout())
            metrics.db_idle.set(pool.checkedin())
            metrics.db_pool_size.set(pool.size())

    metrics.refresh_pool = update
    update()


class KeyRotations(Collector):
    """Rotations finished, and whether one is under way, from the `key_rotation` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def describe(self) -> Iterator[Metric]:
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        finished, running = self._families()
        done_column = func.count(key_rotation.c.finished_at)
        query = select(done_column, func.count() - done_column)
        try:
            with self.engine.connect() as conn:
                done, under_way = conn.execute(query).one()
        except SQLAlchemyError:
            return  # the database is away: /readyz says so; the other metrics still answer
        finished.add_metric([], done)
        running.add_metric([], under_way)
        yield finished
        yield running

    @staticmethod
    def _families() -> tuple[CounterMetricFamily, GaugeMetricFamily]:
        return (
            CounterMetricFamily(
                "guardpath_key_rotations", "Key rotations finished (from the database)."
            ),
            GaugeMetricFamily(
                "guardpath_key_rotations_running", "Key rotations started and not finished."
            ),
        )

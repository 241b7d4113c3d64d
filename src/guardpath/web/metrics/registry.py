"""The metrics, declared once per application; with several workers (`serve --workers N`)
prometheus-client's multiprocess mode sums them over the workers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.registry import Collector

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def multiprocess_mode() -> bool:
    """Whether prometheus-client keeps its values in files shared by the workers (it decides
    at import, from PROMETHEUS_MULTIPROC_DIR, which `serve --workers N` sets)."""
    return values.ValueClass is not values.MutexValue


MULTIPROCESS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def shared_between_workers(enabled: bool) -> Iterator[None]:
    """Around starting several workers: a fresh folder in which each keeps its values, named
    in the environment the workers inherit, so that a scrape of any worker sums them all."""
    if not enabled or MULTIPROCESS_FOLDER in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="guardpath-metrics-") as folder:
        os.environ[MULTIPROCESS_FOLDER] = folder
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_FOLDER]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._extra: list[Collector] = []
        self.refresh_pool: Callable[[], None] = lambda: None
        r = self.registry
        self.requests = Counter(
            "guardpath_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "guardpath_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template.",
            ["route", "method"],
            registry=r,
        )
        self.limits_refused = Counter(
            "guardpath_limits_refused",
            "Requests refused by a limit (413 too large, 429 too many, 507 out of room), "
            "by route template and status.",
            ["route", "status"],
            registry=r,
        )
        self.submissions = Counter("guardpath_submissions", "Applications submitted.", registry=r)
        self.decisions = Counter(
            "guardpath_decisions",
            "Decisions on cases, by the step that took them and their outcome.",
            ["step", "outcome"],
            registry=r,
        )
        self.screening_matches = Counter(
            "guardpath_screening_matches",
            "Possible matches found by screening, by source (duplicates or a watch-list).",
            ["source"],
            registry=r,
        )
        self.papers = Counter(
            "guardpath_papers_rendered", "PDF papers rendered, by kind.", ["paper"], registry=r
        )
        self.logins = Counter(
            "guardpath_staff_logins", "Staff logins, by result.", ["result"], registry=r
        )
        self.db_in_use = Gauge(
            "guardpath_db_connections_in_use",
            "Database connections checked out of the pool.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.db_idle = Gauge(
            "guardpath_db_connections_idle",
            "Open database connections waiting in the pool.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.db_pool_size = Gauge(
            "guardpath_db_pool_size",
            "Connections the pool keeps (more may overflow under load).",
            registry=r,
            multiprocess_mode="livesum",
        )

    def add_collector(self, collector: Collector) -> None:
        """A collector read at each scrape (from the database, so the same in every worker)."""
        self.registry.register(collector)
        self._extra.append(collector)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)
        if status in (413, 429, 507):
            self.limits_refused.labels(route, str(status)).inc()
        self.refresh_pool()

    def exposition(self) -> bytes:
        """The text format: this process's values, or every worker's summed."""
        self.refresh_pool()
        if not multiprocess_mode():
            return generate_latest(self.registry)
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
        for collector in self._extra:
            combined.register(collector)
        return generate_latest(combined)

    @staticmethod
    def process_ended() -> None:
        """A worker that stops takes its gauges out of the sums."""
        if multiprocess_mode():
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

"""Prometheus metrics at `GET /metrics`, off unless `GUARDPATH_METRICS=true`.

`registry.py` declares them, `events.py` counts committed audit entries (submissions,
decisions, screening, papers, logins), `database.py` follows the connection pool and reads the
key rotations, `route.py` serves the text format (behind `GUARDPATH_METRICS_TOKEN` if set).
Labels are route templates, methods, status codes and names from the code: never a path, a
reference or anything a person typed.
"""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from guardpath.bootstrap import Context
from guardpath.web.metrics.database import KeyRotations, follow_pool
from guardpath.web.metrics.events import count_committed
from guardpath.web.metrics.registry import Metrics
from guardpath.web.metrics.route import router

__all__ = ["Metrics", "install"]


def install(app: FastAPI, ctx: Context) -> Metrics | None:
    """With metrics on: declare them, follow the pool, count committed entries, serve them."""
    if not ctx.settings.metrics:
        return None
    metrics = Metrics()
    follow_pool(metrics, ctx.engine)
    metrics.add_collector(KeyRotations(ctx.engine))
    ctx.on_commit.append(partial(count_committed, metrics))
    app.state.metrics = metrics
    app.include_router(router)
    return metrics

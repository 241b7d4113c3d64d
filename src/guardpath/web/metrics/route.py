"""`GET /metrics`: the Prometheus text format, for a scraper holding the token if one is set."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from guardpath.web.metrics.registry import Metrics

router = APIRouter(include_in_schema=False)


def _authorised(request: Request) -> bool:
    token = request.app.state.ctx.settings.metrics_token
    if token is None:
        return True
    given = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    return hmac.compare_digest(given.encode(), expected.encode())


@router.get("/metrics")
def metrics(request: Request) -> Response:
    if not _authorised(request):
        return Response(
            "a metrics token is required\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
        )
    found: Metrics = request.app.state.metrics
    body = found.exposition()
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

"""Each request gets an id, is logged once by its route template, and is counted in the metrics.

The id comes from a trusted proxy's `X-Request-ID` (nginx's `$request_id`) or is made here; it
is returned in the `X-Request-ID` header and in error pages, so the line of a user's report can
be found in the logs. Plain ASGI, wrapping `send` only.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guardpath.web.metrics import Metrics

log = logging.getLogger("guardpath.web")
HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
"""Polled every few seconds: logged at debug, so they do not bury the requests of people."""


def trust_no_one(peer: str | None) -> bool:
    return False


def trusted_peers(proxies: Iterable[str]) -> Callable[[str | None], bool]:
    """Whether a peer is one of the proxies (addresses or networks, as in the settings)."""
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]
    if not networks:
        return trust_no_one

    def trusted(peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in networks)

    return trusted


def request_id(scope: Scope, trusted: Callable[[str | None], bool]) -> str:
    """The proxy's id when the peer is a trusted proxy and the id is well formed, else a new
    one: an id from anyone else could be chosen to confuse the logs."""
    client = scope.get("client")
    if trusted(client[0] if client else None):
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                given: str = value.decode("latin-1")
                if WELL_FORMED.fullmatch(given):
                    return given
    return uuid.uuid4().hex


def route_of(scope: Scope) -> str:
    """The route's template, never the concrete path: a path can carry a reference."""
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path", "unmatched"))
    return "/static" if scope["path"].startswith("/static/") else "unmatched"


class RequestObserver:
    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics | None = None,
        trusted: Callable[[str | None], bool] = trust_no_one,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        rid = request_id(scope, self.trusted)
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, rid, status, time.perf_counter() - started)

    def _record(self, scope: Scope, rid: str, status: int, seconds: float) -> None:
        route, method = route_of(scope), scope["method"]
        fields = {
            "request_id": rid,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        level = logging.DEBUG if route in PROBES else logging.INFO
        line = "%s %s %s %.1fms id=%s"
        log.log(level, line, method, route, status, seconds * 1000, rid, extra=fields)
        if self.metrics is not None:
            self.metrics.observe_request(route, method, status, seconds)

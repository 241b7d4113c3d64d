"""The API reads no body larger than it needs: a 413 that names the limit, before any parsing."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from starlette.responses import Response
from starlette.types import Message, Receive

API_BODY_LIMIT = 64 * 1024
"""The largest JSON body the API reads: an application or a check is a few kilobytes."""
TOO_LARGE = (
    f"the request body is larger than the API accepts ({API_BODY_LIMIT:,} bytes); "
    "expected one JSON object of an application or a check"
)


def _too_large() -> HTTPException:
    return HTTPException(413, TOO_LARGE)


def _bounded(receive: Receive) -> Receive:
    received = 0

    async def bounded() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > API_BODY_LIMIT:
            raise _too_large()
        return message

    return bounded


class BoundedRoute(APIRoute):
    """A route that refuses a body over API_BODY_LIMIT, declared or streamed (413)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > API_BODY_LIMIT:
                raise _too_large()
            return await handler(Request(request.scope, _bounded(request.receive)))

        return route

"""Errors as HTTP answers: a clear message and a stable code, never a stack trace.

The API answers JSON problems; every other address answers a page in the request's language,
with `no-store` (and, through the middleware around this, the security headers): 403, 404,
413, 429, 500 and 503 alike. A request that waited too long for a database lock, or found
every password-hashing slot taken, is answered 503 with Retry-After rather than 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guardpath.cases.transitions import (
    CaseError,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    WrongState,
)
from guardpath.law.facts import FactError
from guardpath.services.hashing import HashingBusy
from guardpath.services.limits import TooMany
from guardpath.web.bodies import BodyTooLarge
from guardpath.web.deps import get_context, get_templates
from guardpath.web.pages.common import FormExpired, page
from guardpath.web.pages.uploads import FORM_LIMIT
from guardpath.web.templating import render

log = logging.getLogger("guardpath.web")
BUSY_RETRY_AFTER = 5
"""Seconds a client is asked to wait after a 503."""
BUSY = (OperationalError, PoolTimeout, HashingBusy)
""""Try again shortly": a lock or a connection waited for too long, or no hashing slot."""

STATUS = {NotPermitted: 403, NotFound: 404, WrongState: 409, Conflict: 409, LawSaysNo: 422}


def _safe(value: object) -> object:
    """Messages name the field and what is accepted; they never echo the input back, which
    may be personal data or text that cannot be encoded (a lone surrogate)."""
    return value.encode("utf-8", "replace").decode() if isinstance(value, str) else value


def _message(item: Any) -> object:
    if item.get("type") == "json_invalid":
        reason = item.get("ctx", {}).get("error", "")
        return _safe(f"the body is not valid JSON ({reason}); expected a JSON object")
    return _safe(item.get("msg", "invalid"))


def problems(error: RequestValidationError) -> list[dict[str, object]]:
    """Each problem's type, where it is and what is wrong, echoing none of the input (a key
    the client sent may be in `loc`, and may not even be encodable)."""
    return [
        {
            "type": item.get("type", "value_error"),
            "loc": [_safe(part) for part in item.get("loc", ())],
            "msg": _message(item),
        }
        for item in error.errors()
    ]


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_page(
    request: Request, status: int, headers: dict[str, str] | None = None, **context: Any
) -> Response:
    """The page of an error in the request's language (templates/public/error.html)."""
    templates = get_templates(request)
    response = render(
        templates, request, "public/error.html", {"status": status, **context}, status
    )
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def too_many(request: Request, retry_after: int) -> Response:
    headers = {"Retry-After": str(retry_after)}
    if is_api(request):
        detail = "too many requests; try again later"
        return JSONResponse({"detail": detail}, status_code=429, headers=headers)
    minutes = max(1, -(-retry_after // 60))
    return error_page(request, 429, headers, minutes=minutes)


def busy(request: Request, error: Exception) -> Response:
    # The kind only: a database error's text can quote the statement's parameters.
    log.warning("busy: %s on %s", type(error).__name__, request.url.path.split("/")[1])
    retry = getattr(error, "retry_after", BUSY_RETRY_AFTER)
    headers = {"Retry-After": str(retry)}
    if is_api(request):
        detail = "the service is busy; try again in a few seconds"
        return JSONResponse({"detail": detail}, status_code=503, headers=headers)
    return error_page(request, 503, headers)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / 1048576:.0f} MB"
    return f"{limit // 1024} KB"


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if is_api(request) or error.status_code < 400:
        return await http_exception_handler(request, error)
    if error.status_code == 413:
        limit = error.limit if isinstance(error, BodyTooLarge) else FORM_LIMIT
        return _too_large_page(request, limit)
    return error_page(request, error.status_code, dict(error.headers or {}))


def _too_large_page(request: Request, limit: int) -> Response:
    context = {"size": _size(limit)}
    name = "public/form_too_large.html"
    response = page(request, get_context(request), get_templates(request), name, context, 413)
    response.headers["Cache-Control"] = "no-store"
    return response


class ErrorPages:
    """Answers an exception no handler took (and a busy database met in a middleware) with the
    500 or 503 page or problem, inside the security headers' middleware, so even a 500 carries
    them; then re-raises a 500's exception for the server's log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching)
        except Exception as error:
            if started:
                raise
            request = Request(scope)
            if isinstance(error, BUSY):
                await busy(request, error)(scope, receive, send)
                return
            await _server_error(request)(scope, receive, send)
            raise


INTERNAL = "an internal error; quote the request id (also in the X-Request-ID header) to report it"


def _server_error(request: Request) -> Response:
    """A 500 that names the request's id, so that its log lines can be found, and nothing of
    the error."""
    request_id = str(getattr(request.state, "request_id", ""))
    if is_api(request):
        body = {"detail": INTERNAL, "request_id": request_id}
        return JSONResponse(body, status_code=500, headers={"Cache-Control": "no-store"})
    context = {"request_id": request_id}
    response = render(get_templates(request), request, "public/server_error.html", context, 500)
    response.headers["Cache-Control"] = "no-store"
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)

    @app.exception_handler(TooMany)
    async def over_a_limit(request: Request, error: TooMany) -> Response:
        return too_many(request, error.retry_after)

    for kind in BUSY:
        app.add_exception_handler(kind, busy)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if not is_api(request):
            return error_page(request, 422)
        return JSONResponse({"detail": problems(error)}, status_code=422)

    @app.exception_handler(CaseError)
    async def case_error(request: Request, error: CaseError) -> Response:
        status = next((s for kind, s in STATUS.items() if isinstance(error, kind)), 400)
        if not is_api(request):
            return error_page(request, status)
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=status)

    @app.exception_handler(FactError)
    async def fact_error(request: Request, error: FactError) -> JSONResponse:
        loc = ["body", "facts", _safe(error.field)]
        problem = {"type": "value_error", "loc": loc, "msg": _safe(error.message)}
        return JSONResponse({"detail": [problem]}, status_code=422)

    @app.exception_handler(FormExpired)
    async def form_expired(request: Request, error: FormExpired) -> Response:
        context, templates = get_context(request), get_templates(request)
        return page(request, context, templates, "public/form_expired.html", status_code=403)

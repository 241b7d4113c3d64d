"""Domain errors as HTTP answers: a clear message and a stable code, never a stack trace."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.responses import PlainTextResponse, Response

from guardpath.cases.transitions import (
    CaseError,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    WrongState,
)
from guardpath.law.facts import FactError
from guardpath.web import i18n
from guardpath.web.deps import get_context, get_templates
from guardpath.web.pages.common import page
from guardpath.web.pages.uploads import FORM_LIMIT, FormTooLarge
from guardpath.web.security import HEADERS
from guardpath.web.templating import render

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


INTERNAL = "an internal error; quote the request id (also in the X-Request-ID header) to report it"


async def server_error(request: Request, error: Exception) -> Response:
    """A 500 that names the request's id, so that its log lines can be found, and nothing of
    the error. It is sent from outside the other middleware: it brings its own headers."""
    request_id = str(getattr(request.state, "request_id", ""))
    headers = {**HEADERS, "Cache-Control": "no-store", "X-Request-ID": request_id}
    if request.url.path.startswith("/api/"):
        body = {"detail": INTERNAL, "request_id": request_id}
        return JSONResponse(body, status_code=500, headers=headers)
    # Outside the Language middleware: the page's language is chosen again here.
    language = i18n.negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )
    token = i18n.current_language.set(language)
    try:
        context = {"request_id": request_id}
        response = render(get_templates(request), request, "public/server_error.html", context, 500)
    except Exception:  # the page itself failed: still say which request it was
        return PlainTextResponse(f"{INTERNAL}: {request_id}\n", status_code=500, headers=headers)
    finally:
        i18n.current_language.reset(token)
    response.headers.update(headers)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(Exception, server_error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": problems(error)}, status_code=422)

    @app.exception_handler(CaseError)
    async def case_error(request: Request, error: CaseError) -> JSONResponse:
        status = next((s for kind, s in STATUS.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=status)

    @app.exception_handler(FactError)
    async def fact_error(request: Request, error: FactError) -> JSONResponse:
        loc = ["body", "facts", _safe(error.field)]
        problem = {"type": "value_error", "loc": loc, "msg": _safe(error.message)}
        return JSONResponse({"detail": [problem]}, status_code=422)

    @app.exception_handler(FormTooLarge)
    async def form_too_large(request: Request, error: FormTooLarge) -> Response:
        context = {"size": f"{FORM_LIMIT // 1024} KB"}
        name = "public/form_too_large.html"
        return page(request, get_context(request), get_templates(request), name, context, 413)

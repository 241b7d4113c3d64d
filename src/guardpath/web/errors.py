"""Domain errors as HTTP answers: a clear message and a stable code, never a stack trace."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.responses import Response

from guardpath.cases.transitions import (
    CaseError,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    WrongState,
)
from guardpath.law.facts import FactError
from guardpath.web.deps import get_context, get_templates
from guardpath.web.pages.common import page
from guardpath.web.pages.uploads import FORM_LIMIT, FormTooLarge

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


def install(app: FastAPI) -> None:
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

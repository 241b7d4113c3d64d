"""Domain errors as HTTP answers: a clear message and a stable code, never a stack trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from guardpath.cases.transitions import (
    CaseError,
    Conflict,
    LawSaysNo,
    NotFound,
    NotPermitted,
    WrongState,
)
from guardpath.law.facts import FactError

STATUS = {NotPermitted: 403, NotFound: 404, WrongState: 409, Conflict: 409, LawSaysNo: 422}


def _safe(value: object) -> object:
    """Messages name the field and what is accepted; they never echo the input back, which
    may be personal data or text that cannot be encoded (a lone surrogate)."""
    return value.encode("utf-8", "replace").decode() if isinstance(value, str) else value


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "type": item.get("type", "value_error"),
                "loc": list(item.get("loc", ())),
                "msg": _safe(item.get("msg", "invalid")),
            }
            for item in error.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(CaseError)
    async def case_error(request: Request, error: CaseError) -> JSONResponse:
        status = next((s for kind, s in STATUS.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=status)

    @app.exception_handler(FactError)
    async def fact_error(request: Request, error: FactError) -> JSONResponse:
        message = _safe(error.message)
        problem = {"type": "value_error", "loc": ["body", "facts", error.field], "msg": message}
        body = {"detail": [problem]}
        return JSONResponse(body, status_code=422)

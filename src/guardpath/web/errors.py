"""Domain errors as HTTP answers: a clear message and a stable code, never a stack trace."""

from __future__ import annotations

from fastapi import FastAPI, Request
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


def install(app: FastAPI) -> None:
    @app.exception_handler(CaseError)
    async def case_error(request: Request, error: CaseError) -> JSONResponse:
        status = next((s for kind, s in STATUS.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": str(error), "code": error.code}, status_code=status)

    @app.exception_handler(FactError)
    async def fact_error(request: Request, error: FactError) -> JSONResponse:
        body = {"detail": [{"loc": ["body", "facts", error.field], "msg": error.message}]}
        return JSONResponse(body, status_code=422)

"""Probes for a load balancer or an orchestrator: `/healthz` (the process answers, no database)
and `/readyz` (the process can serve: see services/readiness.py). Both are public, answer a
small JSON object and reveal no version, path or count."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from guardpath.bootstrap import Context
from guardpath.services.readiness import Readiness

router = APIRouter(include_in_schema=False)
NO_CACHE = {"Cache-Control": "no-store"}


@router.get("/healthz")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=NO_CACHE)


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    readiness: Readiness = request.app.state.readiness
    failing = readiness.failing()
    if failing:
        body = {"status": "not ready", "failing": failing}
        return JSONResponse(body, status_code=503, headers=NO_CACHE)
    return JSONResponse({"status": "ready"}, headers=NO_CACHE)


def install(app: FastAPI, ctx: Context) -> None:
    app.state.readiness = Readiness(ctx)
    app.include_router(router)

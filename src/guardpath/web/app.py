"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings
from guardpath.web import errors, health, metrics, public
from guardpath.web.api import applications, checks
from guardpath.web.i18n import Language
from guardpath.web.requests import RequestObserver
from guardpath.web.security import SecurityHeaders
from guardpath.web.staff import install as install_staff
from guardpath.web.stats import router as statistics_router
from guardpath.web.templating import make_templates

STATIC = Path(__file__).resolve().parent / "static"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    metrics.Metrics.process_ended()


def create_app(settings: Settings | None = None, ctx: Context | None = None) -> FastAPI:
    ctx = ctx or bootstrap(settings)
    app = FastAPI(
        title="guardpath",
        version="1",
        description="The law on foreign volunteers in Ukraine's defence forces, and their cases.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.templates = make_templates()
    app.add_middleware(Language)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestObserver, metrics=metrics.install(app, ctx))

    errors.install(app)
    health.install(app, ctx)
    app.include_router(checks.router)
    app.include_router(applications.router)
    app.include_router(public.router)
    app.include_router(statistics_router)
    install_staff(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app

"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings
from guardpath.web import errors, public
from guardpath.web.api import applications, checks
from guardpath.web.i18n import Language
from guardpath.web.security import SecurityHeaders
from guardpath.web.staff import install as install_staff
from guardpath.web.stats import router as statistics_router
from guardpath.web.stats.what_if import router as what_if_router
from guardpath.web.templating import make_templates

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, ctx: Context | None = None) -> FastAPI:
    ctx = ctx or bootstrap(settings)
    app = FastAPI(
        title="guardpath",
        version="1",
        description="The law on foreign volunteers in Ukraine's defence forces, and their cases.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.state.templates = make_templates()
    app.add_middleware(Language)
    app.add_middleware(SecurityHeaders)

    errors.install(app)
    app.include_router(checks.router)
    app.include_router(applications.router)
    app.include_router(public.router)
    app.include_router(statistics_router)
    app.include_router(what_if_router)
    install_staff(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app

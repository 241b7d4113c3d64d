"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings, load_settings
from guardpath.web import errors, public
from guardpath.web.api import applications, checks
from guardpath.web.bodies import BodyLimit
from guardpath.web.i18n import Language
from guardpath.web.security import SecurityHeaders
from guardpath.web.staff import install as install_staff
from guardpath.web.stats import router as statistics_router
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
    errors.install(app)
    app.include_router(checks.router)
    app.include_router(applications.router)
    app.include_router(public.router)
    app.include_router(statistics_router)
    # Inside the staff middleware (Starlette's BaseHTTPMiddleware), which would wrap a refusal
    # raised while the body is read into an exception group (and a 400).
    app.add_middleware(BodyLimit)
    install_staff(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # The last added is the outermost: the security headers wrap everything, error pages
    # included, and the language is chosen before an error page is drawn.
    app.add_middleware(errors.ErrorPages)
    app.add_middleware(Language)
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_environment() -> FastAPI:
    """The app of one worker process of `guardpath serve --workers N`."""
    return create_app(load_settings())

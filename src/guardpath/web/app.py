"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings, load_settings
from guardpath.web import errors, health, metrics, public
from guardpath.web.api import applications, checks
from guardpath.web.bodies import BodyLimit
from guardpath.web.i18n import Language
from guardpath.web.requests import RequestObserver, trusted_peers
from guardpath.web.security import SecurityHeaders
from guardpath.web.staff import install as install_staff
from guardpath.web.stats import router as statistics_router
from guardpath.web.stats.what_if import router as what_if_router
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
    errors.install(app)
    health.install(app, ctx)
    app.include_router(checks.router)
    app.include_router(applications.router)
    app.include_router(public.router)
    app.include_router(statistics_router)
    app.include_router(what_if_router)
    # Inside the staff sign-in middleware: the body's limit is the innermost of the app's own.
    app.add_middleware(BodyLimit)
    install_staff(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # The last added is the outermost: the security headers wrap everything, error pages
    # included, and the language is chosen before an error page is drawn.
    app.add_middleware(errors.ErrorPages)
    app.add_middleware(Language)
    app.add_middleware(SecurityHeaders)
    trusted = ctx.settings.trusted_proxies
    if trusted:
        # The client's address and scheme from a trusted proxy's X-Forwarded-For and -Proto.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted))
    # Outside the proxy headers: it sees the peer itself, to take only a trusted proxy's id.
    observed = metrics.install(app, ctx)
    app.add_middleware(RequestObserver, metrics=observed, trusted=trusted_peers(trusted))
    return app


def create_app_from_environment() -> FastAPI:
    """The app of one worker process of `guardpath serve --workers N`."""
    return create_app(load_settings())

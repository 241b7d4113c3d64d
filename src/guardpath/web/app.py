"""The application factory: settings in, a FastAPI app out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings
from guardpath.web import errors, i18n, public
from guardpath.web.api import applications, checks
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
    app.add_middleware(SecurityHeaders)

    @app.middleware("http")
    async def language(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        chosen = i18n.negotiate(
            request.query_params.get("lang"),
            request.cookies.get("lang"),
            request.headers.get("accept-language"),
        )
        token = i18n.current_language.set(chosen)
        try:
            response = await call_next(request)
        finally:
            i18n.current_language.reset(token)
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="lax")
        response.headers.setdefault("Content-Language", chosen)
        return response

    errors.install(app)
    app.include_router(checks.router)
    app.include_router(applications.router)
    app.include_router(public.router)
    app.include_router(statistics_router)
    install_staff(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app

"""The staff console under /staff: login, queues, case pages, steps and search.

`install(app)` adds the routes; the answers for a missing login (the login page), a role the
page does not admit (403) and a form without its CSRF token (403); and, on /staff paths, the
signed-in member in `request.state.staff_user` for other modules' staff pages (statistics).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from guardpath.web.staff import actions, auth, case, papers, queues, screening, search
from guardpath.web.staff.csrf import CsrfRejected
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import Forbidden, LoginRequired, SignIn


async def _login_required(request: Request, error: Exception) -> Response:
    return RedirectResponse(auth.LOGIN_PATH, status_code=303)


async def _forbidden(request: Request, error: Exception) -> Response:
    return page(request, "staff/denied.html", status_code=403)


async def _csrf_rejected(request: Request, error: Exception) -> Response:
    return page(request, "staff/expired.html", status_code=403)


def install(app: FastAPI) -> None:
    app.add_middleware(SignIn)
    for module in (auth, queues, search, case, actions, papers, screening):
        app.include_router(module.router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(CsrfRejected, _csrf_rejected)

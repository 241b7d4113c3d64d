"""Who is asking: the staff session behind the cookie, and the roles a page admits.

The cookie holds the session token, HttpOnly and SameSite=Strict. It is Secure (and named with
the `__Host-` prefix) in production and on every address but plain http on this machine, where
a developer runs guardpath without TLS; GUARDPATH_COOKIE_SECURE, when set, decides (the one
cookie policy, web/cookies.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from guardpath.cases.model import Role
from guardpath.services.staff import CASE_ROLES, SESSION_LIFETIME, StaffSession, session_for
from guardpath.web import cookies
from guardpath.web.deps import ContextDep

COOKIE = "gp_staff"
SECURE_COOKIE = "__Host-gp_staff"


class LoginRequired(Exception):
    """No live staff session: the answer is the login page."""


class Forbidden(Exception):
    """A staff member whose role this page does not admit."""


def cookie_secure(request: Request) -> bool:
    """The staff session's cookie under the one cookie policy (web/cookies.py)."""
    return cookies.cookie_secure(request, staff=True)


def session_token(request: Request) -> str | None:
    return request.cookies.get(SECURE_COOKIE) or request.cookies.get(COOKIE)


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    secure = cookie_secure(request)
    name = SECURE_COOKIE if secure else COOKIE
    clear_session_cookie(request, response, keep=name)
    response.set_cookie(
        name,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(request: Request, response: Response, keep: str = "") -> None:
    for name in (COOKIE, SECURE_COOKIE):
        if name in request.cookies and name != keep:
            response.delete_cookie(
                name, path="/", secure=name == SECURE_COOKIE, httponly=True, samesite="strict"
            )


class SignIn:
    """On /staff paths, put the signed-in staff member (or None) in `request.state.staff_user`
    before any route runs, for routes of other modules (the statistics) to read. Plain ASGI
    rather than Starlette's BaseHTTPMiddleware, which cost every request, the API's included,
    a task, a stream and its events (about a quarter of a submission's time on the event loop,
    by py-spy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            if request.url.path.startswith("/staff"):
                ctx = request.app.state.ctx
                staff = await run_in_threadpool(session_for, ctx, session_token(request))
                request.state.staff_user = staff
        await self.app(scope, receive, send)


def current_staff(request: Request, ctx: ContextDep) -> StaffSession:
    session: StaffSession | None
    if hasattr(request.state, "staff_user"):
        session = request.state.staff_user
    else:
        session = session_for(ctx, session_token(request))
    if session is None:
        raise LoginRequired
    request.state.staff = session
    return session


StaffDep = Annotated[StaffSession, Depends(current_staff)]


def require(roles: frozenset[Role]) -> Callable[[StaffSession], StaffSession]:
    def admitted(staff: StaffDep) -> StaffSession:
        if staff.role not in roles:
            raise Forbidden
        return staff

    return admitted


CaseWorker = Annotated[StaffSession, Depends(require(CASE_ROLES))]

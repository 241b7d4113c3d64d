"""What the public pages share: the CSRF token and its check, cookies, the draft the browser
holds, the client's address."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from guardpath.bootstrap import Context
from guardpath.web.cookies import cookie_secure
from guardpath.web.templating import render

CSRF_COOKIE = "gp_csrf"
DRAFT_COOKIE = "gp_draft"


def secure_cookies(request: Request, ctx: Context) -> bool:
    """A public cookie under the one cookie policy (web/cookies.py)."""
    return cookie_secure(request)


def csrf_token(request: Request) -> str:
    """The double-submit token for this browser: the cookie's, or a new one for this page."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = getattr(request.state, "csrf", None) or secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


def set_csrf_cookie(request: Request, response: Response, ctx: Context) -> None:
    """Send the token of this page back as the cookie, if the browser does not hold it yet."""
    token = getattr(request.state, "csrf", None)
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request, ctx),
            path="/",
        )


def csrf_ok(request: Request, form: FormData) -> bool:
    """The form's token equals the cookie's (compared in constant time)."""
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    sent = form.get("csrf")
    return (
        isinstance(sent, str)
        and len(cookie) >= 32
        and hmac.compare_digest(cookie.encode(), sent.encode())
    )


class FormExpired(Exception):
    """A form without this browser's CSRF token (forged, or from a page too old): the answer
    is the "form expired" page (403) and nothing is done."""


def require_csrf(request: Request, form: FormData) -> None:
    """The one CSRF check of the public pages' forms, however the form was read: FormExpired
    unless its token is this browser's."""
    if not csrf_ok(request, form):
        raise FormExpired


async def checked_form(request: Request) -> FormData:
    """The page's form, once its CSRF token is checked (a dependency: the handler runs only
    for a form this browser's page sent). The body's size is bounded before (web/bodies.py);
    the form is read once per request, and a form model on the same route reads the same.
    An upload's form is read by its own size-limited parser and checked the same way
    (pages/uploads.py's `UploadDep`)."""
    form = await request.form()
    require_csrf(request, form)
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
"""A public page's form whose CSRF token matched."""
CSRF_CHECKED = Depends(checked_form)
"""The same check for a route whose form arrives as a form model (`dependencies=[...]`)."""


def set_draft_cookie(request: Request, response: Response, ctx: Context, token: str) -> None:
    response.set_cookie(
        DRAFT_COOKIE,
        token,
        max_age=30 * 86400,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request, ctx),
        path="/apply",
    )


def clear_draft_cookie(response: Response) -> None:
    response.delete_cookie(DRAFT_COOKIE, path="/apply", httponly=True, samesite="strict")


def client_of(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (uvicorn sets it
    from X-Forwarded-For only for the proxies in GUARDPATH_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "unknown"


def page(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A public page with its forms' CSRF token (and the cookie that matches it)."""
    shared = {"csrf": csrf_token(request), "recruiters_contact": ctx.settings.recruiters_contact}
    response = render(templates, request, name, {**shared, **(context or {})}, status_code)
    set_csrf_cookie(request, response, ctx)
    return response

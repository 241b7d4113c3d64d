"""Logging in (password and TOTP code on one form) and out.

The login form is protected against cross-site posting by a double-submit token: a random value
in a short-lived cookie and in the form must match. Every refusal says the same thing.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from guardpath.services.limits import (
    LOGINS_PER_CLIENT,
    LOGINS_PER_USERNAME,
    TooMany,
    give_back,
    subject,
    take,
)
from guardpath.services.staff import LoginRefused, log_in, log_out, same_secret
from guardpath.web.deps import ContextDep
from guardpath.web.pages.common import client_of
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import (
    StaffDep,
    clear_session_cookie,
    cookie_secure,
    session_token,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "gp_login"
LOGIN_PATH = "/staff/login"


def _login_page(
    request: Request, error: str | None = None, status_code: int = 200, username: str = ""
) -> Response:
    """The form; after a refusal it keeps the username typed (never the password or code)."""
    token = secrets.token_urlsafe(32)
    context = {"form_token": token, "error": error, "username": username.strip()}
    response = page(request, "staff/login.html", context, status_code)
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=LOGIN_PATH,
        secure=cookie_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.get(LOGIN_PATH)
def login_form(request: Request, signed_out: bool = False) -> Response:
    return _login_page(request, "signed_out" if signed_out else None)


@router.post(LOGIN_PATH)
def login(
    request: Request,
    ctx: ContextDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    code: Annotated[str, Form(max_length=16)] = "",
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    if not same_secret(request.cookies.get(LOGIN_COOKIE, ""), csrf) or not csrf:
        return _login_page(request, "expired", 403, username)
    # Reserved before the password is hashed (and given back on success): per address, and
    # per username and address, so no one can lock an account's owner out (see limits.py).
    client = client_of(request)
    try:
        reserved = take(
            ctx,
            (LOGINS_PER_CLIENT, client),
            (LOGINS_PER_USERNAME, subject(username.strip().lower(), client)),
        )
    except TooMany as wait:
        refused = _login_page(request, "too_many", 429, username)
        refused.headers["Retry-After"] = str(wait.retry_after)
        return refused
    try:
        session = log_in(ctx, username, password, code, replacing=session_token(request))
    except LoginRefused:
        return _login_page(request, "refused", username=username)
    give_back(ctx, reserved, forget=(LOGINS_PER_USERNAME,))
    response = RedirectResponse("/staff", status_code=303)
    set_session_cookie(request, response, session.token)
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/staff/logout")
def logout(request: Request, ctx: ContextDep, staff: StaffDep, form: CheckedForm) -> Response:
    log_out(ctx, staff, session_token(request) or "")
    response = RedirectResponse(f"{LOGIN_PATH}?signed_out=1", status_code=303)
    clear_session_cookie(request, response)
    return response

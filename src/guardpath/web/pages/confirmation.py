""" "Application sent": the reference and the resume code, shown again for a short time.

Submitting redirects here (POST-redirect-GET), so the language switch and the browser's Back
and Reload never send the application again. The code travels in a sealed cookie that only
this browser holds (HttpOnly, SameSite=Strict), bound to its session cookie and readable for
15 minutes; "I have noted them" ends it at once. The server keeps nothing of it in clear.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import HTMLResponse, Response

from guardpath.bootstrap import Context
from guardpath.services import drafts
from guardpath.services.cases import Submitted
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.pages.common import CSRF_COOKIE, checked_form, page, secure_cookies

router = APIRouter(include_in_schema=False)

SENT_COOKIE = "gp_sent"
SENT_PATH = "/apply"


def sent_response(request: Request, ctx: Context, submitted: Submitted) -> Response:
    """The redirect to the confirmation, with the sealed note for this browser only."""
    response = RedirectResponse("/apply/sent", status_code=303)
    session = request.cookies.get(CSRF_COOKIE) or ""
    response.set_cookie(
        SENT_COOKIE,
        drafts.confirmation_token(ctx, submitted, session),
        max_age=int(drafts.CONFIRMATION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=secure_cookies(request, ctx),
        path=SENT_PATH,
    )
    return response


def confirmation_of(request: Request, ctx: Context) -> tuple[str, str] | None:
    session = request.cookies.get(CSRF_COOKIE) or ""
    return drafts.open_confirmation(ctx, request.cookies.get(SENT_COOKIE), session)


def _forget(response: Response) -> Response:
    response.delete_cookie(SENT_COOKIE, path=SENT_PATH, httponly=True, samesite="strict")
    return response


@router.get("/apply/sent", response_class=HTMLResponse)
def show_sent(request: Request, ctx: ContextDep, templates: TemplatesDep) -> Response:
    shown = confirmation_of(request, ctx)
    if shown is None:
        gone = page(request, ctx, templates, "public/apply_sent_gone.html")
        return _forget(gone) if SENT_COOKIE in request.cookies else gone
    reference, code = shown
    context = {"reference": reference, "code": code, "minutes": 15}
    return page(request, ctx, templates, "public/apply_submitted.html", context)


@router.post("/apply/sent/done", response_class=HTMLResponse, dependencies=[Depends(checked_form)])
def forget_sent() -> Response:
    return _forget(RedirectResponse("/status", status_code=303))

"""Public pages that need no login: home, the self-checks, the application and its status."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from guardpath.web.deps import TemplatesDep
from guardpath.web.pages import apply, checks, confirmation, interview, law_changes, status
from guardpath.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, templates: TemplatesDep) -> HTMLResponse:
    return render(templates, request, "home.html")


for part in (checks, interview, confirmation, apply, status, law_changes):
    router.include_router(part.router)

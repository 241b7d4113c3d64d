"""Jinja2 templates with gettext, dates and country names in the request's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from guardpath.web import i18n

TEMPLATES = Path(__file__).resolve().parent / "templates"


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    templates = Jinja2Templates(env=env)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    env.filters["long_date"] = i18n.long_date
    env.filters["country"] = i18n.country_name
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    return templates


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    language = i18n.current_language.get()
    values = {"lang": language, **(context or {})}
    return templates.TemplateResponse(request, name, values, status_code=status_code)

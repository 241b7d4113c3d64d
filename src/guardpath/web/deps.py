"""Request dependencies: the application context and the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from guardpath.bootstrap import Context


def get_context(request: Request) -> Context:
    context: Context = request.app.state.ctx
    return context


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


ContextDep = Annotated[Context, Depends(get_context)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]

"""The public page "What changed and when": every provision of the law that starts or ends, by
date, with its citations; the same list as `guardpath law changes`."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from guardpath.law.changes import changes
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.i18n import current_language, long_date
from guardpath.web.pages.explain import show_value
from guardpath.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/law/changes", response_class=HTMLResponse)
def law_changes(request: Request, ctx: ContextDep, templates: TemplatesDep) -> HTMLResponse:
    language = current_language.get()
    days: list[dict[str, Any]] = []
    for day, items in groupby(changes(ctx.legislation), key=lambda c: c.day):
        days.append(
            {
                "day": long_date(day),
                "iso": day.isoformat(),
                "changes": [c.as_json(language) for c in items],
            }
        )
    context = {"days": days, "show_value": show_value}
    return render(templates, request, "public/law_changes.html", context)

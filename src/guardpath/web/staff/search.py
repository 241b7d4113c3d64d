"""Search: by part of a name (either script, the birth date optional) or by passport number.

The search is a POST, so what was searched for never appears in a URL, an access log or the
browser's history.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from guardpath.law.dates import parse_date
from guardpath.services.search import NameTooShort, find_by_name, find_by_passport
from guardpath.web.deps import ContextDep
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import CaseWorker

router = APIRouter(include_in_schema=False)
PATH = "/staff/search"


@router.get(PATH)
def search_form(request: Request, staff: CaseWorker) -> Response:
    return page(request, "staff/search.html", {"by": "name"})


def _field(form: CheckedForm, name: str) -> str:
    value = form.get(name)
    return value.strip()[:200] if isinstance(value, str) else ""


@router.post(PATH)
def search(request: Request, ctx: ContextDep, staff: CaseWorker, form: CheckedForm) -> Response:
    by = "passport" if _field(form, "by") == "passport" else "name"
    context: dict[str, object] = {"by": by, "searched": True}
    if by == "passport":
        number = _field(form, "passport")
        if not number:
            return page(request, "staff/search.html", context | {"problem": "passport"}, 400)
        found = find_by_passport(ctx, staff.actor, number)
    else:
        name, born = _field(form, "name"), _field(form, "birth_date")
        context |= {"name": name, "birth_date": born}
        try:
            birth_date = parse_date(born) if born else None
        except ValueError:
            return page(request, "staff/search.html", context | {"problem": "birth_date"}, 400)
        try:
            found = find_by_name(ctx, staff.actor, name, birth_date)
        except NameTooShort:
            return page(request, "staff/search.html", context | {"problem": "name"}, 400)
    return page(
        request, "staff/search.html", context | {"rows": found.rows, "people": found.candidates}
    )

"""Screening reviews: the pairs `decide` sent to a person, side by side in Latin and Cyrillic,
and the vetting officer's decision on each (remembered, so the pair is not asked again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from guardpath.cases.model import Person, Role
from guardpath.cases.transitions import NotFound
from guardpath.screening.names import has_cyrillic
from guardpath.screening.score import WHY_ONE_SIDE
from guardpath.services.duplicates import record_review, review_pairs
from guardpath.services.staff import StaffSession
from guardpath.web.deps import ContextDep
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import require

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[StaffSession, Depends(require(frozenset({Role.VETTING_OFFICER, Role.ADMIN})))]


def _scripts(person: Person) -> dict[str, str]:
    """The person's name in Latin and in Cyrillic, as given (a script not given stays empty)."""
    latin = f"{person.given_names} {person.surname}"
    native = person.native_name or ""
    return {
        "latin": latin,
        "cyrillic": native if has_cyrillic(native) else "",
        "born": person.birth_date.isoformat(),
    }


def _why(text: str) -> tuple[str, str]:
    """A review reason as its message (translated by the page) and the names it lists."""
    prefix = f"{WHY_ONE_SIDE}: "
    return (WHY_ONE_SIDE, text.removeprefix(prefix)) if text.startswith(prefix) else (text, "")


def _path(case_id: str) -> str:
    return f"/staff/cases/{case_id}/screening"


@router.get("/staff/cases/{case_id}/screening")
def reviews(request: Request, case_id: str, ctx: ContextDep, staff: Reviewer) -> Response:
    try:
        pairs = review_pairs(ctx, staff.actor, case_id)
    except NotFound:
        return page(request, "staff/not_found.html", status_code=404)
    rows = [
        {
            "case_id": p.candidate.case_id,
            "reference": p.candidate.reference,
            "score": f"{p.candidate.score:.2f}",
            "why": [_why(w) for w in p.candidate.why],
            "reasons": [r.detail for r in p.candidate.reasons],
            "this": _scripts(p.this),
            "other": _scripts(p.other),
        }
        for p in pairs
    ]
    return page(request, "staff/screening.html", {"case_id": case_id, "rows": rows})


@router.post("/staff/cases/{case_id}/screening/{other_case_id}")
def decide_pair(
    case_id: str, other_case_id: str, ctx: ContextDep, staff: Reviewer, form: CheckedForm
) -> Response:
    answer = form.get("same_person")
    if answer not in ("yes", "no") or case_id == other_case_id:
        return Response("bad request", status_code=400, media_type="text/plain")
    try:
        record_review(ctx, staff.actor, case_id, other_case_id, same_person=answer == "yes")
    except NotFound:
        return Response("not found", status_code=404, media_type="text/plain")
    return RedirectResponse(_path(case_id), status_code=303)

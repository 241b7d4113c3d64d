"""A case page: the person, documents, the law's answer today, history, and the steps the role
may take now. Every open goes through services.cases.view_case, which logs the read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from guardpath import words
from guardpath.bootstrap import Context
from guardpath.cases.transitions import NotFound, NotPermitted
from guardpath.services.casework import open_case, read_document, where_case_is
from guardpath.services.staff import StaffSession
from guardpath.web import i18n
from guardpath.web.deps import ContextDep
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import CaseWorker, Forbidden

router = APIRouter(include_in_schema=False)
SAFE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def show_case(
    request: Request,
    ctx: Context,
    staff: StaffSession,
    case_id: str,
    problem: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        view = open_case(ctx, staff.actor, case_id, i18n.current_language.get())
    except NotPermitted:
        if problem is None:
            raise Forbidden from None
        # The step failed and the case has since left this role's work: say why, show no case.
        return page(request, "staff/refused.html", {"problem": problem}, status_code)
    except NotFound:
        return page(request, "staff/not_found.html", status_code=404)
    context = {"view": view, "case": view.case, "problem": problem}
    return page(request, "staff/case.html", context, status_code)


@router.get("/staff/cases/{case_id}")
def case_page(request: Request, case_id: str, ctx: ContextDep, staff: CaseWorker) -> Response:
    return show_case(request, ctx, staff, case_id)


@router.get("/staff/cases/{case_id}/done/{action}")
def step_done(
    request: Request, case_id: str, action: str, ctx: ContextDep, staff: CaseWorker
) -> Response:
    """A step's confirmation: what was done, in words, and where the case went."""
    if action not in words.DONE:
        return page(request, "staff/not_found.html", status_code=404)
    try:
        where = where_case_is(ctx, staff.actor, case_id)
    except NotFound:
        return page(request, "staff/not_found.html", status_code=404)
    return page(request, "staff/done.html", {"action": action, "where": where})


@router.get("/staff/cases/{case_id}/documents/{document_id}")
def document(case_id: str, document_id: str, ctx: ContextDep, staff: CaseWorker) -> Response:
    try:
        found = read_document(ctx, staff.actor, case_id, document_id)
    except NotPermitted:
        raise Forbidden from None
    except NotFound:
        return Response("not found", status_code=404, media_type="text/plain")
    media_type = found.media_type if found.media_type in SAFE_TYPES else "application/octet-stream"
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    name = f"{found.reference}-{found.kind}.{extension.get(media_type, 'bin')}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(found.content, media_type=media_type, headers=headers)

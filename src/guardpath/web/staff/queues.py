"""The console's front page: the queues of cases waiting for the signed-in role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from guardpath.services.search import list_queues
from guardpath.services.staff import CASE_ROLES
from guardpath.web.deps import ContextDep
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import StaffDep

router = APIRouter(include_in_schema=False)


@router.get("/staff")
def console(request: Request, ctx: ContextDep, staff: StaffDep) -> Response:
    queues = list_queues(ctx, staff.actor) if staff.role in CASE_ROLES else None
    return page(request, "staff/console.html", {"queues": queues})

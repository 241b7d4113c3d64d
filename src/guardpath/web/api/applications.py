"""Applications over the API: submit one, then follow it with its reference and resume code.

A wrong code, a missing code and an unknown reference all answer the same 404, and guesses
are throttled (429 with Retry-After), so the API tells no one which references exist. Each
client address may submit GUARDPATH_SUBMISSIONS_PER_HOUR applications an hour.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from guardpath.cases.model import State
from guardpath.services.applications import ApplicationIn
from guardpath.services.cases import submit_application
from guardpath.services.drafts import APPLICANT
from guardpath.services.limits import TooMany, submissions_limit
from guardpath.services.status import NoSuchApplication, view_application_status
from guardpath.web.api.limits import API_BODY_LIMIT, BoundedRoute
from guardpath.web.deps import ContextDep
from guardpath.web.errors import problems
from guardpath.web.pages.common import client_of


class NoEchoRoute(BoundedRoute):
    """422 answers name the field and what is wrong, and echo none of the input back: it is
    personal data, and may not even be encodable (a lone surrogate in a name)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return JSONResponse({"detail": problems(error)}, status_code=422)

        return route


class ApplicationCreated(BaseModel):
    reference: str = Field(description="the application's reference number, e.g. GP-7KQ2M9XH3A")
    resume_code: str = Field(
        description="the secret that opens the application's status; shown this once only"
    )
    status: State


class HistoryItem(BaseModel):
    at: datetime
    status: State


class ApplicationStatusOut(BaseModel):
    reference: str
    status: State
    submitted_on: date | None
    history: list[HistoryItem]


class Problem(BaseModel):
    detail: str


NOT_FOUND = "no application with this reference and resume code"
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
UNREADABLE: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a body that cannot be read (not UTF-8)"},
    413: {"model": Problem, "description": f"a body over {API_BODY_LIMIT:,} bytes"},
}

router = APIRouter(
    prefix="/api/v1/applications",
    tags=["applications"],
    route_class=NoEchoRoute,
    responses=UNREADABLE,
)


TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {"model": Problem, "description": "too many requests", "headers": RETRY_AFTER},
}


@router.post("", status_code=201, response_model=ApplicationCreated, responses=TOO_MANY)
def create_application(body: ApplicationIn, request: Request, ctx: ContextDep) -> Response:
    """Submit an application with both consents of Decree 84/2024; answers the reference and
    the resume code, which guardpath keeps only as a hash. Each client address may submit a
    few an hour (429 with Retry-After past that)."""
    limited = (submissions_limit(ctx), client_of(request))
    try:
        submitted = submit_application(ctx, APPLICANT, body, limited=limited)
    except TooMany as wait:
        return too_many_answer(wait)
    created = ApplicationCreated(
        reference=submitted.case.reference,
        resume_code=submitted.resume_code,
        status=submitted.case.state,
    )
    # The bytes FastAPI would write for the model, written here: for a plain `def` route it
    # would validate the model again and serialise it in a second trip to the thread pool.
    return Response(created.model_dump_json(), status_code=201, media_type="application/json")


@router.get(
    "/{reference}",
    response_model=ApplicationStatusOut,
    responses={
        404: {"model": Problem, "description": "no such reference, or a wrong or missing code"},
        **TOO_MANY,
    },
)
def read_application(
    reference: Annotated[str, Path(max_length=64)],
    request: Request,
    ctx: ContextDep,
    x_resume_code: Annotated[str | None, Header()] = None,
) -> ApplicationStatusOut | JSONResponse:
    """The application's status and history, for the holder of its resume code
    (header X-Resume-Code)."""
    try:
        found = view_application_status(ctx, reference, x_resume_code, client_of(request))
    except NoSuchApplication:
        return JSONResponse({"detail": NOT_FOUND}, status_code=404)
    except TooMany as wait:
        return too_many_answer(wait)
    return ApplicationStatusOut(
        reference=found.reference,
        status=found.state,
        submitted_on=found.submitted_on,
        history=[HistoryItem(at=step.at, status=step.state) for step in found.history],
    )


def too_many_answer(wait: TooMany) -> JSONResponse:
    return JSONResponse(
        {"detail": "too many requests; try again later"},
        status_code=429,
        headers={"Retry-After": str(wait.retry_after)},
    )

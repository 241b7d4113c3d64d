"""Every state-changing staff form carries the session's CSRF token in a hidden field `csrf`;
a missing or wrong token is refused (403) before anything else happens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from guardpath.services.staff import same_secret
from guardpath.web.staff.session import StaffDep

FIELD = "csrf"


class CsrfRejected(Exception):
    """A form without the session's token: forged, or from an ended session."""


async def checked_form(request: Request, staff: StaffDep) -> FormData:
    form = await request.form()
    given = form.get(FIELD)
    if not same_secret(staff.csrf, given if isinstance(given, str) else None):
        raise CsrfRejected
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]

"""Who may see the statistics: a dependency that admits some staff roles and refuses the rest.

`require_role(*roles)` reads the signed-in staff member from `request.state.staff_user`, any
object with a `.role` (a `Role`, or its value), or None. The staff console's
`SignIn` (guardpath.web.staff.session) puts the `StaffSession` there on every /staff
path before the route runs. `staff_user` below is the one place that reads it, and a dependency
of its own, so tests can stand in for a login with `app.dependency_overrides[staff_user]`.

Refusals: no one signed in gets a redirect to the staff login page when the request is for a
page (Accept: text/html), else 403; a signed-in member of another role gets 403. The refusal
says nothing about what the page holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from guardpath.cases.model import Role

LOGIN_PATH = "/staff/login"


def staff_user(request: Request) -> Any | None:
    """The signed-in staff member, or None."""
    return getattr(request.state, "staff_user", None)


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def require_role(*roles: Role) -> Callable[..., Any]:
    """A dependency admitting staff whose role is one of `roles`; it returns that member."""
    admitted = frozenset(Role(role).value for role in roles)

    def dependency(request: Request, user: Annotated[Any, Depends(staff_user)]) -> Any:
        if user is None:
            if _wants_html(request):
                raise HTTPException(303, "Log in first", headers={"Location": LOGIN_PATH})
            raise HTTPException(403, "Not for your role")
        role = getattr(user, "role", None)
        if role is None or str(getattr(role, "value", role)) not in admitted:
            raise HTTPException(403, "Not for your role")
        return user

    return dependency

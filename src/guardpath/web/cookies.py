"""The one cookie policy: which cookies go with `Secure`, for the staff's and the public's alike.

`GUARDPATH_COOKIE_SECURE` (settings' `cookie_secure`), when set, decides for every cookie: the
staff session, the CSRF token, the draft, the confirmation and the language. Unset, a cookie is
Secure in production and over https; the staff session's is also Secure on plain http to any
address but this machine's, where a developer runs guardpath without TLS.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def cookie_secure(request: HTTPConnection, *, staff: bool = False) -> bool:
    """Whether a cookie set in answer to `request` carries `Secure`."""
    settings = request.app.state.ctx.settings
    configured = getattr(settings, "cookie_secure", None)
    if isinstance(configured, bool):
        return configured
    if settings.production or request.url.scheme == "https":
        return True
    return staff and request.url.hostname not in LOCAL_HOSTS

"""Ukrainian and English from gettext catalogues (Babel), chosen per request.

The catalogues are read by `guardpath.catalogues` (the `.po` files under
`locales/<lang>/LC_MESSAGES/`, shared with the CLI and the papers). The language comes from
`?lang=`, then the `lang` cookie, then the browser's Accept-Language.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from guardpath.catalogues import DEFAULT as DEFAULT
from guardpath.catalogues import translations as translations
from guardpath.law.countries import country_name as named_country
from guardpath.web.cookies import cookie_secure

LANGUAGES = ("en", "uk")
current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT)


def gettext_(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return _from_header(accept_language) if accept_language else DEFAULT


@lru_cache(maxsize=512)
def _from_header(accept_language: str) -> str:
    """The language an Accept-Language header prefers; browsers send a handful of headers."""
    preferred = [
        part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")
    ]
    chosen = Locale.negotiate([p for p in preferred if p], list(LANGUAGES), sep="_")
    return DEFAULT if chosen is None else str(chosen.language)


class Language:
    """Chooses each request's language (`?lang=`, the cookie, Accept-Language), sets it for
    the request's templates and messages, says it in Content-Language and, when `?lang=` chose
    it, remembers it in the cookie. Plain ASGI: it wraps `send` and nothing else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        chosen = negotiate(
            asked, request.cookies.get("lang"), request.headers.get("accept-language")
        )

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if asked in LANGUAGES:
                    remembered = Response()
                    remembered.set_cookie(
                        "lang",
                        chosen,
                        max_age=365 * 86400,
                        samesite="lax",
                        secure=cookie_secure(request),
                    )
                    headers.append("set-cookie", remembered.headers["set-cookie"])
                headers.setdefault("Content-Language", chosen)
            await send(message)

        token = current_language.set(chosen)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_language.reset(token)


def long_date(value: date | None, language: str | None = None) -> str:
    if value is None:
        return ""
    return format_date(value, format="long", locale=language or current_language.get())


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in the language (pycountry's own gettext catalogues)."""
    return named_country(code, language or current_language.get())

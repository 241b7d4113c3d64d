"""One cookie policy: GUARDPATH_COOKIE_SECURE decides `Secure` for the public cookies as for the
staff's; unset, the public cookies are Secure over https and in production."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.web.app import create_app

Csrf = Callable[[str], str]


def cookies_of(ctx: Context, secure: bool | None, base_url: str, csrf: Csrf) -> list[str]:
    """The Set-Cookie headers of the language, CSRF and draft cookies."""
    settings = ctx.settings.model_copy(update={"cookie_secure": secure})
    with TestClient(create_app(ctx=replace(ctx, settings=settings)), base_url=base_url) as client:
        form = client.get("/apply", params={"lang": "en"})
        token = csrf(form.text)
        # As a browser would send it back over https, whatever the test client's scheme.
        started = client.post(
            "/apply/start",
            data={"csrf": token},
            headers={"cookie": f"gp_csrf={token}"},
            follow_redirects=False,
        )
    return form.headers.get_list("set-cookie") + started.headers.get_list("set-cookie")


def named(headers: list[str], name: str) -> str:
    return next(header for header in headers if header.startswith(f"{name}="))


def test_the_setting_makes_every_public_cookie_secure_even_on_plain_http(
    ctx: Context, csrf: Csrf
) -> None:
    headers = cookies_of(ctx, True, "http://testserver", csrf)

    for name in ("lang", "gp_csrf", "gp_draft"):
        assert "; secure" in named(headers, name).lower(), name


def test_the_setting_can_send_them_without_secure_over_https(ctx: Context, csrf: Csrf) -> None:
    headers = cookies_of(ctx, False, "https://apply.example.org", csrf)

    for name in ("lang", "gp_csrf", "gp_draft"):
        assert "secure" not in named(headers, name).lower(), name


def test_unset_the_public_cookies_are_secure_over_https_only(ctx: Context, csrf: Csrf) -> None:
    over_https = cookies_of(ctx, None, "https://apply.example.org", csrf)
    plain = cookies_of(ctx, None, "http://testserver", csrf)

    assert "; secure" in named(over_https, "gp_draft").lower()
    assert "secure" not in named(plain, "gp_draft").lower()

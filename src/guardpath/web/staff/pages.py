"""Staff pages: the shared template context (who is signed in, the CSRF token, words)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse

from guardpath import words
from guardpath.law.dates import parse_date
from guardpath.law.model import Legislation
from guardpath.web import i18n
from guardpath.web.deps import get_templates
from guardpath.web.templating import render

KYIV = ZoneInfo("Europe/Kyiv")


def when(moment: datetime | None) -> str:
    """A moment as Kyiv time, saying so, e.g. "1 March 2025, 11:00 Kyiv time"."""
    if moment is None:
        return ""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(KYIV)
    clock = i18n.gettext_("%(time)s Kyiv time") % {"time": f"{local:%H:%M}"}
    return f"{i18n.long_date(local.date())}, {clock}"


def fact_value(name: str, value: Any) -> str:
    """A fact's value in words: countries, dates and codes in the page's language."""
    _ = i18n.gettext_
    if value is None:
        return _("unknown")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "citizenships":
        return ", ".join(i18n.country_name(code) for code in value) or _("Stateless")
    if name == "service_periods":
        return "; ".join(_period(p) for p in value) or "—"
    if name in words.VALUES:
        return _(words.VALUES[name].get(value, str(value)))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return i18n.long_date(parse_date(value))
        except ValueError:
            return value
    return str(value)


def _period(period: dict[str, Any]) -> str:
    start = i18n.long_date(parse_date(period["start"]))
    end = i18n.long_date(parse_date(period["end"])) if period.get("end") else "…"
    formation = i18n.gettext_(words.FORMATIONS.get(period["formation"], period["formation"]))
    return f"{formation}: {start} – {end}"


def law_labels(legislation: Legislation) -> Callable[[str], str]:
    """A citizenship route's or an obligation's label in the page's language."""

    def label(name: str) -> str:
        language = i18n.current_language.get()
        found = legislation.rules.get(f"citizenship.routes.{name}") or legislation.obligations.get(
            name
        )
        return found.label.get(language) if found is not None else name

    return label


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    staff = getattr(request.state, "staff", None)
    values = {
        "staff": staff,
        "csrf": staff.csrf if staff else None,
        "W": words,
        "when": when,
        "fact_value": fact_value,
        "law_label": law_labels(request.app.state.ctx.legislation),
        **(context or {}),
    }
    return render(get_templates(request), request, name, values, status_code)

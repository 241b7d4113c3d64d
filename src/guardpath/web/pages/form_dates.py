"""A typed date the calendar does not have, said precisely: "February 2023 has 28 days"."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from guardpath.law.dates import days_in_month
from guardpath.web.i18n import current_language
from guardpath.web.i18n import gettext_ as _


def impossible_date(raw: str) -> str | None:
    """What is wrong with a date of the right shape that the calendar does not have
    ("February 2023 has 28 days"), in the page's language; None for any other text."""
    parts = raw.split("-")
    if len(raw) != 10 or len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    year, month, day = (int(part) for part in parts)
    if not 1 <= month <= 12:
        message = _(
            "%(typed)s has no month %(month)s: enter the date as YYYY-MM-DD, the month 01 to 12."
        )
        return message % {"typed": raw, "month": parts[1]}
    if year < 1 or 1 <= day <= days_in_month(year, month):
        return None
    last = days_in_month(year, month)
    words = format_date(date(year, month, 1), "LLLL yyyy", locale=current_language.get())
    return _(
        "%(typed)s is not in the calendar: %(month)s has %(days)s days. "
        "Enter the date as YYYY-MM-DD."
    ) % {
        "typed": raw,
        "month": words,
        "days": last,
    }

"""Column types the schema shares: one place that knows how each database keeps an instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, written and read back as an aware datetime in UTC.

    SQLite keeps no offset and hands datetimes back naive; PostgreSQL hands them back in the
    session's zone. Every instant guardpath writes is UTC, so a naive value read back is UTC,
    and whatever comes back is given in UTC: services never fix zones themselves. A naive value
    written is taken as UTC too, on both databases alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return _in_utc(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # SQLite through raw text: the stored string
            value = datetime.fromisoformat(str(value))
        return _in_utc(value)


def _in_utc(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC)

"""Logging for the server: one readable line per event, or one JSON object per line
(`GUARDPATH_LOG_FORMAT=json`) for a log shipper.

A request's line carries its route template (never the path, which may hold a reference),
method, status, duration and request id. Tracebacks keep their frames and the exception's type
but not its message, which may quote personal data.
"""

from __future__ import annotations

import json
import logging
import logging.config
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeAlias

from guardpath.settings import Settings

ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]
REQUEST_FIELDS = ("request_id", "method", "route", "status", "duration_ms")
"""What a request's log record carries besides its message (see web/requests.py)."""
WITHHELD = "Traceback (the exception's message is withheld: it may quote personal data)"


def frames_only(info: ExcInfo | tuple[None, None, None]) -> str:
    kind, _error, trace = info
    if kind is None:
        return ""
    lines = [WITHHELD]
    for frame in traceback.extract_tb(trace):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line}")
    lines.append(f"{kind.__module__}.{kind.__qualname__}")
    return "\n".join(lines)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        return frames_only(ei)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": record.process,  # which worker of `serve --workers N`
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["error"] = frames_only(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(settings: Settings) -> dict[str, Any]:
    """The logging configuration (for `logging.config.dictConfig`, and for uvicorn, which applies
    it in every worker process): the root logger writes to standard error in the chosen format,
    and uvicorn's loggers pass their records up to it instead of keeping handlers of their own."""
    formatter = JsonFormatter if settings.log_format == "json" else TextFormatter
    handed_up = {"handlers": [], "propagate": True, "level": "NOTSET"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"guardpath": {"()": f"{__name__}.{formatter.__qualname__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "guardpath",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": settings.log_level.upper()},
        "loggers": {
            "uvicorn": handed_up,
            "uvicorn.error": handed_up,
            "uvicorn.access": handed_up,
            # Alembic says which database kind it found each time /readyz reads the revision.
            "alembic": {"level": "WARNING"},
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(log_config(settings))

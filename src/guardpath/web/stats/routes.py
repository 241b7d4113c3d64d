"""/staff/statistics (charts and tables) and /staff/statistics.csv, for analysts and admins."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse, Response

from guardpath import words
from guardpath.cases.model import Actor, Role
from guardpath.law.dates import parse_date
from guardpath.services.statistics import (
    FORMATIONS,
    Dimension,
    Filters,
    count_cases,
    counted_through,
    log_statistics_read,
    summarise_cases,
)
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.stats import view
from guardpath.web.stats.access import require_role, staff_user
from guardpath.web.templating import render

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_role(Role.ANALYST, Role.ADMIN))]
)
Text = Annotated[str, Query(max_length=32)]
StaffUser = Annotated[Any, Depends(staff_user)]


def _actor(user: Any) -> Actor:
    """The signed-in analyst or admin (the router admits no one else)."""
    name = getattr(user, "user_id", None) or getattr(user, "username", None) or "unknown"
    return Actor(str(name), Role(user.role))


@dataclass(frozen=True)
class Asked:
    """The filter form as sent: what it asked for, and what was wrong with it."""

    formation: str
    start: str
    end: str
    filters: Filters | None
    errors: tuple[str, ...]


def _month(value: str, errors: list[str], message: str) -> date | None:
    """A month as YYYY-MM (what a month field sends), as its first day."""
    if not value:
        return None
    try:
        if len(value) != 7:
            raise ValueError(value)
        return parse_date(value + "-01")
    except ValueError:
        errors.append(message)
        return None


def read_filters(formation: str, start: str, end: str) -> Asked:
    """The form's filters: whole months only (see guardpath.services.statistics)."""
    errors: list[str] = []
    if formation and formation not in FORMATIONS:
        errors.append(view._("Choose a formation from the list."))
    first = _month(start, errors, view._("The first month is not a month (YYYY-MM)."))
    last = _month(end, errors, view._("The last month is not a month (YYYY-MM)."))
    if first and last and first > last:
        errors.append(view._("The first month comes after the last."))
    filters = None if errors else Filters.months(formation or None, first, last)
    return Asked(formation, start, end, filters, tuple(errors))


@router.get("/staff/statistics", response_class=HTMLResponse)
def statistics_page(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    user: StaffUser,
    formation: Text = "",
    start: Text = "",
    end: Text = "",
) -> HTMLResponse:
    asked = read_filters(formation, start, end)
    sections: list[view.Section] = []
    today = ctx.clock().date()
    if asked.filters is not None:
        summary = summarise_cases(ctx.case_counts(), asked.filters, today)
        log_statistics_read(ctx, _actor(user), "view_statistics", asked.filters)
        sections = [view.section(b, asked.filters) for b in summary.breakdowns()]
    context = {
        "asked": asked,
        "sections": sections,
        "formations": words.FORMATIONS,
        "through": view.month_name(counted_through(today)),
    }
    return render(
        templates, request, "stats/statistics.html", context, 400 if asked.errors else 200
    )


def _cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@router.get("/staff/statistics.csv")
def statistics_csv(
    ctx: ContextDep,
    dimension: Dimension,
    user: StaffUser,
    formation: Text = "",
    start: Text = "",
    end: Text = "",
) -> Response:
    asked = read_filters(formation, start, end)
    if asked.filters is None:
        return Response(" ".join(asked.errors), 400, media_type="text/plain")
    filters = asked.filters
    breakdown = count_cases(ctx.case_counts(), dimension, filters, ctx.clock().date())
    log_statistics_read(ctx, _actor(user), "export_statistics", filters, dimension)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([view._("Code"), view._(view.KEY_HEADINGS[dimension]), view._("Cases")])
    for row in view.rows(breakdown):
        writer.writerow([row.key, _cell(row.label), row.shown])
    writer.writerow(["total", view._("Total"), breakdown.total.shown])
    # With a byte order mark, so that a spreadsheet reads Ukrainian names as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_name(dimension, filters)}"'},
    )


def file_name(dimension: Dimension, filters: Filters) -> str:
    """E.g. guardpath-cases-by-citizenship-ngu-2024-01-to-2024-12.csv"""
    parts = ["guardpath-cases-by", dimension.value, filters.formation or ""]
    if filters.start or filters.end:
        parts += [
            f"{filters.start:%Y-%m}" if filters.start else "",
            "to",
            f"{filters.end:%Y-%m}" if filters.end else "",
        ]
    return "-".join(part for part in parts if part) + ".csv"

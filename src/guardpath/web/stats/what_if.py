"""/staff/what-if: an analyst or legal officer uploads a draft amendment, sees it validated,
and sees its impact on the live cases and on a demo population; /staff/what-if.csv gives the
aggregates. Counts only, suppressed as the statistics are; every run over the cases is audited
(guardpath.services.what_if)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import HTMLResponse, Response

from guardpath.cases.model import Role
from guardpath.law.compiled import QUESTIONS
from guardpath.law.dates import parse_date
from guardpath.law.draft import Draft, DraftError, parse_draft
from guardpath.services.staff import StaffSession
from guardpath.services.what_if import impact_on_cases, impact_on_demo
from guardpath.web.deps import ContextDep
from guardpath.web.staff.csrf import CheckedForm
from guardpath.web.staff.pages import page
from guardpath.web.staff.session import require
from guardpath.web.stats import what_if_view as view

PATH = "/staff/what-if"
MAX_DRAFT_BYTES = 256 * 1024
MAX_PEOPLE = 200_000
DEFAULT_PEOPLE = 10_000
Analyst = Depends(require(frozenset({Role.ANALYST, Role.ADMIN})))
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asked:
    """The form as sent, and what was wrong with it."""

    draft_text: str
    draft_name: str
    question: str
    on: str
    people: str
    seed: str
    errors: tuple[str, ...] = ()

    def day(self) -> date:
        return parse_date(self.on)


def _text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else default


async def read_form(form: FormData) -> Asked:
    errors: list[str] = []
    upload = form.get("draft_file")
    text, name = _text(form, "draft_text"), _text(form, "draft_name", "draft.yaml")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_DRAFT_BYTES + 1)
        name = upload.filename.rsplit("/", 1)[-1]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            errors.append(view._("The draft is not a UTF-8 text file."))
    if len(text.encode()) > MAX_DRAFT_BYTES:
        errors.append(view._("The draft is too large (256 KiB at most)."))
    if not text:
        errors.append(view._("Upload a draft, or paste it."))
    asked = Asked(
        text,
        _text(form, "draft_name", name)
        if not upload or not getattr(upload, "filename", "")
        else name,
        _text(form, "question", "enlistment"),
        _text(form, "on", date.today().isoformat()),
        _text(form, "people", str(DEFAULT_PEOPLE)),
        _text(form, "seed", "0"),
    )
    if asked.question not in QUESTIONS:
        errors.append(view._("Choose a question from the list."))
    try:
        asked.day()
    except ValueError:
        errors.append(view._("The date is not a date (YYYY-MM-DD)."))
    if not asked.people.isdigit() or not 0 < int(asked.people) <= MAX_PEOPLE:
        errors.append(view._("The demo population is a number of people from 1 to 200,000."))
    if not asked.seed.isdigit():
        errors.append(view._("The seed is a whole number."))
    return Asked(**{**asked.__dict__, "errors": tuple(errors)})


def _draft(request: Request, asked: Asked) -> Draft:
    return parse_draft(
        asked.draft_text.encode(), asked.draft_name, request.app.state.ctx.legislation
    )


def _impacts(ctx: Any, staff: StaffSession, draft: Draft, asked: Asked) -> list[view.Result]:
    day = asked.day()
    cases = impact_on_cases(ctx, staff.actor, draft, asked.question, day)
    demo = impact_on_demo(draft, asked.question, day, int(asked.people), int(asked.seed))
    return [view.result("cases", cases), view.result("demo", demo)]


BLANK = Asked("", "draft.yaml", "enlistment", "", str(DEFAULT_PEOPLE), "0")


@router.get(PATH, response_class=HTMLResponse, dependencies=[Analyst])
def what_if_page(request: Request) -> HTMLResponse:
    asked = Asked(**{**BLANK.__dict__, "on": date.today().isoformat()})
    return page(request, "staff/what_if.html", {"asked": asked, "questions": view.QUESTIONS})


@router.post(PATH, response_class=HTMLResponse)
async def what_if_run(
    request: Request,
    ctx: ContextDep,
    form: CheckedForm,
    staff: StaffSession = Analyst,
) -> HTMLResponse:
    asked = await read_form(form)
    context: dict[str, Any] = {"asked": asked, "questions": view.QUESTIONS}
    if asked.errors:
        return page(request, "staff/what_if.html", context, 400)
    try:
        draft = _draft(request, asked)
    except DraftError as error:
        context["draft_error"] = str(error)
        return page(request, "staff/what_if.html", context, 400)
    context["draft"] = draft
    context["results"] = _impacts(ctx, staff, draft, asked)
    return page(request, "staff/what_if.html", context)


def _cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@router.post(f"{PATH}.csv")
async def what_if_csv(
    request: Request,
    ctx: ContextDep,
    form: CheckedForm,
    staff: StaffSession = Analyst,
) -> Response:
    asked = await read_form(form)
    if asked.errors:
        return Response(" ".join(asked.errors), 400, media_type="text/plain")
    try:
        draft = _draft(request, asked)
    except DraftError as error:
        return Response(str(error), 400, media_type="text/plain")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [view._("Population"), view._("Table"), view._("Code"), view._("Name"), view._("People")]
    )
    for result in _impacts(ctx, staff, draft, asked):
        for table, key, label, shown in view.csv_rows(result):
            writer.writerow([result.population, table, _cell(key), _cell(label), shown])
    name = f"guardpath-what-if-{draft.version}-{asked.question}-{asked.on}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

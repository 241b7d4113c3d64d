"""The self-checks' full forms ("answer all at once"): "can I serve?" and "can I become a
citizen?". Rendered on POST, so no fact of the person is kept on the server or put into an
address. The guided interview, one question per page, is in interview.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.responses import HTMLResponse

from guardpath.bootstrap import Context
from guardpath.law.facts import FactError, parse_facts
from guardpath.services import checks
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.i18n import current_language
from guardpath.web.pages import explain, forms, interview
from guardpath.web.pages.check_models import (
    CitizenshipForm,
    EnlistmentForm,
    citizenship_answers,
    enlistment_answers,
)
from guardpath.web.pages.common import CSRF_CHECKED, page

router = APIRouter(include_in_schema=False)

CITIZENSHIP_ANCHORS = {"service_periods": "f-period_0", "citizenships": "f-citizenships"}


def _page(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    return page(request, ctx, templates, name, {**forms.form_context(), **context}, status_code)


def _result(
    ctx: Context, question: str, data: dict[str, Any], on: date, anchors: dict[str, str]
) -> dict[str, Any]:
    facts = parse_facts(data)
    today = ctx.clock().date()
    checked = checks.check(ctx.legislation, question, facts, on, current_language.get())
    result = checked.answer
    periods = explain.describe_periods(checked.periods, facts, ctx.legislation, today)
    return {
        "answer": result,
        "headline": explain.headline(question, result.outcome),
        "missing": explain.missing_facts(result.missing, anchors),
        "open_questions": explain.open_questions(result.open_questions, ctx.legislation),
        "periods": periods,
        "picture": explain.timeline_picture(periods, today),
        "outcome_words": explain.outcome_words(),
        **explain.reasons_context(ctx.legislation),
        "route_label": explain.route_label(ctx.legislation, result.route),
    }


Typed = TypeVar("Typed", bound=BaseModel)


def _checked(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    typed: Typed,
    name: str,
    question: str,
    read: Callable[[Typed, date], tuple[forms.Form, date]],
    anchors: dict[str, str],
) -> HTMLResponse:
    parsed, on = read(typed, ctx.clock().date())
    if parsed.valid:
        try:
            found = _result(ctx, question, parsed.data, on, anchors)
        except FactError as error:
            parsed.errors[error.field.split("[")[0]] = error.message
        else:
            response = _page(request, ctx, templates, name, {"form": parsed, **found})
            response.headers["Cache-Control"] = "no-store"  # the page repeats the person's facts
            return response
    return _page(request, ctx, templates, name, {"form": parsed}, 422)


@router.get("/check", response_class=HTMLResponse)
def enlistment_interview(
    request: Request, ctx: ContextDep, templates: TemplatesDep
) -> HTMLResponse:
    return interview.start_page(request, ctx, templates, "enlistment")


@router.get("/check/citizenship", response_class=HTMLResponse)
def citizenship_interview(
    request: Request, ctx: ContextDep, templates: TemplatesDep
) -> HTMLResponse:
    return interview.start_page(request, ctx, templates, "citizenship")


@router.get("/check/all", response_class=HTMLResponse)
def enlistment_check(request: Request, ctx: ContextDep, templates: TemplatesDep) -> HTMLResponse:
    defaults = forms.Form(values=forms.enlistment_defaults(ctx.clock().date()))
    return _page(request, ctx, templates, "public/check.html", {"form": defaults})


@router.post("/check", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
@router.post("/check/all", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
def enlistment_answer(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[EnlistmentForm, Form()],
) -> HTMLResponse:
    return _checked(
        request, ctx, templates, typed, "public/check.html", "enlistment", enlistment_answers, {}
    )


@router.get("/check/citizenship/all", response_class=HTMLResponse)
def citizenship_check(request: Request, ctx: ContextDep, templates: TemplatesDep) -> HTMLResponse:
    defaults = forms.Form(values=forms.citizenship_defaults(ctx.clock().date()))
    return _page(request, ctx, templates, "public/citizenship.html", {"form": defaults})


@router.post("/check/citizenship", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
@router.post("/check/citizenship/all", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
def citizenship_answer(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[CitizenshipForm, Form()],
) -> HTMLResponse:
    return _checked(
        request,
        ctx,
        templates,
        typed,
        "public/citizenship.html",
        "citizenship",
        citizenship_answers,
        CITIZENSHIP_ANCHORS,
    )

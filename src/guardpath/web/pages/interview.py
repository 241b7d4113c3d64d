"""The guided self-checks: one question per page, the next one chosen from what the law still
needs, until the answer is settled.

Nothing is kept on the server and nothing goes into an address: the answers so far travel in
the page's form (POST), so Back, "Change" and the language switch are small forms too and work
without JavaScript.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from guardpath.bootstrap import Context
from guardpath.law.dates import parse_date
from guardpath.law.facts import BOOL_FACTS, ENUM_FACTS, FACT_NAMES, FactError, parse_facts
from guardpath.services import checks
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.i18n import current_language
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages import explain, forms
from guardpath.web.pages.check_models import InterviewForm, read_answers
from guardpath.web.pages.common import CSRF_CHECKED, page

router = APIRouter(include_in_schema=False)

PATHS = {"enlistment": "/check", "citizenship": "/check/citizenship"}
OPTIONAL = frozenset({"stay_valid_until"})
"""Date questions a person may not know the answer to."""


def question_texts() -> dict[str, str]:
    """Each fact as the interview asks it."""
    return {
        "birth_date": _("What is your date of birth?"),
        "sex": _("What is your sex?"),
        "citizenships": _("Which countries are you a citizen of?"),
        "stay_basis": _("On what basis do you stay in Ukraine?"),
        "stay_valid_until": _("Until when is your stay in Ukraine lawful?"),
        "previously_convicted": _("Have you ever been convicted of a crime?"),
        "prior_military_service": _("Have you served in an army before?"),
        "formation": _("Where do you want to serve?"),
        "basis": _("On what basis do you want to serve?"),
        "rank_group": _("In which rank group would you serve?"),
        "female_post_vacant": _("Is a post that servicewomen may fill vacant where you apply?"),
        "service_periods": _("When have you served in Ukraine's defence forces?"),
        "state_award": _("Have you been awarded a state award of Ukraine?"),
    }


@dataclass
class State:
    """The answers so far, as they travel in the page's hidden fields."""

    facts: dict[str, Any] = field(default_factory=dict)
    declined: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    on: date = date(2014, 1, 1)

    def hidden(self) -> dict[str, str]:
        return {
            "facts": json.dumps(self.facts, sort_keys=True, ensure_ascii=False),
            "declined": json.dumps(self.declined),
            "asked": json.dumps(self.asked),
            "on": self.on.isoformat(),
        }

    def forget(self, fact: str) -> None:
        self.facts.pop(fact, None)
        self.declined = [name for name in self.declined if name != fact]
        self.asked = [name for name in self.asked if name != fact]


def _state(typed: InterviewForm, today: date) -> State:
    """The state the form carries; anything unreadable starts the interview afresh."""
    try:
        facts = json.loads(typed.facts or "{}")
        declined = json.loads(typed.declined or "[]")
        asked = json.loads(typed.asked or "[]")
        parse_facts(facts)
        on = parse_date(typed.on or today.isoformat())
        names = set(FACT_NAMES)
        if not (set(declined) | set(asked)) <= names or not isinstance(facts, dict):
            raise ValueError("unknown fact")
    except (ValueError, TypeError, FactError):
        return State(on=today)
    return State(facts, list(declined), list(asked), on)


def _values_of(fact: str, value: Any) -> dict[str, Any]:
    """A known fact as a form's typed values, to show the question again with its answer."""
    if value is None:
        return {}
    if fact in BOOL_FACTS:
        return {fact: "yes" if value else "no"}
    if fact == "citizenships":
        return {"citizenship": list(value), "stateless": "" if value else "yes"}
    if fact == "service_periods":
        values: dict[str, Any] = {}
        for index, period in enumerate(value[: forms.MAX_PERIODS]):
            for part in forms.PERIOD_PARTS:
                values[f"period_{index}_{part}"] = period.get(part) or ""
        return values
    return {fact: value}


def _parse(fact: str, typed: InterviewForm) -> tuple[forms.Form, Any]:
    """The one answer of a question page: (the form with values and errors, the fact or None
    for "I don't know"). The countries must be given, and a date unless it may be unknown."""
    must = fact == "citizenships" or (_kind(fact) == "date" and fact not in OPTIONAL)
    out = read_answers(typed, (fact,), required={fact} if must else set())
    return out, out.data.get(fact)


def _question_page(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    question: str,
    state: State,
    fact: str,
    typed: forms.Form | None = None,
) -> HTMLResponse:
    form = typed or forms.Form(values=_values_of(fact, state.facts.get(fact)))
    if typed is None and fact in state.declined:
        form.values[fact] = ""
    remaining = _remaining(ctx, question, state)
    context = {
        **_common(question, state),
        "fact": fact,
        "form": form,
        "number": len(state.asked) + 1,
        "at_most": len(state.asked) + 1 + remaining,
        "ask": question_texts()[fact],
        "kind": _kind(fact),
        "optional": fact in OPTIONAL,
    }
    status = 422 if form.errors else 200
    return _render(request, ctx, templates, "public/interview_question.html", context, status)


def _remaining(ctx: Context, question: str, state: State) -> int:
    result = checks.check(ctx.legislation, question, parse_facts(state.facts), state.on)
    return max(0, len(checks.askable(ctx.legislation, result.answer.missing, state.declined)) - 1)


def _kind(fact: str) -> str:
    if fact in ENUM_FACTS or fact in BOOL_FACTS:
        return "choice"
    if fact in ("citizenships", "service_periods"):
        return fact
    return "date"


def _common(question: str, state: State) -> dict[str, Any]:
    return {
        **forms.form_context(),
        "question": question,
        "path": PATHS[question],
        "state": state.hidden(),
        "asked": state.asked,
    }


def _render(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    # The language switch posts the same answers back to this page, in the other language.
    fields = {**context["state"], "go": context.get("switch_go", "stay")}
    if "fact" in context:
        fields["current"] = context["fact"]
    switch = {"action": f"{context['path']}/next", "fields": fields}
    response = page(request, ctx, templates, name, {**context, "switch": switch}, status_code)
    response.headers["Cache-Control"] = "no-store"  # the page carries the person's answers
    return response


def _answer_page(
    request: Request, ctx: Context, templates: Jinja2Templates, question: str, state: State
) -> HTMLResponse:
    facts = parse_facts(state.facts)
    today = ctx.clock().date()
    checked = checks.check(ctx.legislation, question, facts, state.on, current_language.get())
    result = checked.answer
    periods = explain.describe_periods(checked.periods, facts, ctx.legislation, today, plain=True)
    pending = set(result.pending)
    context = {
        **_common(question, state),
        "answer": result,
        "verdict": checked.verdict,
        "headline": explain.plain_headline(question, checked.verdict),
        "missing": explain.missing_facts([f for f in result.missing if f not in pending], {}),
        "pending": explain.missing_facts(result.pending, {}),
        "open_questions": explain.open_questions(result.open_questions, ctx.legislation),
        "periods": periods,
        "picture": explain.timeline_picture(periods, today, plain=True),
        "outcome_words": explain.plain_outcome_words(),
        "verdict_words": explain.verdict_words(),
        "route_label": explain.route_label(ctx.legislation, result.route),
        "full_form": checks.FULL_FORM[question],
        **explain.reasons_context(ctx.legislation),
    }
    return _render(request, ctx, templates, "public/interview_answer.html", context)


def _answers_page(
    request: Request, ctx: Context, templates: Jinja2Templates, question: str, state: State
) -> HTMLResponse:
    labels, texts = forms.fact_labels(), question_texts()
    rows = [
        (fact, texts.get(fact, labels.get(fact, fact)), _shown(fact, state), labels.get(fact))
        for fact in state.asked
    ]
    context = {**_common(question, state), "rows": rows, "switch_go": "answers"}
    return _render(request, ctx, templates, "public/interview_answers.html", context)


def _shown(fact: str, state: State) -> str:
    if fact in state.declined or fact not in state.facts:
        return _("I don't know")
    value = state.facts[fact]
    if fact == "service_periods":
        if not value:
            return _("None")
        return "; ".join(
            f"{p['formation'].upper()}: {forms.day_in_words(p['start'])} – "
            + (forms.day_in_words(p["end"]) if p.get("end") else _("now"))
            for p in value
        )
    if fact == "citizenships" and not value:
        return _("I have no citizenship (stateless person)")
    if fact in ("birth_date", "stay_valid_until"):
        return forms.day_in_words(value)
    if fact in ENUM_FACTS:
        return str(forms.option_labels()[fact].get(value, value))
    return explain.show_value(value, fact)


def _step(
    request: Request, ctx: Context, templates: Jinja2Templates, question: str, typed: InterviewForm
) -> HTMLResponse:
    state = _state(typed, ctx.clock().date())
    go, current = typed.go, typed.current
    if go == "answers":
        return _answers_page(request, ctx, templates, question, state)
    if go.startswith("change:") and go[7:] in question_texts():
        return _question_page(request, ctx, templates, question, state, go[7:])
    if go == "back" and state.asked:
        last = state.asked[-1]
        previous = _values_of(last, state.facts.get(last))
        was_declined = last in state.declined
        state.forget(last)
        shown = forms.Form(values=previous if not was_declined else {last: ""})
        return _question_page(request, ctx, templates, question, state, last, shown)
    if go == "stay" and current in question_texts():
        return _question_page(request, ctx, templates, question, state, current)
    if go == "answer" and current in question_texts():
        typed_answer, value = _parse(current, typed)
        if typed_answer.errors:
            return _question_page(request, ctx, templates, question, state, current, typed_answer)
        state.forget(current)
        state.asked.append(current)
        if value is None:
            state.declined.append(current)
        else:
            state.facts[current] = value
    following = checks.next_question(
        ctx.legislation, question, state.facts, state.on, state.declined
    )
    if following is None:
        return _answer_page(request, ctx, templates, question, state)
    return _question_page(request, ctx, templates, question, state, following)


Typed = Annotated[InterviewForm, Form()]


@router.post("/check/next", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
def enlistment_step(
    request: Request, ctx: ContextDep, templates: TemplatesDep, typed: Typed
) -> HTMLResponse:
    return _step(request, ctx, templates, "enlistment", typed)


@router.post("/check/citizenship/next", response_class=HTMLResponse, dependencies=[CSRF_CHECKED])
def citizenship_step(
    request: Request, ctx: ContextDep, templates: TemplatesDep, typed: Typed
) -> HTMLResponse:
    return _step(request, ctx, templates, "citizenship", typed)


def start_page(
    request: Request, ctx: Context, templates: Jinja2Templates, question: str
) -> HTMLResponse:
    state = State(on=ctx.clock().date())
    context = {**_common(question, state), "full_form": checks.FULL_FORM[question]}
    return page(request, ctx, templates, "public/interview_start.html", context)

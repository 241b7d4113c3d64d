"""Public eligibility checks: no login, no personal data kept."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, cast

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from guardpath.law.answer_json import AnswerJson
from guardpath.law.dates import parse_date
from guardpath.law.fact_schema import facts_schema
from guardpath.law.facts import FACT_NAMES
from guardpath.law.timeline import EPOCH
from guardpath.services import checks
from guardpath.web.api.limits import API_BODY_LIMIT, BoundedRoute
from guardpath.web.deps import ContextDep


class Problem(BaseModel):
    detail: str


UNREADABLE: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "a body that cannot be read (not UTF-8)"},
    413: {"model": Problem, "description": f"a body over {API_BODY_LIMIT:,} bytes"},
}
router = APIRouter(
    prefix="/api/v1/checks", tags=["checks"], responses=UNREADABLE, route_class=BoundedRoute
)


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any] = Field(
        description="the person's facts (design.md, facts contract v1); a missing key is unknown",
        json_schema_extra=facts_schema(FACT_NAMES),
    )
    on: date = Field(description="the date of the question, YYYY-MM-DD")
    lang: Literal["en", "uk"] = "en"

    @field_validator("on", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> date:
        if not isinstance(value, str):
            raise ValueError("expected a date as text, YYYY-MM-DD")
        on = parse_date(value)
        if on < EPOCH:  # as the CLI: the legislation tree holds the law from 2014 only
            raise ValueError(f"{on} is before {EPOCH}; guardpath answers for dates from {EPOCH} on")
        return on


class AnswerOut(AnswerJson):
    """The answer as the law gives it (guardpath.law.answer_json): its shape is declared there."""


def _check(ctx: ContextDep, question: str, body: CheckIn) -> AnswerJson:
    answer = checks.answer_json(ctx.legislation, question, body.facts, body.on, body.lang)
    # The API leaves out a citizenship answer's route and earliest date where there is none
    # (the CLI's JSON writes null); what is inside the reasons goes as it is.
    return cast(AnswerJson, {key: value for key, value in answer.items() if value is not None})


@router.post("/enlistment", response_model=AnswerOut)
def check_enlistment(body: CheckIn, ctx: ContextDep) -> AnswerJson:
    """May this person enlist, on this date? The answer with its explanation and citations."""
    return _check(ctx, "enlistment", body)


@router.post("/citizenship", response_model=AnswerOut)
def check_citizenship(body: CheckIn, ctx: ContextDep) -> AnswerJson:
    """May this serviceman become a citizen? With the route, earliest date and obligations."""
    return _check(ctx, "citizenship", body)

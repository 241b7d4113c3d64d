"""The application's steps as pydantic models: each form as typed (a FastAPI form model, what
a page with errors shows again), and the facts a complete step gives, validated once.

A typed date goes through the one date parser (law.dates.parse_date), as everywhere.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from guardpath.law.facts import FORMATIONS, RANK_GROUPS, STAY_BASES
from guardpath.web.pages.form_models import Day, Typed, YesNo, one_of
from guardpath.web.pages.forms import MAX_CITIZENSHIPS

# -- the forms as typed (FastAPI form models): what a page with errors shows again ------------


class StepForm(BaseModel):
    """What every step's form sends besides its fields: where to go next."""

    model_config = ConfigDict(populate_by_name=True)

    go: Typed = ""
    came_from: Typed = Field(default="", alias="from")

    def values(self) -> dict[str, Any]:
        """The step's fields as typed."""
        return self.model_dump(exclude={"go", "came_from"})


class AboutForm(StepForm):
    given_names: Typed = ""
    surname: Typed = ""
    native_name: Typed = ""
    birth_date: Typed = ""
    sex: Typed = ""
    citizenship: list[Typed] = []
    stateless: Typed = ""
    passport_number: Typed = ""
    email: Typed = ""
    phone: Typed = ""

    def values(self) -> dict[str, Any]:
        shown = super().values()
        shown["citizenship"] = (self.citizenship + [""] * MAX_CITIZENSHIPS)[:MAX_CITIZENSHIPS]
        shown["stateless"] = "yes" if self.stateless == "yes" else ""
        return shown


class StayForm(StepForm):
    stay_basis: Typed = ""
    stay_valid_until: Typed = ""
    previously_convicted: Typed = ""
    prior_military_service: Typed = ""


class FormationForm(StepForm):
    formation: Typed = ""
    rank_group: Typed = ""


class ConsentsForm(BaseModel):
    data_processing: Typed = ""
    verification: Typed = ""


# -- the steps validated: the facts they give ----------------------------------------------------
class StayIn(BaseModel):
    stay_basis: Annotated[str, one_of(STAY_BASES)]
    stay_valid_until: Day | None = None
    previously_convicted: YesNo
    prior_military_service: YesNo | None = None


class FormationIn(BaseModel):
    formation: Annotated[str, one_of(FORMATIONS)]
    rank_group: Annotated[str, one_of(RANK_GROUPS)] | None = None

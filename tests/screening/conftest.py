"""A database in a temporary folder, applications submitted through the service, a cast."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Case, Role
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.settings import load_settings
from sqlite_support import migrated_context

APPLICANT = Actor("applicant", Role.APPLICANT)
RECRUITER = Actor("recruiter-1", Role.RECRUITER)
VETTING = Actor("vetting-1", Role.VETTING_OFFICER)


@pytest.fixture
def ctx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> Iterator[Context]:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)
    context = migrated_context(load_settings(data_dir=tmp_path / "data"), sqlite_template)
    yield context
    context.engine.dispose()


def application(
    given_names: str,
    surname: str,
    birth_date: str,
    passport_number: str,
    native_name: str | None = None,
    citizenships: tuple[str, ...] = ("UA",),
) -> ApplicationIn:
    person: dict[str, Any] = {
        "given_names": given_names,
        "surname": surname,
        "native_name": native_name,
        "birth_date": birth_date,
        "sex": "male",
        "citizenships": list(citizenships),
        "passport_number": passport_number,
    }
    return ApplicationIn.model_validate(
        {"person": person, "consents": {"data_processing": True, "verification": True}}
    )


Submit = Callable[..., Case]


@pytest.fixture
def submit(ctx: Context) -> Submit:
    def _submit(*args: Any, **kwargs: Any) -> Case:
        return services.submit_application(ctx, APPLICANT, application(*args, **kwargs)).case

    return _submit

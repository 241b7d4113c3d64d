"""The bad-input catalogue's world: the seeded database every refusal meets, and how each
surface's refusal is read (tests/reliability/test_bad_input_catalogue.py)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cast import american_private
from guardpath.bootstrap import Context
from guardpath.cases.model import Role, State
from guardpath.services import staff as staff_services
from guardpath.services.roster import COLUMNS, import_roster
from guardpath.web.app import create_app
from web.conftest import Clock, csrf_of
from web.staff_fixtures import (
    ADMIN,
    BASE_URL,
    BELARUSIAN,
    CHEAP_HASHER,
    PDF,
    RUSSIAN,
    Accounts,
    Console,
    Seeded,
)

from .snapshot import (
    Allowance,
)

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
"""In the future for the API, the pages and the CLI, which all go by today's date."""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
RUNNER = CliRunner(env={"COLUMNS": "300"})
ABOUT = {
    "given_names": "Jonathan Quincy",
    "surname": "Wexford-Smythe",
    "birth_date": "1990-05-10",
    "sex": "male",
    "citizenship": ["US", "", ""],
    "passport_number": "ZX9081726",
    "email": "jq.wexford@example.org",
}
FACTS = {"birth_date": "1990-05-10", "citizenships": ["US"]}


# -- the world the bad input meets -----------------------------------------------------------
@dataclass
class World:
    ctx: Context
    api: TestClient
    applicant: TestClient
    token: str
    console: Console
    seeded: Seeded
    cases: dict[str, str]
    files: Path


def roster_text(**overrides: Any) -> str:
    """A roster of one serving American private, as `guardpath import` reads it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerow(american_private(**overrides))
    return out.getvalue()


def seed_roster(ctx: Context, folder: Path) -> None:
    """A serving member imported from a roster: a contract and a service period."""
    roster = folder / "seed.csv"
    roster.write_text(roster_text(), encoding="utf-8")
    assert import_roster(ctx, ADMIN, roster).imported == 1


def seed_draft(applicant: TestClient) -> str:
    """An application in progress, its first step saved and a passport uploaded; returns the
    pages' form token."""
    token = csrf_of(applicant.get("/apply").text)
    applicant.post("/apply/start", data={"csrf": token})
    applicant.post("/apply/about", data={"csrf": token, "go": "next", **ABOUT})
    passport = {"file": ("passport.pdf", PDF, "application/pdf")}
    applicant.post(
        "/apply/documents/upload", data={"csrf": token, "kind": "passport"}, files=passport
    )
    return token


@pytest.fixture(scope="module", name="world")
def world_fixture(
    reliability_ctx: Context, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The reliability context with a clock the staff logins can follow, seeded with two
    applications (one under document review), a roster member, a draft with a document, and
    a recruiter signed in to the console."""
    clock = Clock()
    ctx = replace(reliability_ctx, clock=clock)
    app = create_app(ctx=ctx)
    seeded = Seeded(ctx)
    files = tmp_path_factory.mktemp("bad-input")
    with (
        pytest.MonkeyPatch.context() as patch,
        TestClient(app) as api,
        TestClient(app) as applicant,
        TestClient(app, base_url=BASE_URL) as staff,
    ):
        patch.setattr(staff_services, "HASHER", CHEAP_HASHER)
        cases = {"russian": seeded.submit(RUSSIAN), "belarusian": seeded.submit(BELARUSIAN)}
        seeded.advance(cases["russian"], State.DOCUMENT_REVIEW)
        seed_roster(ctx, files)
        token = seed_draft(applicant)
        console = Console(staff, Accounts(ctx, clock)).as_role(Role.RECRUITER)
        yield World(ctx, api, applicant, token, console, seeded, cases, files)


# -- how each surface answers ----------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    """What a person reads: each problem with its field, the page's errors, the error lines."""


def api_problems(answer: Any) -> str:
    detail = answer.json()["detail"]
    if isinstance(detail, str):
        return detail
    return "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in detail)


ALERT = re.compile(
    r'<(div|p)[^>]*(?:role="alert"|data-module="error-summary")[^>]*>(.*?)</\1>', re.S
)
FIELD_ERROR = re.compile(r'<p class="field-error" id="e-([^"]+)">(.*?)</p>', re.S)


def page_errors(page: str) -> str:
    """The page's alerts (the list of errors above a form, a refusal) and each error beside
    its field, with the field's name."""
    alerts = [body for _tag, body in ALERT.findall(page)]
    beside = [f"{name}: {message}" for name, message in FIELD_ERROR.findall(page)]
    text = re.sub(r"<[^>]+>", " ", " ".join(alerts + beside))
    return " ".join(html.unescape(text).split())


Send = Callable[[World], Refusal]


@dataclass(frozen=True)
class Bad:
    name: str
    send: Send
    status: int
    says: tuple[str, ...]
    """The field, and words of what is accepted, that the message must contain."""
    allowance: Allowance | None = None

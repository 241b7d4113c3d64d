"""The catalogue of bad input (issue 7): each kind of bad input on each surface that takes it,
with its own test.

The surfaces: the JSON API, the public pages (the application step by step, its documents, the
self-check), the staff console, the CLI (`check`, `evaluate`) and the roster importer
(`guardpath import`). The kinds: malformed JSON, wrong types, unknown country codes, impossible
dates (2023-02-29), birth dates in the future, oversize bodies and uploads, a file whose content
does not match its name, a CSV in the wrong encoding, over-long strings, control characters and
mixed scripts in names.

Each case holds the project's standard: the answer is a refusal (4xx, the form shown again with
its error, exit status 2), its message names the field and what is accepted, and the database
is unchanged. The database is seeded first (cases, a roster member, a draft with a document,
staff and their session) and every table is compared before and after, so "unchanged" means
something; `test_a_good_input_does_change_the_snapshot` shows the comparison can fail.

Mixed scripts: names are refused when one word mixes Latin, Cyrillic or Greek letters ("Ivаn"
with a Cyrillic "а"). No real name is written so (a transliteration is all Latin; a native name
is all in its own script), and such a name defeats the name index, search and duplicate checks
while looking right. Names in one script each, as the demo data and the cast write them, pass.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from typer.testing import CliRunner

from cast import american_private
from guardpath.bootstrap import Context
from guardpath.cases.model import Role, State
from guardpath.cli import app as cli_app
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
    changed,
    draft_keeps_what_was_typed,
    read_rows,
    staff_reads_are_logged,
    state_of,
)

pytestmark = pytest.mark.integration

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


@pytest.fixture(scope="module")
def world(reliability_ctx: Context, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
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


ALERT = re.compile(r'<(div|p)[^>]*role="alert"[^>]*>(.*?)</\1>', re.S)
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


# -- the API -------------------------------------------------------------------------------------
def api(path: str, body: object = None, content: bytes | None = None) -> Send:
    def send(world: World) -> Refusal:
        if content is None:
            answer = world.api.post(path, json=body)
        else:
            headers = {"content-type": "application/json"}
            answer = world.api.post(path, content=content, headers=headers)
        return Refusal(answer.status_code, api_problems(answer))

    return send


def application(person: dict[str, Any] | None = None, **top: Any) -> Send:
    body = deepcopy(RUSSIAN)
    body["person"] |= person or {}
    return api("/api/v1/applications", body | top)


def check(question: str, facts: object, on: object = "2025-01-01") -> Send:
    return api(f"/api/v1/checks/{question}", {"facts": facts, "on": on})


def oversize(path: str, body: dict[str, Any]) -> Send:
    padded = {**body, "padding": "x" * (1 << 20)}
    return api(path, content=json.dumps(padded).encode())


APPLICATIONS = "/api/v1/applications"
ENLISTMENT = "/api/v1/checks/enlistment"
API = [
    Bad(
        "api-applications-malformed-json",
        api(APPLICATIONS, content=b'{"person": '),
        422,
        ("body", "not valid JSON", "JSON object"),
    ),
    Bad(
        "api-applications-a-list-for-an-object",
        api(APPLICATIONS, [RUSSIAN]),
        422,
        ("body", "object"),
    ),
    Bad(
        "api-applications-2023-02-29-birth-date",
        application({"birth_date": "2023-02-29"}),
        422,
        ("person.birth_date", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-future-birth-date",
        application({"birth_date": TOMORROW}),
        422,
        ("person.birth_date", "future"),
    ),
    Bad(
        "api-applications-birth-date-as-a-number",
        application({"birth_date": 0}),
        422,
        ("person.birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-birth-date-with-a-time",
        application({"birth_date": "1991-07-23T00:00:00"}),
        422,
        ("person.birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-unknown-country-XX",
        application({"citizenships": ["XX"]}),
        422,
        ("person.citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-applications-former-country-SU",
        application({"citizenships": ["SU"]}),
        422,
        ("person.citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-applications-citizenships-as-text",
        application({"citizenships": "RU"}),
        422,
        ("person.citizenships", "list"),
    ),
    Bad(
        "api-applications-given-names-as-a-number",
        application({"given_names": 7}),
        422,
        ("person.given_names", "string"),
    ),
    Bad(
        "api-applications-over-long-surname",
        application({"surname": "Z" * 201}),
        422,
        ("person.surname", "at most 200 characters"),
    ),
    Bad(
        "api-applications-over-long-passport-number",
        application({"passport_number": "A" * 65}),
        422,
        ("person.passport_number", "at most 64"),
    ),
    Bad(
        "api-applications-control-character-in-surname",
        application({"surname": "Zhura\x07vlov"}),
        422,
        ("person.surname", "control"),
    ),
    Bad(
        "api-applications-right-to-left-override-in-given-names",
        application({"given_names": "Mak\u202esym"}),
        422,
        ("person.given_names", "invisible"),
    ),
    Bad(
        "api-applications-mixed-scripts-in-given-names",
        application({"given_names": "Mаksym"}),
        422,
        ("person.given_names", "Cyrillic and Latin", "one script"),
    ),
    Bad(
        "api-applications-mixed-scripts-in-passport-number",
        application({"passport_number": "АB1234567"}),
        422,
        ("person.passport_number", "one script"),
    ),
    Bad(
        "api-applications-control-character-in-email",
        application({"email": "m.zhu\x01ravlov@example.org"}),
        422,
        ("person.email", "control"),
    ),
    Bad(
        "api-applications-consent-as-text",
        application(consents={"data_processing": "yes", "verification": True}),
        422,
        ("consents.data_processing", "boolean"),
    ),
    Bad(
        "api-applications-consent-refused",
        application(consents={"data_processing": True, "verification": False}),
        422,
        ("consents", "verification", "required"),
    ),
    Bad(
        "api-applications-2023-02-29-stay-valid-until",
        application(facts={"stay_valid_until": "2023-02-29"}),
        422,
        ("facts", "stay_valid_until", "YYYY-MM-DD"),
    ),
    Bad(
        "api-applications-fact-of-the-wrong-type",
        application(facts={"prior_military_service": "yes"}),
        422,
        ("facts", "prior_military_service", "true or false"),
    ),
    Bad(
        "api-applications-unknown-formation",
        application(formation="army"),
        422,
        ("formation", "ngu"),
    ),
    Bad(
        "api-applications-oversize-body",
        oversize(APPLICATIONS, RUSSIAN),
        413,
        ("request body", "65,536 bytes"),
    ),
    Bad(
        "api-checks-enlistment-malformed-json",
        api(ENLISTMENT, content=b"{"),
        422,
        ("body", "not valid JSON"),
    ),
    Bad(
        "api-checks-enlistment-2023-02-29-birth-date",
        check("enlistment", {"birth_date": "2023-02-29"}),
        422,
        ("facts.birth_date", "calendar date"),
    ),
    Bad(
        "api-checks-enlistment-birth-date-after-the-date-asked",
        check("enlistment", {"birth_date": "2090-05-10"}),
        422,
        ("facts.birth_date", "after the date"),
    ),
    Bad(
        "api-checks-enlistment-2023-02-29-as-the-date-asked",
        check("enlistment", FACTS, "2023-02-29"),
        422,
        ("body.on", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "api-checks-enlistment-date-asked-as-a-number",
        check("enlistment", FACTS, 20250101),
        422,
        ("body.on", "YYYY-MM-DD"),
    ),
    Bad(
        "api-checks-citizenship-unknown-country-XX",
        check("citizenship", {"citizenships": ["XX"]}),
        422,
        ("citizenships[0]", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "api-checks-citizenship-service-periods-as-text",
        check("citizenship", {"service_periods": "three years"}),
        422,
        ("service_periods", "list"),
    ),
    Bad(
        "api-checks-enlistment-unknown-fact-with-a-lone-surrogate",
        api(ENLISTMENT, content=b'{"facts": {"\\ud800": 1}, "on": "2025-01-01"}'),
        422,
        ("facts", "unknown fact", "birth_date"),
    ),
    Bad(
        "api-checks-enlistment-oversize-body",
        oversize(ENLISTMENT, {"facts": {}}),
        413,
        ("request body", "65,536 bytes"),
    ),
]


# -- the public pages ----------------------------------------------------------------------------
def applicant_page(path: str, data: dict[str, Any], **files: Any) -> Send:
    def send(world: World) -> Refusal:
        form = {"csrf": world.token, **data}
        answer = world.applicant.post(path, data=form, files=files or None)
        return Refusal(answer.status_code, page_errors(answer.text))

    return send


def about(**changes: Any) -> Send:
    return applicant_page("/apply/about", {"go": "next", **ABOUT, **changes})


def upload(name: str, content: bytes, claimed: str, kind: str = "passport") -> Send:
    return applicant_page("/apply/documents/upload", {"kind": kind}, file=(name, content, claimed))


def self_check(**fields: Any) -> Send:
    return applicant_page("/check", {"on": "2025-03-01", **fields})


STEP = draft_keeps_what_was_typed
PAGES = [
    Bad(
        "page-apply-about-2023-02-29-birth-date",
        about(birth_date="2023-02-29"),
        422,
        ("Date of birth", "YYYY-MM-DD"),
        STEP,
    ),
    Bad(
        "page-apply-about-future-birth-date",
        about(birth_date=TOMORROW),
        422,
        ("Date of birth", "not in the future"),
        STEP,
    ),
    Bad(
        "page-apply-about-unknown-country-XX",
        about(citizenship=["XX", "", ""]),
        422,
        ("Citizenship", "from the list"),
        STEP,
    ),
    Bad(
        "page-apply-about-former-country-SU",
        about(citizenship=["SU", "", ""]),
        422,
        ("Citizenship", "from the list"),
        STEP,
    ),
    Bad(
        "page-apply-about-a-sex-not-offered", about(sex="other"), 422, ("Sex", "Male, Female"), STEP
    ),
    Bad(
        "page-apply-about-over-long-surname",
        about(surname="W" * 201),
        422,
        ("Surname", "1 to 200 characters"),
        STEP,
    ),
    Bad(
        "page-apply-about-control-character-in-surname",
        about(surname="Wex\x1bford"),
        422,
        ("Surname", "control"),
        STEP,
    ),
    Bad(
        "page-apply-about-zero-width-space-in-given-names",
        about(given_names="Jon\u200bathan"),
        422,
        ("Given names", "invisible"),
        STEP,
    ),
    Bad(
        "page-apply-about-mixed-scripts-in-given-names",
        about(given_names="Jоnathan"),
        422,
        ("Given names", "one script"),
        STEP,
    ),
    Bad(
        "page-apply-about-oversize-form",
        about(surname="W" * 100_000),
        413,
        ("64 KB", "a name at most 200 characters", "Nothing was saved"),
    ),
    Bad(
        "page-apply-stay-2023-02-29-stay-valid-until",
        applicant_page(
            "/apply/stay",
            {
                "go": "next",
                "stay_basis": "visa",
                "stay_valid_until": "2023-02-29",
                "previously_convicted": "no",
            },
        ),
        422,
        ("Your stay is lawful until", "YYYY-MM-DD"),
        STEP,
    ),
    Bad(
        "page-apply-upload-png-named-pdf",
        upload("passport.pdf", PNG, "application/pdf"),
        422,
        ("File", "name says PDF", "contains a PNG"),
    ),
    Bad(
        "page-apply-upload-csv-named-pdf",
        upload("passport.pdf", b"name,born\n", "text/csv"),
        422,
        ("File", "not a PDF, JPEG or PNG"),
    ),
    Bad(
        "page-apply-upload-just-over-5-mb",
        upload("scan.pdf", b"%PDF-" + b"0" * (5 << 20), "application/pdf"),
        422,
        ("File", "larger than 5 MB", "up to 5 MB"),
    ),
    Bad(
        "page-apply-upload-of-6-mb",
        upload("scan.pdf", b"%PDF-" + b"0" * (6 << 20), "application/pdf"),
        413,
        ("File", "larger than 5 MB", "up to 5 MB"),
    ),
    Bad(
        "page-apply-upload-unknown-kind",
        upload("passport.pdf", PDF, "application/pdf", "diary"),
        422,
        ("What is it?", "what kind of document"),
    ),
    Bad(
        "page-apply-submit-without-consents",
        applicant_page("/apply/submit", {}),
        422,
        ("verification", "Decree 84/2024 requires both consents"),
    ),
    Bad(
        "page-check-2023-02-29-birth-date",
        self_check(birth_date="2023-02-29"),
        422,
        ("Date of birth", "YYYY-MM-DD"),
    ),
    Bad(
        "page-check-birth-date-after-the-date-asked",
        self_check(birth_date="2090-05-10"),
        422,
        ("Date of birth", "on or before the date of the question"),
    ),
    Bad(
        "page-check-unknown-country-XX",
        self_check(citizenship=["XX", "", ""]),
        422,
        ("Citizenship", "from the list"),
    ),
    Bad(
        "page-check-oversize-form",
        self_check(birth_date="1" * 100_000),
        413,
        ("64 KB", "Nothing was saved"),
    ),
]


# -- the staff console ---------------------------------------------------------------------------
def staff_step(action: str, who: str, **form: Any) -> Send:
    def send(world: World) -> Refusal:
        case_id = world.cases[who]
        version = world.seeded.case(case_id).version
        answer = world.console.post(
            f"/staff/cases/{case_id}/{action}", {"version": version, **form}
        )
        return Refusal(answer.status_code, page_errors(answer.text))

    return send


DOCUMENT_CHECK = {"passed": "yes", "previously_convicted": "no", "stay_basis": "visa"}
READS = staff_reads_are_logged
STAFF = [
    Bad(
        "staff-reject-over-long-reason",
        staff_step("reject", "russian", reason="x" * 2001),
        400,
        ("reason", "at most 2,000"),
        READS,
    ),
    Bad(
        "staff-reject-control-character-in-reason",
        staff_step("reject", "russian", reason="fraud\x00suspected"),
        400,
        ("reason", "control"),
        READS,
    ),
    Bad(
        "staff-reject-without-a-reason",
        staff_step("reject", "russian", reason=" "),
        400,
        ("reason", "needs its reason"),
        READS,
    ),
    Bad(
        "staff-document-check-2023-02-29-stay-valid-until",
        staff_step(
            "record_document_check", "russian", **DOCUMENT_CHECK, stay_valid_until="2023-02-29"
        ),
        400,
        ("stay_valid_until", "calendar date", "YYYY-MM-DD"),
        READS,
    ),
    Bad(
        "staff-document-check-unknown-stay-basis",
        staff_step(
            "record_document_check", "russian", **{**DOCUMENT_CHECK, "stay_basis": "tourist"}
        ),
        400,
        ("stay_basis", "one of", "visa_free"),
        READS,
    ),
]


# -- the CLI -------------------------------------------------------------------------------------
def command(*args: str, files: dict[str, bytes] | None = None) -> Send:
    """`guardpath ARGS` on the world's data folder, after writing FILES into a folder of its
    own; any --out it names must not be written."""

    def send(world: World) -> Refusal:
        folder = world.files / f"run-{len(list(world.files.iterdir()))}"
        folder.mkdir()
        for name, content in (files or {}).items():
            (folder / name).write_bytes(content)
        argv = [arg.replace("{dir}", str(folder)) for arg in args]
        data = {"GUARDPATH_DATA_DIR": str(world.ctx.settings.data_dir)}
        result = RUNNER.invoke(cli_app, argv, env=data)
        assert not (folder / "out.parquet").exists(), "a refused evaluation wrote its output"
        return Refusal(result.exit_code, " ".join(result.output.split()))

    return send


def check_command(facts: bytes, on: str = "2025-01-01") -> Send:
    return command(
        "check", "enlistment", "{dir}/facts.json", "--on", on, files={"facts.json": facts}
    )


def evaluate_command(name: str, content: bytes) -> Send:
    argv = ("evaluate", f"{{dir}}/{name}", "-q", "enlistment", "--on", "2025-01-01")
    return command(*argv, "--out", "{dir}/out.parquet", files={name: content})


def facts_json(**facts: Any) -> bytes:
    return json.dumps(facts).encode()


def people_csv(header: str, row: str, encoding: str = "utf-8") -> bytes:
    return f"{header}\n{row}\n".encode(encoding)


CLI = [
    Bad(
        "cli-check-malformed-json",
        check_command(b'{"birth_date": '),
        2,
        ("FACTS", "not valid JSON", "JSON object of facts"),
    ),
    Bad(
        "cli-check-a-list-for-an-object", check_command(b"[]"), 2, ("facts", "JSON object of facts")
    ),
    Bad(
        "cli-check-facts-in-utf-16",
        check_command(facts_json(sex="male").decode().encode("utf-16")),
        2,
        ("FACTS", "UTF-8"),
    ),
    Bad(
        "cli-check-2023-02-29-birth-date",
        check_command(facts_json(birth_date="2023-02-29")),
        2,
        ("birth_date", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-check-birth-date-after-the-date-asked",
        check_command(facts_json(birth_date="2090-05-10")),
        2,
        ("birth_date", "after the date asked"),
    ),
    Bad(
        "cli-check-2023-02-29-as-the-date-asked",
        check_command(facts_json(), "2023-02-29"),
        2,
        ("--on", "calendar date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-check-unknown-country-XX",
        check_command(facts_json(citizenships=["XX"])),
        2,
        ("citizenships[0]", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "cli-check-citizenships-as-text",
        check_command(facts_json(citizenships="US")),
        2,
        ("citizenships", "list"),
    ),
    Bad(
        "cli-check-sex-not-accepted",
        check_command(facts_json(sex="Male")),
        2,
        ("sex", "male, female"),
    ),
    Bad(
        "cli-evaluate-csv-in-cp1251",
        evaluate_command(
            "people.csv", people_csv("birth_date,stay_basis", "1990-05-10,віза", "cp1251")
        ),
        2,
        ("PEOPLE", "not UTF-8"),
    ),
    Bad(
        "cli-evaluate-parquet-that-is-text",
        evaluate_command("people.parquet", b"id,born\n"),
        2,
        ("PEOPLE", "not a Parquet file"),
    ),
    Bad(
        "cli-evaluate-csv-that-is-a-workbook",
        evaluate_command("people.csv", b"PK\x03\x04" + b"\x00" * 32),
        2,
        ("PEOPLE", "zip file", "CSV text"),
    ),
    Bad(
        "cli-evaluate-2023-02-29-birth-date",
        evaluate_command("people.csv", people_csv("birth_date", "2023-02-29")),
        2,
        ("row 1", "birth_date", "YYYY-MM-DD"),
    ),
    Bad(
        "cli-evaluate-unknown-country-XX",
        evaluate_command("people.csv", people_csv("citizenships", '"[""XX""]"')),
        2,
        ("row 1", "citizenships"),
    ),
    Bad(
        "cli-evaluate-fact-of-the-wrong-type",
        evaluate_command("people.csv", people_csv("prior_military_service", "maybe")),
        2,
        ("row 1", "prior_military_service", "true or false"),
    ),
    Bad(
        "cli-evaluate-unknown-column",
        evaluate_command("people.csv", people_csv("nationality", "US")),
        2,
        ("nationality", "unknown column", "birth_date"),
    ),
]


# -- the roster importer -------------------------------------------------------------------------
def roster_text(**overrides: Any) -> str:
    """A roster of one serving American private, as `guardpath import` reads it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerow(american_private(**overrides))
    return out.getvalue()


def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(list(american_private().values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of_junk() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


def import_command(name: str, content: bytes) -> Send:
    return command("import", f"{{dir}}/{name}", files={name: content})


def roster(**overrides: Any) -> Send:
    return import_command("roster.csv", roster_text(**overrides).encode())


CYRILLIC_ROW = roster_text(native_name="Джеймс Сміт")
IMPORTER = [
    Bad(
        "import-csv-in-cp1251",
        import_command("roster.csv", CYRILLIC_ROW.encode("cp1251")),
        2,
        ("not UTF-8", "Windows-1251", "CSV UTF-8"),
    ),
    Bad(
        "import-csv-in-utf-16",
        import_command("roster.csv", CYRILLIC_ROW.encode("utf-16")),
        2,
        ("not UTF-8", "UTF-16", "CSV UTF-8"),
    ),
    Bad(
        "import-xlsx-that-is-a-csv",
        import_command("roster.xlsx", roster_text().encode()),
        2,
        ("not a readable XLSX workbook", "named .xlsx", ".csv"),
    ),
    Bad(
        "import-xlsx-that-is-a-zip-of-junk",
        import_command("roster.xlsx", zip_of_junk()),
        2,
        ("not a readable XLSX workbook", "CSV UTF-8"),
    ),
    Bad(
        "import-csv-that-is-a-workbook",
        import_command("roster.csv", workbook()),
        2,
        ("named .csv", "zip file", ".xlsx"),
    ),
    Bad(
        "import-2023-02-29-birth-date",
        roster(birth_date="2023-02-29"),
        2,
        ("birth_date", "not a calendar date", "February 2023 has 28 days"),
    ),
    Bad(
        "import-future-birth-date", roster(birth_date=TOMORROW), 2, ("birth_date", "in the future")
    ),
    Bad(
        "import-unknown-country-XX",
        roster(citizenships="XX"),
        2,
        ("citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad(
        "import-former-country-SU",
        roster(citizenships="SU;US"),
        2,
        ("citizenships", "ISO 3166-1 alpha-2"),
    ),
    Bad("import-over-long-surname", roster(surname="S" * 201), 2, ("surname", "at most 200")),
    Bad(
        "import-control-character-in-surname",
        roster(surname="Smi\x07th"),
        2,
        ("surname", "control"),
    ),
    Bad(
        "import-right-to-left-override-in-surname",
        roster(surname="Smi\u202eth"),
        2,
        ("surname", "invisible"),
    ),
    Bad(
        "import-mixed-scripts-in-given-names",
        roster(given_names="Jаmes Michael"),
        2,
        ("given_names", "Cyrillic and Latin", "one script"),
    ),
    Bad(
        "import-contract-years-as-words",
        roster(contract_years="three"),
        2,
        ("contract_years", "whole number from 1 to 10"),
    ),
    Bad(
        "import-unknown-column",
        import_command("roster.csv", b"nickname\nJim\n"),
        2,
        ("nickname", "unknown column", "given_names"),
    ),
]

CATALOGUE = [*API, *PAGES, *STAFF, *CLI, *IMPORTER]


# -- the tests -----------------------------------------------------------------------------------
def test_the_catalogue_names_each_case_once() -> None:
    names = [bad.name for bad in CATALOGUE]
    assert len(names) == len(set(names))


def test_the_world_holds_a_row_in_every_table_a_refusal_could_touch(world: World) -> None:
    rows = read_rows(world.ctx)
    touched = ("persons", "cases", "case_history", "audit_log", "contracts", "service_periods")
    touched += ("drafts", "documents", "staff_users", "staff_sessions", "screening_keys")
    assert [name for name in touched if not rows[name]] == []


@pytest.mark.parametrize("bad", CATALOGUE, ids=lambda bad: bad.name)
def test_it_refuses_clearly_and_changes_nothing(bad: Bad, world: World) -> None:
    before = state_of(world.ctx, bad.allowance)

    refusal = bad.send(world)

    assert refusal.status == bad.status, refusal.message
    missing = [words for words in bad.says if words not in refusal.message]
    assert missing == [], refusal.message
    assert changed(before, state_of(world.ctx, bad.allowance)) == []


# -- the snapshot can fail -----------------------------------------------------------------------
def good_application(world: World) -> None:
    body = deepcopy(RUSSIAN)
    body["person"]["passport_number"] = "GOOD0001"
    assert world.api.post(APPLICATIONS, json=body).status_code == 201


def good_upload(world: World) -> None:
    upload("permit.png", PNG, "image/png", "stay_document")(world)


def good_staff_step(world: World) -> None:
    staff_step("start_document_review", "belarusian")(world)


def good_roster(world: World) -> None:
    row = {"passport_number": "GOOD0002", "surname": "Goodman"}
    assert roster(**row)(world).status == 0


IN_PLACE = {"cases"}
"""A staff step changes the case's row without adding one: the digest sees what a count would
not."""


@pytest.mark.parametrize(
    ("good", "allowance", "expected", "in_place"),
    [
        pytest.param(good_application, None, {"persons", "cases", "audit_log"}, set(), id="api"),
        pytest.param(
            good_upload, draft_keeps_what_was_typed, {"documents"}, set(), id="page-upload"
        ),
        pytest.param(
            good_staff_step, staff_reads_are_logged, {"cases", "audit_log"}, IN_PLACE, id="staff"
        ),
        pytest.param(good_roster, None, {"persons", "contracts", "audit_log"}, set(), id="import"),
    ],
)
def test_a_good_input_does_change_the_snapshot(
    world: World,
    good: Callable[[World], None],
    allowance: Allowance | None,
    expected: set[str],
    in_place: set[str],
) -> None:
    """The comparison is not vacuous: what the catalogue's cases would have changed, had they
    been accepted, shows up under the same allowances."""
    before = state_of(world.ctx, allowance)

    good(world)

    after = state_of(world.ctx, allowance)
    assert expected <= {name for name in before if before[name] != after[name]}
    assert [name for name in in_place if before[name].rows != after[name].rows] == []

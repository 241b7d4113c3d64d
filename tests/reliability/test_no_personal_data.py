"""One volunteer's whole case, and no trace of the person where there should be none.

Zoreslav Khmarochosenko, a Belarusian, applies through the public pages with his passport
scan; a recruiter signs in and finds him, staff read the case and the scan, take him through
the checks (notes in free text, one with his address) to approval, contract and service,
and download his papers; an analyst reads the statistics and exports every breakdown as CSV;
an admin runs `guardpath backup`. All the while every logger writes at DEBUG to a handler of
ours (the root logger, the loggers that do not pass records up, uvicorn's and FastAPI's).

Then each of his details (names in Latin and Cyrillic, birth date, passport number, phone,
e-mail, address, free-text notes, a marker inside the scan) is searched for, in every form it
could take (UTF-8, UTF-16 either way, upper and lower case, JSON-, URL- and bytes-escaped), in
every file of the data folder (the SQLite database, its WAL and shared memory), in the backup
(decompressed, and every binary value in it decoded), in the analyst's pages and exports, and
in the logs. The pages and papers staff open are meant to show him, and are not searched.

A control plants the same details in a log line, an unsealed table and an unsealed value of
the backup, so that a search that could find nothing cannot pass.

The planted details and the search for them are in personal_data_search.py.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from guardpath.bootstrap import Context
from guardpath.cases.model import Role, State
from guardpath.services.statistics import Dimension
from guardpath.settings import Settings
from web import conftest as web
from web.staff_fixtures import (  # noqa: F401
    PASSWORD,
    Accounts,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    log_in,
    seeded_fixture,
    staff_client_fixture,
)

from .personal_data_search import (
    ABOUT,
    MARKERS,
    REQUEST_LINES,
    SCAN,
    STAY,
    STEPS,
    data_folder,
    exposed,
    make_backup,
)

pytestmark = pytest.mark.integration

# The web fixtures this module needs, from the web tests' conftest.
settings, clock, ctx, app, client = web.settings, web.clock, web.ctx, web.app, web.client


@pytest.fixture(autouse=True)
def _no_guardpath_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("GUARDPATH_"):
            monkeypatch.delenv(name)


# -- every log record ---------------------------------------------------------------------------
class EveryRecord(logging.Handler):
    """Each record formatted with its arguments and any exception, as a log file would hold it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []
        self.apps: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.name == "guardpath" or record.name.startswith("guardpath."):
            self.apps.append(record.getMessage())

    def text(self) -> bytes:
        return "\n".join(self.lines).encode()

    def of_the_app(self) -> str:
        """The messages of guardpath's own loggers only: httpx's client logger writes each
        request's full URL, but it is the test's browser talking, not the application."""
        return "\n".join(self.apps)


@pytest.fixture
def logs() -> Iterator[EveryRecord]:
    """Every logger at DEBUG, the root one and those that keep their records to themselves
    writing to one handler; levels and handlers as they were afterwards."""
    handler = EveryRecord()
    named = ("uvicorn", "uvicorn.error", "uvicorn.access", "fastapi", "guardpath")
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in named)]
    loggers += [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and logger not in loggers
    ]
    levels = [(logger, logger.level) for logger in loggers]
    hearing = [logger for logger in loggers if logger is logging.root or not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in hearing:
        logger.addHandler(handler)
    yield handler
    for logger in hearing:
        logger.removeHandler(handler)
    for logger, level in levels:
        logger.setLevel(level)


# -- the volunteer's case -------------------------------------------------------------------------
def apply_through_the_pages(client: TestClient) -> str:
    """The application form step by step with the scan, submitted; the reference."""
    token = web.csrf_of(client.get("/apply").text)
    assert client.post("/apply/start", data={"csrf": token}).url.path == "/apply/about"
    for step, form in [("about", ABOUT), ("stay", STAY), ("formation", {"formation": "ngu"})]:
        saved = client.post(f"/apply/{step}", data={"csrf": token, "go": "next", **form})
        assert saved.status_code == 200, saved.text
    uploaded = client.post(
        "/apply/documents/upload",
        data={"csrf": token, "kind": "passport"},
        files={"file": ("passport.pdf", SCAN, "application/pdf")},
    )
    assert uploaded.url.path == "/apply/documents", uploaded.text
    consents = {"csrf": token, "data_processing": "yes", "verification": "yes"}
    sent = client.post("/apply/submit", data=consents)
    reference = re.search(r'id="reference">(GP-[A-Z0-9]+)<', sent.text)
    code = re.search(r'id="resume-code">([A-Z0-9-]{19})<', sent.text)
    assert sent.status_code == 200 and reference and code, sent.text
    status = client.post(
        "/status", data={"csrf": token, "reference": reference.group(1), "code": code.group(1)}
    )
    assert status.status_code == 200, status.text
    return reference.group(1)


def find_the_case(console: Console, accounts: Accounts) -> str:
    """A recruiter signs in through the login page and finds the case by the passport, and by
    the name in Cyrillic with the birth date."""
    name = accounts.ensure(Role.RECRUITER)
    assert log_in(console.client, name, PASSWORD, accounts.code(name)).status_code == 303
    accounts.clock.advance(seconds=30)
    console.as_role(Role.RECRUITER)
    found = set()
    for form in [
        {"by": "passport", "passport": MARKERS["passport"]},
        {"by": "name", "name": MARKERS["native name"], "birth_date": MARKERS["birth date"]},
    ]:
        page = console.post("/staff/search", form)
        assert page.status_code == 200, page.text
        found |= set(re.findall(r'href="/staff/cases/([0-9a-f-]{36})"', page.text))
    [case_id] = found
    return case_id


def read_the_scan(console: Console, case_id: str) -> None:
    page = console.get(f"/staff/cases/{case_id}")
    document = re.search(rf'href="(/staff/cases/{case_id}/documents/[0-9a-f-]+)"', page.text)
    assert page.status_code == 200 and document, page.text
    assert console.get(document.group(1)).content == SCAN


def take_into_service(console: Console, seeded: Seeded, case_id: str) -> None:
    """Every step from submission to service through the console's forms, each by a role
    that reads the case first."""
    while (case := seeded.case(case_id)).state is not State.PROBATION:
        role, step, form = STEPS[case.state]
        page = console.as_role(role).get(f"/staff/cases/{case_id}")
        assert page.status_code == 200 and MARKERS["surname"] in page.text  # meant to show him
        taken = console.post(f"/staff/cases/{case_id}/{step}", {"version": case.version, **form})
        assert taken.status_code == 303, f"{step}: {taken.text}"


def download_the_papers(console: Console, case_id: str) -> None:
    console.as_role(Role.COMMANDER)
    for kind, lang in [("contract", "uk"), ("contract", "en"), ("service-certificate", "uk")]:
        paper = console.get(f"/staff/cases/{case_id}/papers/{lang}/{kind}.pdf")
        assert paper.status_code == 200 and paper.content.startswith(b"%PDF-"), kind


def analysts_exports(console: Console) -> dict[str, bytes]:
    """The statistics page and every breakdown as CSV, as an analyst gets them."""
    console.as_role(Role.ANALYST)
    found = {"statistics page": console.get("/staff/statistics").content}
    for dimension in Dimension:
        export = console.get(f"/staff/statistics.csv?dimension={dimension.value}")
        assert export.status_code == 200 and b"total" in export.content, export.text
        found[f"statistics {dimension.value}.csv"] = export.content
    return found


def test_one_volunteers_whole_case_leaves_no_personal_data_in_files_exports_or_logs(
    logs: EveryRecord,
    client: TestClient,
    console: Console,
    accounts: Accounts,
    seeded: Seeded,
    settings: Settings,
    tmp_path: Path,
) -> None:
    reference = apply_through_the_pages(client)
    case_id = find_the_case(console, accounts)
    read_the_scan(console, case_id)
    take_into_service(console, seeded, case_id)
    download_the_papers(console, case_id)
    places = analysts_exports(console)
    places |= make_backup(settings, tmp_path / "guardpath.jsonl.gz")
    places |= data_folder(settings) | {"logs": logs.text()}

    assert seeded.case(case_id).reference == reference
    assert len(logs.lines) > 100, "the requests and the database were logged"
    print(f"searched {len(places)} places, {sum(map(len, places.values())):,} bytes")
    assert exposed(places) == {}
    assert_logged_by_template(logs.of_the_app(), reference, case_id)


def assert_logged_by_template(logged: str, reference: str, case_id: str) -> None:
    """The application logs each request by its route's template: never a reference, a case
    id or a query string (the analyst's exports ask `?dimension=...`)."""
    for line in REQUEST_LINES:
        assert line in logged, line
    for value in (reference, case_id, "dimension="):
        assert value not in logged, value


# -- the control ----------------------------------------------------------------------------------
def plant(ctx: Context) -> None:
    """Break the property on purpose: every detail in clear in a table of its own (as text and
    as UTF-16), in the person's sealed column (which the backup keeps as base64), and in a
    log line."""
    plain = " | ".join(MARKERS.values())
    with ctx.engine.begin() as conn:
        conn.execute(text("CREATE TABLE scratch (plain TEXT, wide BLOB)"))
        conn.execute(
            text("INSERT INTO scratch VALUES (:plain, :wide)"),
            {"plain": plain, "wide": plain.encode("utf-16-le")},
        )
        conn.execute(text("UPDATE persons SET sealed = :plain"), {"plain": plain.encode()})
    logging.getLogger("guardpath.web").debug("unsealed: %s", plain)


def test_the_search_finds_every_detail_where_it_was_planted(
    logs: EveryRecord, seeded: Seeded, ctx: Context, settings: Settings, tmp_path: Path
) -> None:
    seeded.submit()  # a person, so that the backup holds a sealed value to replace
    plant(ctx)
    places = data_folder(settings) | make_backup(settings, tmp_path / "planted.jsonl.gz")

    found = exposed(places | {"logs": logs.text()})

    in_the_folder = {
        name for where, names in found.items() if "data folder" in where for name in names
    }
    assert found["logs"] == list(MARKERS)
    assert in_the_folder == set(MARKERS)
    assert found["backup binary values"] == list(MARKERS)


def test_the_search_finds_a_detail_however_it_is_escaped() -> None:
    native = MARKERS["native name"]
    written = [
        json.dumps({"name": native}).encode(),  # \u escapes
        f"GET /staff/search?q={quote_plus(native)}".encode(),
        repr(native.encode()).encode(),
        native.upper().encode("utf-16-be"),
    ]
    found = exposed({str(n): blob for n, blob in enumerate(written)})
    assert found == {
        "0": ["native name", "native surname"],
        "1": ["native name", "native surname"],
        "2": ["native name", "native surname"],
        "3": ["native name", "native surname"],
    }

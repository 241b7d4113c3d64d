"""End-to-end fixtures: the real app served by uvicorn, driven by headless Chromium.

`site` migrates a temporary SQLite data folder, seeds it through the services (30 invented
cases, the demo staff logins with their recomputable TOTP secrets, and one freshly submitted
case for the recruiter) and serves the app on a free 127.0.0.1 port from a background thread.
The server runs in this process, so argon2 is set to its cheapest while it runs; `site` is
package-scoped, so that ends with this folder's tests.

`browser` is Debian's Chromium (/usr/bin/chromium) through Playwright; no browser is ever
downloaded. Without it the tests are skipped, except in CI (CI=true), where they fail.
`page` (per test) is a fresh browser context in English; when a test fails, a screenshot of
its page is kept in tests/e2e/artifacts/<test>.png.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import select

from guardpath.adapters.tables import staff_users
from guardpath.bootstrap import Context, bootstrap
from guardpath.cases.model import Actor, Role
from guardpath.services import cases as cases_service
from guardpath.services import staff as staff_service
from guardpath.services.applications import ApplicationIn
from guardpath.services.demo_site import DEMO_PASSWORD, DemoLogin, prepare_demo_site
from guardpath.settings import load_settings
from guardpath.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 10_000
DEMO_CASES = 30  # enough for the statistics to draw bars, few enough to seed in ~2 s

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# The case the recruiter opens: submitted through the services, waiting for document review.
WAITING_APPLICATION: dict[str, Any] = {
    "person": {
        "given_names": "Daniel",
        "surname": "Whitaker",
        "birth_date": "1990-05-01",
        "sex": "male",
        "citizenships": ["US"],
        "passport_number": "A12345678",
        "email": "d.whitaker@example.org",
    },
    "facts": {"prior_military_service": True},
    "formation": "ngu",
    "consents": {"data_processing": True, "verification": True},
}


@dataclass(frozen=True)
class Site:
    """The running app: its address, its context, the demo logins and the waiting case."""

    url: str
    ctx: Context
    logins: dict[str, DemoLogin]
    waiting_reference: str
    waiting_id: str

    def login(self, role: Role) -> DemoLogin:
        return self.logins[f"demo-{role.value.replace('_', '-')}"]

    def code(self, role: Role) -> str:
        """A TOTP code for the role's demo login, as an authenticator app shows it now; when
        this login already used the current one (each code works once), the next, as a person
        would wait for it."""
        totp = pyotp.TOTP(self.login(role).totp_secret)
        query = select(staff_users.c.last_totp_step).where(
            staff_users.c.username == self.login(role).username
        )
        with self.ctx.engine.connect() as conn:
            used = conn.execute(query).scalar()
        while used is not None and totp.timecode(datetime.now(UTC)) <= used:
            time.sleep(0.5)
        return totp.now()


def seed(ctx: Context) -> tuple[dict[str, DemoLogin], str, str]:
    """Migrations, some invented cases, the demo logins and one submitted case."""
    logins = prepare_demo_site(ctx, cases_wanted=DEMO_CASES)
    applicant = Actor("applicant", Role.APPLICANT)
    submitted = cases_service.submit_application(
        ctx, applicant, ApplicationIn.model_validate(WAITING_APPLICATION)
    )
    return {login.username: login for login in logins}, submitted.case.reference, submitted.case.id


def free_socket() -> socket.socket:
    """A listening socket on a free port of 127.0.0.1, handed to uvicorn (no race for it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app served by uvicorn from a background thread; yields its base address."""
    sock = free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # ends when started: only catches a hang
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def running_site(data_dir: Path) -> Iterator[Site]:
    """Seed a data folder and serve it, with argon2 at its cheapest for this process only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staff_service, "HASHER", CHEAP_HASHER)
        settings = load_settings(
            env="development", data_dir=data_dir, database_url=None, keys=None, key_file=None
        )
        ctx = bootstrap(settings)
        try:
            logins, reference, case_id = seed(ctx)
            with serving(create_app(ctx=ctx)) as url:
                yield Site(url, ctx, logins, reference, case_id)
        finally:
            ctx.engine.dispose()


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("e2e") / "data") as running:
        yield running


def _no_browser(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the browser tests", pytrace=False)
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing (Debian's chromium package)")
    with chromium() as launched:
        yield launched


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test, so `page` knows at teardown whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1]) + ".png"


@pytest.fixture
def page(browser: Any, site: Site, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=site.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                opened.screenshot(
                    path=str(ARTIFACTS / artifact_name(request.node.nodeid)), full_page=True
                )
            except Exception as error:  # the page may be gone; the failure is what matters
                print(f"no screenshot: {error}")
        context.close()


def staff_login(page: Any, site: Site, role: Role) -> None:
    """Through the login form, as a person would: username, password and a TOTP code."""
    login = site.login(role)
    page.goto("/staff/login")
    page.fill("#username", login.username)
    page.fill("#password", DEMO_PASSWORD)
    page.fill("#code", site.code(role))
    page.click("button[type=submit].primary")

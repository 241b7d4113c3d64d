"""The statistics pages: analysts and admins see charts and tables of counts, nobody's record.

The app is the real one with a stand-in for the staff login (`stub_staff`, in place of
guardpath.web.stats.access.staff_user): the role named in the X-Test-Role header signs the
request in. Two tests at the end sign in for real, through the staff console's login service.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.requests import Request

from cast import application
from guardpath.adapters import audit
from guardpath.adapters.tables import audit_log
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role
from guardpath.services import cases as services
from guardpath.services.applications import ApplicationIn
from guardpath.web.app import create_app
from guardpath.web.i18n import country_name
from guardpath.web.stats.access import staff_user
from test_statistics_service import CaseRows
from web.conftest import Clock
from web.staff_fixtures import (  # noqa: F401
    Console,
    accounts_fixture,
    console_fixture,
    staff_client_fixture,
)

# A Russian serviceman who crossed over: his exposure means persecution of his family.
RUSSIAN = application("russian", phone=None)
PAGE = "/staff/statistics"
HTML = {"Accept": "text/html"}


def stub_staff(request: Request) -> SimpleNamespace | None:
    """Signs a request in as the role in its X-Test-Role header (tests only)."""
    role = request.headers.get("x-test-role")
    return SimpleNamespace(role=Role(role), username=role) if role else None


def stats_test_app(ctx: Context) -> FastAPI:
    """The application, with the stand-in login."""
    app = create_app(ctx=ctx)
    app.dependency_overrides[staff_user] = stub_staff
    return app


@pytest.fixture
def client(ctx: Context) -> Iterator[TestClient]:
    with TestClient(stats_test_app(ctx), base_url="http://localhost") as test_client:
        yield test_client


@pytest.fixture
def seeded(ctx: Context, clock: Clock) -> Context:
    """The Russian serviceman through the real services, and 80-odd cases besides, in March
    2025; then the clock moves to April, so that March has ended and is counted."""
    services.submit_application(
        ctx, Actor("applicant", Role.APPLICANT), ApplicationIn.model_validate(RUSSIAN)
    )
    rows = CaseRows(ctx.engine)
    today = ctx.clock().date()
    rows.add(40, ("US",), "ngu", "in_service", date(2024, 11, 5))
    rows.add(20, ("GB",), "afu", "probation", date(2024, 12, 9))
    rows.add(12, ("GE",), "ngu", "submitted", today)
    rows.add(7, ("PL", "US"), "afu", "medical", today)
    rows.add(3, (), "dsst", "submitted", today)
    clock.advance(days=31)
    return ctx


def as_role(role: Role | str, **headers: str) -> dict[str, str]:
    return {"X-Test-Role": Role(role).value, **HTML, **headers}


def table_rows(html: str, heading_id: str) -> dict[str, str]:
    section = html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'<th scope="row">([^<]*)</th><td class="number">([^<]*)</td>', section)
    return dict(found)


# -- the page -----------------------------------------------------------------------------------
def test_it_shows_an_analyst_charts_and_tables_of_counts(
    client: TestClient, seeded: Context
) -> None:
    page = client.get(PAGE, headers=as_role(Role.ANALYST))

    assert page.status_code == 200
    assert page.text.count("<svg") == 4
    assert page.text.count("<table") == 4
    assert "<rect" in page.text
    citizenship = table_rows(page.text, "citizenship-heading")
    assert citizenship["United States"] == "45"  # 47, dual citizens under each -> 45
    assert citizenship["Georgia"] == "10"  # 12 -> 10
    assert citizenship["Russian Federation"] == "&lt;5"
    assert citizenship["Stateless"] == "&lt;5"
    assert citizenship["Total"] == "80"  # 83 -> 80
    assert "up to March 2025" in page.text


def test_it_shows_nobody_s_name_or_passport(client: TestClient, seeded: Context) -> None:
    page = client.get(PAGE, headers=as_role(Role.ANALYST))

    for secret in ("Maksym", "Zhuravlov", "Журавльов", "AB1234567", "m.zhuravlov"):
        assert secret not in page.text


def test_it_embeds_no_script_and_no_inline_style(client: TestClient, seeded: Context) -> None:
    page = client.get(PAGE, headers=as_role(Role.ANALYST))

    assert "<script" not in page.text.lower()
    assert "<style" not in page.text.lower()
    assert not re.search(r"\sstyle\s*=", page.text, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", page.text, re.IGNORECASE)
    assert "style-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_it_lets_an_admin_in(client: TestClient, seeded: Context) -> None:
    assert client.get(PAGE, headers=as_role(Role.ADMIN)).status_code == 200


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.ANALYST, Role.ADMIN)], ids=lambda r: r.value
)
def test_it_refuses_every_other_role(client: TestClient, seeded: Context, role: Role) -> None:
    page = client.get(PAGE, headers=as_role(role))
    export = client.get(f"{PAGE}.csv?dimension=citizenship", headers=as_role(role))

    assert page.status_code == export.status_code == 403
    assert "United States" not in page.text + export.text


def test_it_sends_an_anonymous_browser_to_the_login(client: TestClient, seeded: Context) -> None:
    page = client.get(PAGE, headers=HTML, follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"] == "/staff/login"


def test_it_refuses_an_anonymous_download(client: TestClient, seeded: Context) -> None:
    assert client.get(f"{PAGE}.csv?dimension=state").status_code == 403


def test_it_filters_by_formation_and_months_of_intake(client: TestClient, seeded: Context) -> None:
    query = "?formation=ngu&start=2024-11&end=2024-11"
    page = client.get(PAGE + query, headers=as_role(Role.ANALYST))

    assert table_rows(page.text, "citizenship-heading") == {"United States": "40", "Total": "40"}
    assert table_rows(page.text, "month-heading") == {"November 2024": "40", "Total": "40"}
    assert '<option value="ngu" selected>' in page.text
    assert 'value="2024-11"' in page.text
    assert "statistics.csv?dimension=state&amp;formation=ngu&amp;start=2024-11&amp;end=2024-11" in (
        page.text
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2024-13&end=2024-01", "The first month is not a month (YYYY-MM)."),
        ("?start=2024-11-05", "The first month is not a month (YYYY-MM)."),
        ("?end=November", "The last month is not a month (YYYY-MM)."),
        ("?start=2024-12&end=2024-11", "The first month comes after the last."),
    ],
)
def test_it_explains_a_filter_it_cannot_read(
    client: TestClient, seeded: Context, query: str, message: str
) -> None:
    page = client.get(PAGE + query, headers=as_role(Role.ANALYST))

    assert page.status_code == 400
    assert message in page.text
    assert "<svg" not in page.text


def test_it_leaves_out_the_month_in_progress(
    client: TestClient, seeded: Context, clock: Clock
) -> None:
    clock.advance(days=-31)  # back in March 2025: March has not ended
    page = client.get(PAGE, headers=as_role(Role.ANALYST))

    assert table_rows(page.text, "citizenship-heading") == {
        "United States": "40",
        "United Kingdom": "20",
        "Total": "60",
    }
    assert "up to February 2025" in page.text


def test_it_says_when_nothing_matches(client: TestClient, seeded: Context) -> None:
    page = client.get(PAGE + "?start=2020-01&end=2020-12", headers=as_role(Role.ANALYST))

    assert page.status_code == 200
    assert page.text.count("No cases match these filters.") == 4


def test_it_speaks_ukrainian(client: TestClient, seeded: Context) -> None:
    page = client.get(PAGE + "?lang=uk", headers=as_role(Role.ANALYST))

    assert "Справи за громадянством" in page.text
    citizenship = table_rows(page.text, "citizenship-heading")
    assert citizenship[country_name("US", "uk")] == "45"
    assert citizenship["Особа без громадянства"] == "&lt;5"
    assert table_rows(page.text, "month-heading")["листопад 2024"] == "40"
    assert "Національна гвардія" in page.text


# -- the CSV ------------------------------------------------------------------------------------
def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_it_exports_a_breakdown_as_csv_with_the_same_suppression(
    client: TestClient, seeded: Context
) -> None:
    export = client.get(f"{PAGE}.csv?dimension=citizenship", headers=as_role(Role.ANALYST))

    assert export.status_code == 200
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"] == (
        'attachment; filename="guardpath-cases-by-citizenship.csv"'
    )
    assert read_csv(export.text) == [
        ["Code", "Citizenship", "Cases"],
        ["US", "United States", "45"],  # 47 -> 45
        ["GB", "United Kingdom", "20"],
        ["GE", "Georgia", "10"],  # 12 -> 10
        ["PL", "Poland", "x"],
        ["RU", "Russian Federation", "<5"],
        ["stateless", "Stateless", "<5"],
        ["total", "Total", "80"],  # 83 -> 80
    ]


def test_it_exports_filtered_months_in_ukrainian(client: TestClient, seeded: Context) -> None:
    query = "dimension=month&formation=afu&start=2024-01&end=2024-12&lang=uk"
    export = client.get(f"{PAGE}.csv?{query}", headers=as_role(Role.ANALYST))

    assert read_csv(export.text) == [
        ["Код", "Місяць", "Справ"],
        ["2024-12", "грудень 2024", "20"],
        ["total", "Усього", "20"],
    ]
    assert (
        "guardpath-cases-by-month-afu-2024-01-to-2024-12.csv"
        in (export.headers["content-disposition"])
    )


def test_it_refuses_an_unknown_breakdown(client: TestClient, seeded: Context) -> None:
    assert (
        client.get(f"{PAGE}.csv?dimension=name", headers=as_role(Role.ANALYST)).status_code == 422
    )


# -- through the staff console's real login --------------------------------------------------
def test_it_admits_an_analyst_signed_in_for_real(console: Console, seeded: Context) -> None:
    page = console.as_role(Role.ANALYST).get(PAGE)

    assert page.status_code == 200
    assert page.text.count("<svg") == 4


def test_it_refuses_a_recruiter_signed_in_for_real(console: Console, seeded: Context) -> None:
    page = console.as_role(Role.RECRUITER).get(PAGE)

    assert page.status_code == 403
    assert "United States" not in page.text


# -- who looked: every view and export in the audit chain ---------------------------------------
def statistics_entries(ctx: Context) -> list[tuple[str, str, str, dict[str, object]]]:

    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log).where(audit_log.c.subject == "statistics").order_by(audit_log.c.seq)
        )
        return [(r.action, r.actor_id, r.role, r.details) for r in rows]


def test_it_records_each_view_and_export_with_its_filters(client: TestClient, ctx: Context):
    query = "?formation=ngu&start=2024-11&end=2024-11"
    assert client.get(PAGE + query, headers=as_role(Role.ANALYST)).status_code == 200
    csv_query = "?dimension=citizenship&start=2024-01&end=2024-12"
    assert client.get(PAGE + ".csv" + csv_query, headers=as_role(Role.ADMIN)).status_code == 200
    refused = client.get(PAGE + "?start=2024-13", headers=as_role(Role.ANALYST))
    assert refused.status_code == 400

    assert statistics_entries(ctx) == [
        (
            "view_statistics",
            "analyst",
            "analyst",
            {"formation": "ngu", "start": "2024-11-01", "end": "2024-11-30"},
        ),
        (
            "export_statistics",
            "admin",
            "admin",
            {
                "formation": None,
                "start": "2024-01-01",
                "end": "2024-12-31",
                "dimension": "citizenship",
            },
        ),
    ]
    with ctx.engine.connect() as conn:
        assert audit.verify(conn, ctx.keyring).ok

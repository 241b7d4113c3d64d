"""The what-if page: an analyst uploads a draft, sees it checked, and sees its impact on the
cases and on a demo population as suppressed counts; the run over the cases is audited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role
from guardpath.web.i18n import translations
from web.staff_fixtures import (  # noqa: F401
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)

PATH = "/staff/what-if"
DRAFTS = Path(__file__).resolve().parents[2] / "examples" / "drafts"
SIXTY = (DRAFTS / "contracts-60-plus-foreigners.yaml").read_text()
FORM = {"question": "enlistment", "on": "2026-03-01", "people": "2000", "seed": "3"}


def test_it_shows_the_impact_on_the_cases_and_the_demo_population(
    console: Console, seeded: Seeded, ctx
) -> None:
    for _ in range(3):
        seeded.submit()
    console.as_role(Role.ANALYST)

    page = console.post(PATH, {**FORM, "draft_text": SIXTY})

    assert page.status_code == 200, page.text
    assert "The draft loads" in page.text
    assert "enlistment.common.age: replaced from 2025-09-01" in page.text
    assert "Law 4467-IX (adopted 2025-07-16), read as covering foreigners" in page.text
    assert 'id="impact-cases"' in page.text and 'id="impact-demo"' in page.text
    cases = page.text.split('id="impact-cases"', 1)[1].split('id="impact-demo"', 1)[0]
    assert '<span class="people">&lt;5</span>' in cases  # three cases: a small total
    demo = page.text.split('id="impact-demo"', 1)[1]
    assert '<span class="people">2\u202f000</span>' in demo
    assert "Not eligible → Eligible" in demo and "<rect" in demo
    for secret in ("Maksym", "Zhuravlov", "AB1234567"):
        assert secret not in page.text
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.action, audit_log.c.subject)).all()
    assert ("what_if_cases", "cases") in [tuple(r) for r in rows]


def test_it_refuses_a_draft_that_does_not_load_and_evaluates_nothing(console: Console, ctx) -> None:
    console.as_role(Role.ANALYST)
    bad = SIXTY.replace("martial_law()", "martial_law(1)")

    page = console.post(PATH, {**FORM, "draft_text": bad, "draft_name": "sixty.yaml"})

    assert page.status_code == 400
    assert "The draft does not load" in page.text
    assert "sixty.yaml: enlistment.common.age" in page.text or "sixty.yaml: changes[0]" in page.text
    assert 'id="impact-cases"' not in page.text
    with ctx.engine.connect() as conn:
        assert "what_if_cases" not in conn.execute(select(audit_log.c.action)).scalars().all()


def test_it_gives_the_aggregates_as_csv(console: Console, seeded: Seeded) -> None:
    console.as_role(Role.ANALYST)

    answer = console.post(f"{PATH}.csv", {**FORM, "draft_text": SIXTY})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0] == ["Population", "Table", "Code", "Name", "People"]
    assert ["demo", "total", "people", "People", "2000"] in rows
    assert any(r[0] == "demo" and r[1] == "age_band" and r[2] == "61 and over" for r in rows)


def test_it_admits_analysts_and_admins_only(console: Console) -> None:
    assert console.as_role(Role.ADMIN).get(PATH).status_code == 200
    assert console.as_role(Role.RECRUITER).get(PATH).status_code == 403
    refused = console.as_role(Role.RECRUITER).post(PATH, {**FORM, "draft_text": SIXTY})
    assert refused.status_code == 403


def test_it_speaks_ukrainian(console: Console) -> None:
    console.as_role(Role.ANALYST)
    page = console.get(PATH, headers={"Accept-Language": "uk"})
    heading = translations("uk").gettext("What if the law changes?")
    assert heading != "What if the law changes?" and heading in page.text

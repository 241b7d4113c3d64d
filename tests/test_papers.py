"""A case's papers as PDFs in Ukrainian and English: the contract draft with the law's terms, the
certificate of service and the citizenship packet; read back with pypdf, downloaded only by
roles that may open the case, and every download in the audit log."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from guardpath import words
from guardpath.adapters.tables import audit_log
from guardpath.cases.model import Role, State
from guardpath.papers import fonts
from guardpath.web import i18n
from web import conftest as web
from web.staff_fixtures import (  # noqa: F401
    BELARUSIAN,
    Console,
    Seeded,
    accounts_fixture,
    console_fixture,
    seeded_fixture,
    staff_client_fixture,
)

# The web fixtures this module needs, from the web tests' conftest.
settings, clock, ctx, app = web.settings, web.clock, web.ctx, web.app
PAPERS = Path(fonts.__file__).parent
PAPER_TABLES = {"LENGTH_FOR", "PROOF_OF_ROUTE"}
"""The papers' own tables of words; the names of codes they print come from the vocabulary."""
VOCABULARY = (
    words.FORMATIONS_IN_FULL,
    words.RANK_GROUPS_IN_FULL,
    words.STATES_IN_FULL,
    words.BASES,
    words.OUTCOMES,
    words.CITIZENSHIP_STATES,
)


def url(case_id: str, kind: str, lang: str) -> str:
    return f"/staff/cases/{case_id}/papers/{lang}/{kind}.pdf"


def text_of(content: bytes) -> str:
    """The PDF's text, pages joined, with line breaks and runs of spaces made single spaces."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def downloads(ctx) -> list[tuple[str, str, str, dict]]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(
                audit_log.c.actor_id, audit_log.c.role, audit_log.c.subject, audit_log.c.details
            ).where(audit_log.c.action == "download_paper")
        )
        return [tuple(r) for r in rows]


@pytest.fixture
def serving(seeded: Seeded) -> str:
    """Siarhei Kavalenka, a Belarusian volunteer, on probation in the NGU since 2025-03-01."""
    case_id = seeded.submit(BELARUSIAN)
    seeded.advance(case_id, State.PROBATION)
    return case_id


# -- the contract ----------------------------------------------------------------------------
def test_it_drafts_the_signed_contract_in_ukrainian_with_the_laws_terms(
    console: Console, serving: str
):
    console.as_role(Role.COMMANDER)

    text = text_of(console.get(url(serving, "contract", "uk")).content)

    assert "Контракт про проходження військової служби" in text
    assert "Siarhei Kavalenka (Сяргей Каваленка)" in text
    assert "Національна гвардія України" in text
    assert "10 травня 1988 р." in text
    assert "Білорусь" in text
    assert "MP 3456789" in text
    assert "Рядовий склад" in text
    assert "3 роки, з 1 березня 2025 р. по 1 березня 2028 р." in text  # Decree 84/2024
    assert "2 місяці, до 1 травня 2025 р." in text
    assert "Указ Президента України № 84/2024" in text
    assert "Decree 84/2024" not in text  # the act by its Ukrainian title
    assert "Військовослужбовець (підпис)" in text
    assert "Сторінка 1 з 1" in text


def test_it_drafts_an_unsigned_contract_in_english_with_each_rank_groups_terms(
    console: Console, seeded: Seeded
):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    text = text_of(console.get(url(case_id, "contract", "en")).content)

    assert "Contract for military service: draft" in text
    assert "Maksym Zhuravlov (Максим Журавльов)" in text
    assert "Russian Federation" in text
    assert "to be set at approval" in text
    assert "Length for privates 3 years" in text
    assert "Length for sergeants and petty officers 3 to 5 years" in text
    assert "Length for officers not set by the law on this date" in text
    assert "Probation 2 months" in text
    assert "Law 4019-IX, officer posts opened; no term found (unverified)" in text
    assert "Not yet verified against the official text: Law 4019-IX" in text
    assert "Page 1 of 1" in text


# -- the certificate ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "uk",
            [
                "Довідка про проходження служби",
                "Сяргей Каваленка",
                "Національна гвардія України, контракт: з 1 березня 2025 р. по теперішній час",
                "На службі, випробувальний строк",
                "Підписано 1 березня 2025 р. на 3 роки",
                "Дата видачі 1 березня 2025 р.",
            ],
        ),
        (
            "en",
            [
                "Certificate of service",
                "Siarhei Kavalenka",
                "National Guard of Ukraine, contract: from March 1, 2025 to date",
                "In service, on probation",
                "Signed on March 1, 2025 for 3 years",
                "Issued on March 1, 2025",
            ],
        ),
    ],
)
def test_it_certifies_the_service(console: Console, serving: str, lang: str, expected: list):
    console.as_role(Role.COMMANDER)

    text = text_of(console.get(url(serving, "service-certificate", lang)).content)

    for shown in expected:
        assert shown in text
    assert "MP 3456789" not in text  # the certificate names the person, not the passport


# -- the citizenship packet ------------------------------------------------------------------
def test_it_packs_the_citizenship_route_and_obligations_in_ukrainian(
    console: Console, serving: str
):
    console.as_role(Role.MIGRATION_OFFICER)

    text = text_of(console.get(url(serving, "citizenship-packet", "uk")).content)

    assert "Пакет документів для заяви про набуття громадянства" in text
    assert "Сяргей Каваленка" in text
    assert "Результат на сьогодні Не визначено" in text  # the award is not known
    assert "Бракує даних державна нагорода" in text
    assert "state_award" not in text
    assert "Один рік служби за контрактом під час воєнного стану" in text  # Law 4502-IX
    assert "Закон України № 4502-IX (законопроєкт № 10425)" in text
    assert "Найраніша дата 1 березня 2026 р." in text
    assert "Декларація замість припинення іноземного громадянства" in text
    assert "Іспити протягом 2 років після припинення воєнного стану" in text  # from 2024-08-25
    assert "Вимога закону:" in text and "Практична порада:" in text
    assert "Військовий квиток як підтвердження законного перебування в Україні" in text
    assert "Закон України № 2743-VIII" in text
    assert "Громадяни Росії та Білорусі: підтвердження припинення громадянства" in text
    assert "(не перевірено)" in text  # the act of the proof of termination is not established
    assert "Ще не звірено з офіційним текстом:" in text
    assert "Закон України за законопроєктом № 9585" in text
    assert "Law " not in text and "Decree " not in text


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("contract", Role.COMMANDER),
        ("service-certificate", Role.COMMANDER),
        ("citizenship-packet", Role.MIGRATION_OFFICER),
    ],
)
def test_it_writes_the_ukrainian_papers_without_an_english_word_or_a_code(
    console: Console, serving: str, kind: str, role: Role
):
    console.as_role(role)

    text = text_of(console.get(url(serving, kind, "uk")).content)

    # What stays in Latin script is not language: the person's name and passport as the
    # passport writes them, the case reference, act numbers, addresses, the law version.
    for own in ("Siarhei", "Kavalenka", "MP 3456789"):
        text = text.replace(own, " ")
    text = re.sub(r"https?://\S+|GP-\w+|\b\d+-[IVX]+\b|\b[0-9a-f]{6,16}\b|guardpath", " ", text)
    assert re.findall(r"[A-Za-z]\w*", text) == []


def test_it_packs_the_citizenship_route_and_obligations_in_english(console: Console, serving: str):
    console.as_role(Role.MIGRATION_OFFICER)

    text = text_of(console.get(url(serving, "citizenship-packet", "en")).content)

    assert "Citizenship application packet" in text
    assert "Outcome today Undetermined" in text
    assert "Route One year of contract service during martial law" in text
    assert "Earliest date March 1, 2026" in text
    assert "Declaration instead of terminating foreign citizenship" in text
    assert "Exams within 2 years after martial law ends" in text  # from 2024-08-25
    assert "The signed declaration: Declaration instead of terminating" in text
    assert "Your military ID, as proof of legal stay in Ukraine" in text
    assert "Recent photographs, passport style" in text
    assert "Not yet verified against the official text:" in text and "Law from bill 9585" in text


def test_it_says_a_russians_route_opens_while_applications_are_suspended(
    console: Console, seeded: Seeded
):
    case_id = seeded.submit()
    seeded.advance(case_id, State.PROBATION)
    console.as_role(Role.MIGRATION_OFFICER)

    text = text_of(console.get(url(case_id, "citizenship-packet", "en")).content)

    assert "Maksym Zhuravlov (Максим Журавльов)" in text
    assert "Route One year of contract service during martial law" in text
    assert "The route opens on March 1, 2026" in text
    assert "Outcome on that date Undetermined" in text
    assert "Earliest date not known yet" in text
    assert "exceptions to the suspension of citizenship applications from Russian" in text
    assert "russian_citizens_exceptions" not in text  # the question in words, not its id


# -- who may download, and the log -----------------------------------------------------------
def test_it_logs_a_recruiters_download_as_a_no_store_attachment(
    console: Console, seeded: Seeded, ctx
):
    case_id = seeded.submit()
    reference = seeded.case(case_id).reference
    console.as_role(Role.RECRUITER)

    download = console.get(url(case_id, "contract", "uk"))

    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["cache-control"] == "no-store"
    disposition = download.headers["content-disposition"]
    assert disposition == f'attachment; filename="{reference}-contract-uk.pdf"'
    assert "Zhuravlov" not in disposition
    details = {"paper": "contract", "language": "uk", "reference": reference}
    assert downloads(ctx) == [(console.session.user_id, "recruiter", case_id, details)]


def test_it_refuses_an_analyst_and_logs_nothing(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.ANALYST)

    refused = console.get(url(case_id, "contract", "en"))

    assert refused.status_code == 403
    assert not refused.content.startswith(b"%PDF")
    assert "Zhuravlov" not in refused.text
    assert downloads(ctx) == []


def test_it_refuses_a_role_that_does_not_work_the_case_yet(console: Console, seeded: Seeded, ctx):
    case_id = seeded.submit()
    console.as_role(Role.MEDICAL_OFFICER)

    assert console.get(url(case_id, "contract", "en")).status_code == 403
    assert downloads(ctx) == []


@pytest.mark.parametrize(("kind", "lang"), [("passport", "en"), ("contract", "de")])
def test_it_knows_only_its_papers_and_languages(console: Console, seeded: Seeded, kind, lang):
    case_id = seeded.submit()
    console.as_role(Role.RECRUITER)

    assert console.get(url(case_id, kind, lang)).status_code == 404


def test_it_names_the_package_to_install_when_the_fonts_are_missing(
    console: Console, seeded: Seeded, ctx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    case_id = seeded.submit()
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    console.as_role(Role.RECRUITER)

    answer = console.get(url(case_id, "contract", "en"))

    assert answer.status_code == 503
    assert "fonts-dejavu-core" in answer.text
    assert downloads(ctx) == []


def test_it_links_the_papers_from_the_case_page(console: Console, serving: str):
    console.as_role(Role.COMMANDER)

    page = console.get(f"/staff/cases/{serving}")

    for kind in ("contract", "service-certificate", "citizenship-packet"):
        for lang in ("uk", "en"):
            assert url(serving, kind, lang) in page.text


# -- the words -------------------------------------------------------------------------------
def paper_messages() -> list[str]:
    """Every message id in the papers' code (`_("...")` calls and the tables of words), and
    the vocabulary's names of the codes the papers print."""
    found: list[str] = [message for table in VOCABULARY for message in table.values()]
    for path in sorted(PAPERS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                found += [a.value for a in node.args[:1] if isinstance(a, ast.Constant)]
            table = isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            if table and getattr(node.targets[0], "id", None) in PAPER_TABLES:
                found += [v.value for v in node.value.values if isinstance(v, ast.Constant)]
    return list(dict.fromkeys(found))


def test_it_has_every_word_of_the_papers_in_ukrainian():
    ukrainian = i18n.translations("uk")

    assert len(paper_messages()) > 80
    assert [m for m in paper_messages() if ukrainian.gettext(m) == m] == []


# -- a look at the pages ---------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_it_renders_each_paper_to_an_image(console: Console, serving: str, tmp_path: Path):
    console.as_role(Role.COMMANDER)
    for kind in ("contract", "service-certificate"):
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(console.get(url(serving, kind, "uk")).content)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", pdf, tmp_path / kind],
            check=True,
        )
        (png,) = tmp_path.glob(f"{kind}*.png")
        assert png.read_bytes().startswith(b"\x89PNG")

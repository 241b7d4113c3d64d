"""Names in every script on the papers: Chinese, Arabic and Hebrew native names come out of the
PDF as they went in (read back with poppler's pdftotext, rendered with pdftoppm), shaped and in
their direction; a script no installed font has is refused by name; and no font warning carries
a name into a log.

The fonts are Debian's (fonts-dejavu-core, fonts-droid-fallback) and poppler-utils, installed by
.ci/run; without them these tests are skipped, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from guardpath.cases.model import Role, State
from guardpath.papers import fonts
from test_papers import downloads, url
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

settings, clock, ctx, app = web.settings, web.clock, web.ctx, web.app
NAMES = {
    "chinese": ("Wang", "Xiaoming", "王小明"),
    "arabic": ("Muhammad", "Ali", "محمد علي"),
    "hebrew": ("David", "Cohen", "דוד כהן"),
}
THAI = ("Somchai", "Srisuk", "สมชาย ศรีสุข")
MISSING = [
    name
    for name, present in {
        "pdftotext (poppler-utils)": shutil.which("pdftotext"),
        "DejaVu Sans (fonts-dejavu-core)": all(p.is_file() for p in fonts.font_files().values())
        if fonts.FONT_DIRS[0].is_dir()
        else False,
        "Droid Sans Fallback (fonts-droid-fallback)": fonts.FALLBACK_FILES[0].is_file(),
    }.items()
    if not present
]
if MISSING and os.environ.get("CI") != "true":
    pytestmark = pytest.mark.skip(reason=f"not installed: {', '.join(MISSING)}")


def applicant(given: str, surname: str, native: str) -> dict[str, Any]:
    person = {**BELARUSIAN["person"], "given_names": given, "surname": surname}
    return {**BELARUSIAN, "person": {**person, "native_name": native}}


def serving(seeded: Seeded, name: tuple[str, str, str]) -> str:
    case_id = seeded.submit(applicant(*name))
    seeded.advance(case_id, State.PROBATION)
    return case_id


def pdf_text(content: bytes, folder: Path) -> str:
    pdf = folder / "paper.pdf"
    pdf.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def records() -> Any:
    """Every log record at every level, and every warning, while a test runs."""
    root = logging.getLogger()
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler, level = Keep(logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield seen
        seen.extend(str(w.message) for w in caught)
    root.removeHandler(handler)
    root.setLevel(level)


def leaks(seen: list[str], native: str) -> list[str]:
    """Log lines that hold a character of the name, itself or as a glyph name (`uni05D5`,
    `uni05D505D0`, `u1F600`) or an escape (`\\u05d5`, `U+05D5`, `&#x5d5;`). A bare run of hex
    digits is not one: a case's random id in a request's address holds such runs by chance."""
    marks = {c for c in native if not c.isspace()}
    codes = "|".join(f"0*{ord(c):x}" for c in marks)
    escaped = re.compile(rf"(?:\buni(?:[0-9a-f]{{4}})*|\bu|\\u|u\+|&#x)(?:{codes})", re.IGNORECASE)
    return [line for line in seen if marks & set(line) or escaped.search(line)]


@pytest.mark.parametrize("script", list(NAMES))
def test_it_sets_a_native_name_in_its_own_script(
    console: Console, seeded: Seeded, tmp_path: Path, script: str, records: list[str]
) -> None:
    given, surname, native = NAMES[script]
    case_id = serving(seeded, NAMES[script])
    console.as_role(Role.COMMANDER)

    for kind in ("service-certificate", "contract"):
        answer = console.get(url(case_id, kind, "en"))
        assert answer.status_code == 200
        text = pdf_text(answer.content, tmp_path)
        assert f"{given} {surname}" in text
        assert native in text  # every letter, in reading order

    assert records, "the handler saw nothing: the capture is broken"
    assert leaks(records, native) == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_it_renders_right_to_left_and_east_asian_names(
    console: Console, seeded: Seeded, tmp_path: Path
) -> None:
    console.as_role(Role.COMMANDER)
    for script, name in NAMES.items():
        pdf = tmp_path / f"{script}.pdf"
        pdf.write_bytes(
            console.get(url(serving(seeded, name), "service-certificate", "uk")).content
        )
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, pdf], check=True)
        (png,) = tmp_path.glob(f"{script}.pdf*.png")
        assert png.read_bytes().startswith(b"\x89PNG")
        fonts_used = subprocess.run(["pdffonts", pdf], check=True, capture_output=True, text=True)
        expected = "DroidSansFallback" if script == "chinese" else "DejaVuSans"
        assert expected in fonts_used.stdout


def test_it_refuses_a_script_no_installed_font_has_and_says_which(
    console: Console,
    seeded: Seeded,
    ctx: Any,
    monkeypatch: pytest.MonkeyPatch,
    records: list[str],
) -> None:
    monkeypatch.setattr(fonts, "NOTO_DIRS", ())  # as on a server without fonts-noto-core
    case_id = seeded.submit(applicant(*THAI))
    console.as_role(Role.RECRUITER)

    answer = console.get(url(case_id, "contract", "en"))

    assert answer.status_code == 503
    assert "cannot set the Thai script" in answer.text
    assert "fonts-noto-core" in answer.text
    assert not {c for c in THAI[2] if not c.isspace()} & set(answer.text)
    assert THAI[0] not in answer.text
    assert downloads(ctx) == []
    assert leaks(records, THAI[2]) == []


def test_the_script_refusal_speaks_the_consoles_ukrainian(
    console: Console, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "NOTO_DIRS", ())
    case_id = seeded.submit(applicant(*THAI))
    console.as_role(Role.RECRUITER)

    answer = console.get(url(case_id, "contract", "uk"), headers={"Accept-Language": "uk"})

    assert answer.status_code == 503
    assert answer.text.startswith("PDF-документи не можуть набрати письмо Thai:")
    assert "apt-get install fonts-noto-core" in answer.text
    assert THAI[0] not in answer.text


def test_a_bare_pdf_drops_the_name_and_logs_it(
    tmp_path: Path, records: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control for the tests above: without the papers' check and their logger levels,
    # fpdf2 drops the Thai letters it has no glyph for and names them in a warning, and
    # fontTools names every glyph it keeps: the leaks the papers prevent.
    for name in ("fpdf", "fontTools"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    pdf = FPDF()
    pdf.add_font("DejaVu", "", fonts.font_files()[""])
    pdf.add_page()
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(text=THAI[2])
    content = bytes(pdf.output())

    assert THAI[2] not in pdf_text(content, tmp_path)
    assert leaks(records, THAI[2]) != []

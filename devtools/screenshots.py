"""Screenshots of the public pages for docs/pages/: the guided check's question, its answer and
the application's confirmation, in English and Ukrainian.

Serves the app on a temporary SQLite folder (development keys) and drives Debian's Chromium
(/usr/bin/chromium) through Playwright, as the browser tests do; redo them after a change:

    .venv/bin/python devtools/screenshots.py [--out docs/pages]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import sync_playwright

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.settings import load_settings
from guardpath.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1024, "height": 860}
PERSON = json.loads((ROOT / "examples" / "american-volunteer.json").read_text())


@contextmanager
def serving() -> Iterator[str]:
    """The app on a fresh data folder, served from a thread; yields its address."""
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            env="development", data_dir=Path(folder), database_url=None, keys=None, key_file=None
        )
        ctx = bootstrap(settings)
        upgrade(ctx.engine)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        server = uvicorn.Server(uvicorn.Config(create_app(ctx=ctx), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            ctx.engine.dispose()


def answer(page: Any, fact: str, value: Any) -> None:
    if fact in ("birth_date", "stay_valid_until"):
        page.fill(f"#i-{fact}", value)
    elif fact == "citizenships":
        page.select_option("#i-citizenships", value[0])
    else:
        page.check(f"input[name={fact}][value={ {True: 'yes', False: 'no'}.get(value, value) }]")


def interview(page: Any, out: Path, lang: str) -> None:
    page.goto(f"/check?lang={lang}")
    with page.expect_navigation():
        page.click("button[name=go][value=start]")
    shot = 0
    while page.locator("input[name=current]").count():
        fact = page.locator("input[name=current]").first.get_attribute("value")
        shot += 1
        if shot == 3:
            page.screenshot(path=str(out / f"interview-question-{lang}.png"))
        answer(page, fact, PERSON[fact])
        with page.expect_navigation():
            page.click("#question-form button[name=go][value=answer]")
    page.screenshot(path=str(out / f"interview-answer-{lang}.png"))


def a_pdf() -> bytes:
    stream = b"BT /F1 24 Tf 72 720 Td (Passport) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def application(page: Any, out: Path) -> None:
    """Apply as an invented volunteer, then the confirmation in both languages."""
    page.goto("/apply?lang=en")
    page.click("form[action='/apply/start'] button")
    page.fill("#i-given_names", "Jonathan")
    page.fill("#i-surname", "Reyes")
    page.fill("#i-birth_date", "1992-11-03")
    page.check("input[name=sex][value=male]")
    page.select_option("#i-citizenships", "US")
    page.fill("#i-passport_number", "567890123")
    page.fill("#i-email", "j.reyes@example.org")
    page.click("button[name=go][value=next]")
    page.wait_for_url("**/apply/stay")
    page.select_option("#i-stay_basis", "temporary_residence_permit")
    page.fill("#i-stay_valid_until", (date.today() + timedelta(days=1000)).isoformat())
    page.check("input[name=previously_convicted][value=no]")
    page.check("input[name=prior_military_service][value=yes]")
    page.click("button[name=go][value=next]")
    page.wait_for_url("**/apply/formation")
    page.check("input[name=formation][value=ngu]")
    page.select_option("#i-rank_group", "private")
    page.click("button[name=go][value=next]")
    page.wait_for_url("**/apply/documents")
    page.select_option("#i-kind", "passport")
    page.set_input_files(
        "#i-file", {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}
    )
    page.click("form[action='/apply/documents/upload'] button[type=submit]")
    page.click("a.button.primary[href='/apply/review']")
    page.check("input[name=data_processing]")
    page.check("input[name=verification]")
    page.click("#consents button.primary[type=submit]")
    page.wait_for_url("**/apply/sent")
    page.screenshot(path=str(out / "confirmation-en.png"))
    page.click("nav.languages a[hreflang=uk]")
    page.wait_for_url("**/apply/sent?lang=uk")
    page.screenshot(path=str(out / "confirmation-uk.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "pages")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with serving() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        for lang in ("en", "uk"):
            context = browser.new_context(base_url=url, viewport=VIEWPORT, locale="en-GB")
            interview(context.new_page(), out, lang)
            context.close()
        context = browser.new_context(base_url=url, viewport=VIEWPORT, locale="en-GB")
        application(context.new_page(), out)
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()

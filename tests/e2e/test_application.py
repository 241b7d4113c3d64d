"""A whole application in a real browser: every step, a PDF upload, the reference and the
resume code, and the status page opened with both."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def minimal_pdf(text: str = "Passport") -> bytes:
    """A small but complete PDF: one page with a line of text, and a correct xref table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
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


def save_and_continue(page: Any, next_step: str) -> None:
    page.click("button[name=go][value=next]")
    page.wait_for_url(f"**/apply/{next_step}")


def test_an_application_through_every_step_then_its_status(page: Any) -> None:
    page.goto("/apply")
    page.click("form[action='/apply/start'] button")
    page.wait_for_url("**/apply/about")
    expect(page.locator("ol.steps li.here")).to_have_text("About you")

    page.fill("#i-given_names", "Jonathan")
    page.fill("#i-surname", "Reyes")
    page.fill("#i-native_name", "")
    page.fill("#i-birth_date", "1992-11-03")
    page.check("input[name=sex][value=male]")
    page.select_option("#i-citizenships", "US")
    page.fill("#i-passport_number", "567890123")
    page.fill("#i-email", "j.reyes@example.org")
    save_and_continue(page, "stay")

    page.select_option("#i-stay_basis", "temporary_residence_permit")
    page.fill("#i-stay_valid_until", (date.today() + timedelta(days=3 * 365)).isoformat())
    page.check("input[name=previously_convicted][value=no]")
    page.check("input[name=prior_military_service][value=yes]")
    save_and_continue(page, "formation")

    page.check("input[name=formation][value=ngu]")
    page.select_option("#i-rank_group", "private")
    save_and_continue(page, "documents")

    pdf = minimal_pdf()
    page.select_option("#i-kind", "passport")
    page.set_input_files(
        "#i-file", {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.click("form[action='/apply/documents/upload'] button[type=submit]")
    page.wait_for_url("**/apply/documents")
    row = page.locator("table#documents tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("passport.pdf")
    expect(row.locator("td").nth(2)).to_have_text("PDF")
    page.click("a.button.primary[href='/apply/review']")
    page.wait_for_url("**/apply/review")

    expect(page.locator("main")).to_contain_text("Reyes")
    page.check("input[name=data_processing]")
    page.check("input[name=verification]")
    page.click("#consents button.primary[type=submit]")

    reference = page.locator("#reference")
    code = page.locator("#resume-code")
    expect(reference).to_have_text(re.compile(r"^GP-[0-9A-Z]+$"))
    expect(code).to_be_visible()
    reference_text, code_text = reference.inner_text().strip(), code.inner_text().strip()
    assert reference_text.startswith("GP-")
    assert len(code_text.replace("-", "")) == 16

    # The language switch stays on the confirmation and shows the same two, in Ukrainian.
    page.click("nav.languages a[hreflang=uk]")
    page.wait_for_url("**/apply/sent?lang=uk")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("#reference")).to_have_text(reference_text)
    expect(page.locator("#resume-code")).to_have_text(code_text)
    page.go_back()  # Back: the confirmation again, never a resent application or an error
    expect(page.locator("#reference")).to_have_text(reference_text)
    page.click("nav.languages a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#resume-code")).to_have_text(code_text)

    page.click("a.button[href='/status']")
    page.wait_for_url("**/status")
    page.fill("#i-reference", reference_text)
    page.fill("#i-code", code_text)
    page.click("form[action='/status'] button[type=submit]")
    expect(page.locator("#state .verdict")).to_have_text("Received")
    expect(page.locator("#state")).to_contain_text(reference_text)
    expect(page.locator("#history li")).to_have_count(1)

"""The bad-input catalogue: the public pages' and the staff console's cases."""

from __future__ import annotations

from typing import Any

from web.staff_fixtures import (
    PDF,
)

from .bad_input_world import ABOUT, PNG, TOMORROW, Bad, Refusal, Send, World, page_errors
from .snapshot import (
    draft_keeps_what_was_typed,
    staff_reads_are_logged,
)


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

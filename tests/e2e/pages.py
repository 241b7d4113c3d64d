"""Every page the accessibility tests visit: one list for the public pages, one for the staff
pages by role. A new page is one more `Visit` here.

A visit opens `path` (`{case}` is a case the role may open) and, with `submit`, posts the form
that selector finds as a browser would without its own checks (so the page with the form's
errors is visited too). `draft` visits need an application started in the same browser.
`clicks` are buttons pressed in turn after the page opens; `walk` names a person of the cast
who answers the guided check's questions until its answer (tests/e2e/test_interview.py), or
is "application" to send the application begun and reach its confirmation
(tests/e2e/application_walk.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from guardpath.cases.model import Role


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    submit: str | None = None
    draft: bool = False
    fill: tuple[tuple[str, str], ...] = ()
    clicks: tuple[str, ...] = ()
    walk: str | None = None


START = "button[name=go][value=start]"
ANSWER = "#question-form button[name=go][value=answer]"
FORGET = "form[action='/apply/sent/done'] button"


PUBLIC_PAGES: tuple[Visit, ...] = (
    Visit("home", "/"),
    Visit("self-check", "/check"),
    Visit("self-check: a question", "/check", clicks=(START,)),
    Visit("self-check: a question left unanswered", "/check", clicks=(START, ANSWER, ANSWER)),
    Visit("self-check: you can apply", "/check", walk="american"),
    Visit("self-check: not eligible", "/check", walk="too young"),
    Visit("self-check, all at once", "/check/all"),
    Visit("self-check, all at once, answered", "/check/all", submit="form[action='/check/all']"),
    Visit("citizenship check", "/check/citizenship"),
    Visit("citizenship check: a question", "/check/citizenship", clicks=(START,)),
    Visit("citizenship check: its answer", "/check/citizenship", walk="british"),
    Visit("citizenship check, all at once", "/check/citizenship/all"),
    Visit(
        "citizenship check, all at once, answered",
        "/check/citizenship/all",
        submit="form[action='/check/citizenship/all']",
    ),
    Visit("law changes", "/law/changes"),
    Visit("status", "/status"),
    Visit("status refused", "/status", submit="form[action='/status']"),
    Visit("application start", "/apply"),
    Visit("application: about you", "/apply/about", draft=True),
    Visit(
        "application: about you, with errors",
        "/apply/about",
        submit="form[action='/apply/about']",
        draft=True,
    ),
    Visit("application: stay", "/apply/stay", draft=True),
    Visit("application: formation", "/apply/formation", draft=True),
    Visit("application: documents", "/apply/documents", draft=True),
    Visit("application: review", "/apply/review", draft=True),
    Visit("application: sent", "/apply/sent", walk="application"),
    Visit("application: sent, noted (the status page)", "/apply/sent", clicks=(FORGET,)),
    Visit("application: sent, shown no more", "/apply/sent"),
    Visit("staff login", "/staff/login"),
)

CASE_WORK: tuple[Visit, ...] = (
    Visit("queues", "/staff"),
    Visit("search", "/staff/search"),
    Visit(
        "search results",
        "/staff/search",
        submit="form[action='/staff/search']:has(input[name=name])",
        fill=(("#name", "Whitaker"),),
    ),
    Visit("case", "/staff/cases/{case}"),
    Visit("step confirmation", "/staff/cases/{case}/done/start_document_review"),
    Visit("no such case", "/staff/cases/no-such-case"),
)

STAFF_PAGES: dict[Role, tuple[Visit, ...]] = {
    Role.RECRUITER: CASE_WORK,
    Role.VETTING_OFFICER: (*CASE_WORK, Visit("screening", "/staff/cases/{case}/screening")),
    Role.MEDICAL_OFFICER: CASE_WORK,
    Role.COMMANDER: CASE_WORK,
    Role.MIGRATION_OFFICER: CASE_WORK,
    Role.ADMIN: (*CASE_WORK, Visit("statistics", "/staff/statistics")),
    Role.ANALYST: (
        Visit("front page", "/staff"),
        Visit("statistics", "/staff/statistics"),
        Visit("what if", "/staff/what-if"),
        Visit("not for your role", "/staff/search"),
    ),
}

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "uk": "uk-UA"}

"""The applicant's own view of their application: reference and resume code in, the state,
its history in plain words (no staff names) and what comes next out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from guardpath.cases.model import State
from guardpath.services.limits import TooMany
from guardpath.services.status import NoSuchApplication, view_application_status
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages.common import CheckedForm, client_of, page
from guardpath.web.pages.forms import Form

router = APIRouter(include_in_schema=False)


def state_words() -> dict[State, tuple[str, str]]:
    """Each state as the applicant reads it, and what comes next."""
    return {
        State.DRAFT: (_("Draft"), _("The application has not been sent yet.")),
        State.SUBMITTED: (
            _("Received"),
            _("Recruitment staff will review your application and documents, and contact you."),
        ),
        State.DOCUMENT_REVIEW: (
            _("Documents under review"),
            _(
                "Staff are checking your identity, your lawful stay and your criminal record. "
                "They may ask you for more documents."
            ),
        ),
        State.SPECIAL_CHECK: (
            _("Special check"),
            _(
                "The Foreigner Recruitment Centre is carrying out the special check the law "
                "requires. This can take several weeks."
            ),
        ),
        State.MEDICAL: (
            _("Medical commission"),
            _("You will be invited to the military medical commission (VLK)."),
        ),
        State.PSYCHOLOGICAL: (
            _("Psychological selection"),
            _("You will be invited to the professional-psychological selection."),
        ),
        State.PHYSICAL: (
            _("Physical fitness test"),
            _("You will be invited to the physical fitness test."),
        ),
        State.INTERVIEW: (
            _("Interview"),
            _("A commander will interview you and decide on your application."),
        ),
        State.APPROVED: (
            _("Approved"),
            _("Your application is approved. You will be invited to sign your contract."),
        ),
        State.CONTRACT_SIGNED: (
            _("Contract signed"),
            _("Your service starts as set in your contract."),
        ),
        State.PROBATION: (
            _("In service, on probation"),
            _("You are serving your probation period."),
        ),
        State.IN_SERVICE: (
            _("In service"),
            _(
                "Thank you for your service. When you qualify, a migration officer can prepare "
                "your citizenship application."
            ),
        ),
        State.DISCHARGED: (
            _("Service ended"),
            _("Your service has ended. A migration officer can tell you about citizenship."),
        ),
        State.REJECTED: (
            _("Not accepted"),
            _(
                "Your application was not accepted. Recruitment staff can tell you why; you may "
                "apply again if your circumstances change."
            ),
        ),
        State.WITHDRAWN: (
            _("Withdrawn"),
            _("Your application was withdrawn. You may apply again at any time."),
        ),
    }


@router.get("/status", response_class=HTMLResponse)
def status_form(request: Request, ctx: ContextDep, templates: TemplatesDep) -> HTMLResponse:
    return page(request, ctx, templates, "public/status.html", {"form": Form()})


@router.post("/status", response_class=HTMLResponse)
def status_answer(
    request: Request, ctx: ContextDep, templates: TemplatesDep, sent: CheckedForm
) -> HTMLResponse:
    reference = str(sent.get("reference") or "")[:64]
    code = str(sent.get("code") or "")[:64]
    # The code is never shown again, not even on an error.
    form = Form(values={"reference": reference})
    try:
        found = view_application_status(ctx, reference, code, client_of(request))
    except NoSuchApplication:
        form.errors["code"] = _(
            "We found no application with this reference number and resume code. Check both "
            "(the reference starts with GP-; the code has four groups of four letters and "
            "digits)."
        )
        return page(request, ctx, templates, "public/status.html", {"form": form}, 404)
    except TooMany as wait:
        form.errors["code"] = _(
            "Too many wrong attempts. For your safety, try again in %(minutes)s minutes."
        ) % {"minutes": max(1, -(-wait.retry_after // 60))}
        response = page(request, ctx, templates, "public/status.html", {"form": form}, 429)
        response.headers["Retry-After"] = str(wait.retry_after)
        response.headers["Cache-Control"] = "no-store"
        return response
    return page(
        request,
        ctx,
        templates,
        "public/status.html",
        {"form": Form(), "found": found, "words": state_words()},
    )

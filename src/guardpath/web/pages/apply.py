"""The application, step by step, saved as a sealed draft as the applicant goes.

The applicant's browser holds the draft's token in an HttpOnly, SameSite=Strict cookie; each
step is saved on POST and then redirected (POST-redirect-GET). At submission the reference and
the resume code are shown once, in the response, and kept nowhere in clear.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from guardpath.bootstrap import Context
from guardpath.services import documents, drafts
from guardpath.services.drafts import Draft
from guardpath.services.limits import DRAFTS_PER_CLIENT, submissions_limit, take
from guardpath.web.deps import ContextDep, TemplatesDep
from guardpath.web.i18n import gettext_ as _
from guardpath.web.pages import apply_forms, forms
from guardpath.web.pages.apply_forms import FORM_STEPS, STEPS
from guardpath.web.pages.apply_models import (
    AboutForm,
    ConsentsForm,
    FormationForm,
    StayForm,
    StepForm,
)
from guardpath.web.pages.common import (
    DRAFT_COOKIE,
    CheckedForm,
    clear_draft_cookie,
    client_of,
    page,
    set_draft_cookie,
)
from guardpath.web.pages.confirmation import confirmation_of, sent_response
from guardpath.web.pages.forms import Form as PageForm
from guardpath.web.pages.uploads import UploadDep, file_content

router = APIRouter(include_in_schema=False)


def document_kinds() -> dict[str, str]:
    return {
        "passport": _("Passport or travel document (the page with your photo)"),
        "stay_document": _("Proof of your lawful stay (residence permit, visa or entry stamp)"),
        "criminal_record": _("Certificate of no criminal record"),
        "military_experience": _("Documents of prior military service"),
        "other": _("Other document"),
    }


def refusal_messages() -> dict[str, str]:
    return {
        "type": _(
            "This file is not a PDF, JPEG or PNG. guardpath reads what the file contains, not "
            "its name: save or scan the document as PDF, JPEG or PNG and upload it again."
        ),
        "too_large": _(
            "This file is larger than 5 MB. Upload a smaller scan: PDF, JPEG or PNG, up to 5 MB."
        ),
        "empty": _("Choose a file to upload: PDF, JPEG or PNG, up to 5 MB."),
        "kind": _("Choose what kind of document this is."),
        "too_many": _("You can upload up to 10 documents. Remove one to add another."),
        "draft_full": _(
            "Your documents together may take up to 20 MB, and this file would go past that. "
            "Remove a document or upload a smaller scan."
        ),
        "storage_full": _(
            "guardpath cannot take more uploads just now: too many applications in progress "
            "hold documents. Your application is saved; try again later."
        ),
    }


def size_in_words(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)s MB") % {"size": f"{size / 1048576:.1f}"}
    return _("%(size)s KB") % {"size": max(1, round(size / 1024))}


def current_draft(request: Request, ctx: ContextDep) -> Draft | None:
    """The draft this browser's cookie opens, if any (a dependency)."""
    return drafts.open_draft(ctx, request.cookies.get(DRAFT_COOKIE))


def checked_draft(request: Request, ctx: ContextDep, form: CheckedForm) -> Draft | None:
    """The browser's draft, for a form whose CSRF token matched (checked first)."""
    return current_draft(request, ctx)


DraftDep = Annotated[Draft | None, Depends(current_draft)]
CheckedDraft = Annotated[Draft | None, Depends(checked_draft)]
"""The draft, for a form that changes it: the form's CSRF token is checked before."""


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _step_page(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    draft: Draft,
    step: str,
    *,
    form: PageForm | None = None,
    consents: PageForm | None = None,
    returning: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    saved = apply_forms.saved_steps(draft.data)
    uploaded = documents.documents_of_draft(ctx, draft.id)
    complete = {name: saved[name].valid for name in FORM_STEPS} | {"documents": bool(uploaded)}
    context: dict[str, Any] = {
        **forms.form_context(),
        "step": step,
        "steps": STEPS,
        "titles": apply_forms.step_titles(),
        "complete": complete,
        "form": form or saved.get(step) or PageForm(),
        "saved": saved,
        "consents": consents or PageForm(),
        "kinds": document_kinds(),
        "documents": uploaded,
        "expires_at": draft.expires_at,
        "size": size_in_words,
        "returning": returning,
        "file_names": drafts.file_names(draft),
    }
    return page(request, ctx, templates, f"public/apply_{step}.html", context, status_code)


@router.get("/apply", response_class=HTMLResponse)
def apply_start(
    request: Request, ctx: ContextDep, templates: TemplatesDep, draft: DraftDep
) -> Response:
    if draft is not None:
        return _redirect(f"/apply/{draft.step if draft.step in STEPS else 'review'}")
    if confirmation_of(request, ctx):
        return _redirect("/apply/sent")
    return page(request, ctx, templates, "public/apply_start.html")


@router.post("/apply/start", response_class=HTMLResponse)
def apply_begin(request: Request, ctx: ContextDep, draft: CheckedDraft) -> Response:
    if draft is not None:  # a second "start" resumes the draft instead of losing it
        return _redirect("/apply")
    take(ctx, (DRAFTS_PER_CLIENT, client_of(request)))  # TooMany: the 429 page
    _new, token = drafts.start_draft(ctx)
    response = _redirect("/apply/about")
    set_draft_cookie(request, response, ctx, token)
    return response


@router.post("/apply/discard", response_class=HTMLResponse)
def apply_discard(
    request: Request, ctx: ContextDep, templates: TemplatesDep, draft: CheckedDraft
) -> Response:
    if draft is not None:
        drafts.discard_draft(ctx, draft)
    response = page(request, ctx, templates, "public/apply_discarded.html")
    clear_draft_cookie(response)
    return response


@router.post("/apply/documents/upload", response_class=HTMLResponse)
def upload_document(
    request: Request, ctx: ContextDep, templates: TemplatesDep, upload: UploadDep, draft: DraftDep
) -> Response:
    if draft is None:
        return _redirect("/apply")
    if upload.problem is not None:
        message = refusal_messages()[upload.problem]
        status = 413 if upload.problem == "too_large" else 400
        # The form was not read, but the kind chosen is kept (found at the body's start).
        chosen = FormData({"kind": upload.kind} if upload.kind in document_kinds() else {})
        return _refused(request, ctx, templates, draft, message, chosen, status)
    form = upload.form
    kind = form.get("kind")
    content, filename = file_content(form)
    try:
        attached = documents.attach_document(
            ctx,
            draft.id,
            kind if isinstance(kind, str) else "",
            content,
            filename,
            storage_limit=ctx.settings.draft_storage_mb * 1024 * 1024,
        )
    except documents.DocumentRefused as refused:
        status = REFUSAL_STATUS.get(refused.reason, 422)
        return _refused(request, ctx, templates, draft, refusal_message(refused), form, status)
    drafts.name_document(ctx, draft, attached.id, filename)
    return _redirect("/apply/documents")


REFUSAL_STATUS = {"draft_full": 507, "storage_full": 507}
"""Refusals for want of room: 507 Insufficient Storage; the others are the file's fault."""


def refusal_message(refused: documents.DocumentRefused) -> tuple[str, str]:
    """(field, message) for a refused upload."""
    if refused.reason == "mismatch":
        names = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
        message = _(
            "This file's name says %(named)s, but it contains a %(found)s. guardpath goes by "
            "what a file contains: save the document again as %(named)s, or give the file a name "
            "that ends in .%(extension)s, and upload it again."
        ) % {
            "named": names.get(refused.named or "", "?"),
            "found": names.get(refused.found or "", "?"),
            "extension": names.get(refused.found or "", "?").lower().replace("jpeg", "jpg"),
        }
        return "file", message
    return ("kind" if refused.reason == "kind" else "file"), refusal_messages()[refused.reason]


def _refused(
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    draft: Draft,
    problem: tuple[str, str] | str,
    form: FormData,
    status_code: int,
) -> HTMLResponse:
    field, message = problem if isinstance(problem, tuple) else ("file", problem)
    kind = form.get("kind")
    upload = PageForm(values={"kind": kind if isinstance(kind, str) else ""})
    upload.errors[field] = message
    return _step_page(
        request, ctx, templates, draft, "documents", form=upload, status_code=status_code
    )


@router.post("/apply/documents/remove", response_class=HTMLResponse)
def remove_document(ctx: ContextDep, form: CheckedForm, draft: CheckedDraft) -> Response:
    if draft is None:
        return _redirect("/apply")
    document_id = form.get("document")
    if isinstance(document_id, str):
        documents.remove_document(ctx, draft.id, document_id)
    return _redirect("/apply/documents")


@router.post("/apply/submit", response_class=HTMLResponse)
def submit(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[ConsentsForm, Form()],
    draft: CheckedDraft,
) -> Response:
    if draft is None:  # sent already (a second click, or Back and Send again)
        return _redirect("/apply/sent" if confirmation_of(request, ctx) else "/apply")
    consents = apply_forms.consents_step(typed)
    try:
        application = apply_forms.application_from(apply_forms.saved_steps(draft.data), consents)
    except ValidationError:
        application = None
    if application is None:  # the consents' errors in the summary above the page, too
        return _step_page(
            request,
            ctx,
            templates,
            draft,
            "review",
            form=consents,
            consents=consents,
            status_code=422,
        )
    # Counted in the submission's transaction; TooMany goes on to the 429 page.
    limited = (submissions_limit(ctx), client_of(request))
    try:
        submitted = drafts.submit_draft(ctx, draft, application, limited=limited)
    except drafts.AlreadySubmitted:
        return _redirect("/status")
    response = sent_response(request, ctx, submitted)
    clear_draft_cookie(response)
    return response


@router.get("/apply/{step}", response_class=HTMLResponse)
def show_step(
    step: str, request: Request, ctx: ContextDep, templates: TemplatesDep, draft: DraftDep
) -> Response:
    if step not in STEPS:
        raise HTTPException(404)
    if draft is None:  # Back from the confirmation: to it, while it can still be shown
        return _redirect("/apply/sent" if confirmation_of(request, ctx) else "/apply")
    # What was saved, without its errors: a step says what is wrong only after a submit.
    typed = (
        PageForm(values=apply_forms.saved_steps(draft.data)[step].values)
        if step in FORM_STEPS
        else None
    )
    returning = request.query_params.get("from") == "review"
    return _step_page(request, ctx, templates, draft, step, form=typed, returning=returning)


def _save_step(
    step: str,
    typed: StepForm,
    request: Request,
    ctx: Context,
    templates: Jinja2Templates,
    draft: Draft | None,
) -> Response:
    if draft is None:
        return _redirect("/apply")
    checked = apply_forms.validated(step, typed)
    going_back = typed.go == "back"
    returning = typed.came_from == "review"  # "Change" on the review page comes back to it
    index = STEPS.index(step)
    target = STEPS[max(index - 1, 0)] if going_back else STEPS[index + 1]
    if returning and not going_back:
        target = "review"
    # What was typed is saved even with errors: the draft keeps the applicant's work, and the
    # facts of a complete step, validated here, so that no page parses them again.
    saved = {step: apply_forms.saved(checked)}
    draft = drafts.save_draft(ctx, draft, saved, step if checked.errors else target)
    if checked.errors and not going_back:
        return _step_page(
            request, ctx, templates, draft, step, form=checked, returning=returning, status_code=422
        )
    return _redirect(f"/apply/{target}")


@router.post("/apply/about", response_class=HTMLResponse)
def save_about(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[AboutForm, Form()],
    draft: CheckedDraft,
) -> Response:
    return _save_step("about", typed, request, ctx, templates, draft)


@router.post("/apply/stay", response_class=HTMLResponse)
def save_stay(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[StayForm, Form()],
    draft: CheckedDraft,
) -> Response:
    return _save_step("stay", typed, request, ctx, templates, draft)


@router.post("/apply/formation", response_class=HTMLResponse)
def save_formation(
    request: Request,
    ctx: ContextDep,
    templates: TemplatesDep,
    typed: Annotated[FormationForm, Form()],
    draft: CheckedDraft,
) -> Response:
    return _save_step("formation", typed, request, ctx, templates, draft)


@router.post("/apply/{step}", response_class=HTMLResponse)
def no_such_step(step: str) -> Response:
    """Only the form steps take a form (documents have their own routes)."""
    raise HTTPException(404)

"""An application in progress: a draft saved as the applicant goes, sealed, kept 30 days.

The applicant holds a random draft token (in a cookie); the table stores only its SHA-256, so a
copy of the database cannot be turned into a working cookie. The draft's content (form values,
personal data among them) is one sealed JSON value bound to the draft's row.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag

from guardpath.adapters import audit
from guardpath.adapters.crypto import KeyringError
from guardpath.adapters.drafts import Draft
from guardpath.cases.model import Actor, Role
from guardpath.cases.tokens import token_hash
from guardpath.services.applications import ApplicationIn
from guardpath.services.cases import Submitted, submit_application
from guardpath.services.limits import Limit
from guardpath.services.ports import Ports

__all__ = ["Draft"]

DRAFT_LIFETIME = timedelta(days=30)
"""A draft is deleted 30 days after it was last saved."""
FIRST_STEP = "about"
SUBMITTING = "submitting"
APPLICANT = Actor("applicant", Role.APPLICANT)
"""The applicant acting on their own application (no identity of theirs in the audit chain)."""


def start_draft(ctx: Ports) -> tuple[Draft, str]:
    """A new, empty draft and the token that opens it (given to the applicant only)."""
    now = ctx.clock()
    token = secrets.token_urlsafe(32)
    draft = Draft(str(uuid.uuid4()), FIRST_STEP, {}, now + DRAFT_LIFETIME)
    with ctx.unit_of_work() as uow:
        uow.drafts.purge(now)
        uow.drafts.add(draft, token_hash(token), now)
        uow.commit()
    return draft, token


def open_draft(ctx: Ports, token: str | None) -> Draft | None:
    """The draft this token opens, or None if there is none or it has expired."""
    if not token:
        return None
    with ctx.unit_of_work() as uow:
        draft = uow.drafts.find(token_hash(token))
    if draft is None or draft.expires_at <= ctx.clock():
        return None
    return draft


def save_draft(ctx: Ports, draft: Draft, changes: dict[str, Any], step: str) -> Draft:
    """Merge `changes` into the draft, note the step reached, and keep it 30 more days."""
    now = ctx.clock()
    saved = Draft(draft.id, step, {**draft.data, **changes}, now + DRAFT_LIFETIME)
    with ctx.unit_of_work() as uow:
        uow.drafts.save(saved, now)
        uow.commit()
    return saved


def discard_draft(ctx: Ports, draft: Draft) -> None:
    """Delete the draft and every document uploaded with it."""
    with ctx.unit_of_work() as uow:
        uow.drafts.remove(draft.id)
        uow.commit()


def purge_expired_drafts(ctx: Ports) -> int:
    with ctx.unit_of_work() as uow:
        purged = uow.drafts.purge(ctx.clock())
        uow.commit()
    return purged


class AlreadySubmitted(Exception):
    """The draft is being submitted by another request (a second click on "send")."""


def _set_step(ctx: Ports, draft: Draft, step: str, unless: str | None = None) -> bool:
    with ctx.unit_of_work() as uow:
        noted = uow.drafts.set_step(draft.id, step, unless)
        uow.commit()
    return noted


def submit_draft(
    ctx: Ports,
    draft: Draft,
    application: ApplicationIn,
    *,
    limited: tuple[Limit, str] | None = None,
) -> Submitted:
    """Submit the application made from this draft; its documents move to the new case and
    the draft is deleted. The resume code is in the result, and nowhere else, in clear.
    A draft is submitted once: a second request meanwhile gets AlreadySubmitted. `limited` is
    counted in the submission's transaction (TooMany over it, the draft left as it was)."""
    if not _set_step(ctx, draft, SUBMITTING, unless=SUBMITTING):
        raise AlreadySubmitted(draft.id)
    try:
        submitted = submit_application(ctx, APPLICANT, application, limited=limited)
    except BaseException:
        _set_step(ctx, draft, draft.step)
        raise
    # A second transaction: submit_application commits its own. Should this one fail, the case
    # stands and the draft, with its documents, remains for staff to attach by hand.
    with ctx.unit_of_work() as uow:
        moved = uow.drafts.move_documents(draft.id, submitted.case.id)
        uow.drafts.remove(draft.id)
        details = {"documents": moved}
        uow.audit(
            audit.Entry(
                ctx.clock(),
                APPLICANT.id,
                APPLICANT.role.value,
                "attach_documents",
                submitted.case.id,
                details,
            )
        )
        uow.commit()
    return submitted


# -- the confirmation, shown again for a short time ---------------------------------------------
CONFIRMATION_LIFETIME = timedelta(minutes=15)
"""How long the browser that submitted may show the reference and resume code again."""


def confirmation_token(ctx: Ports, submitted: Submitted, session: str) -> str:
    """A sealed note of the reference and resume code for the browser that submitted: it opens
    only with this server's keys, under the same browser session (`session`), until it expires.
    Nothing of it is stored on the server."""
    until = ctx.clock() + CONFIRMATION_LIFETIME
    note = {"reference": submitted.case.reference, "code": submitted.resume_code}
    sealed = ctx.keyring.seal_json({**note, "until": until.isoformat()}, f"confirmation:{session}")
    return base64.urlsafe_b64encode(sealed).decode()


def open_confirmation(ctx: Ports, token: str | None, session: str) -> tuple[str, str] | None:
    """(reference, resume code) from a confirmation token, or None if it is not this session's,
    has expired or cannot be read."""
    if not token or not session:
        return None
    try:
        note = ctx.keyring.open_json(base64.urlsafe_b64decode(token), f"confirmation:{session}")
        until = datetime.fromisoformat(note["until"])
        reference, code = str(note["reference"]), str(note["code"])
    except (ValueError, KeyError, TypeError, InvalidTag, KeyringError):
        return None
    return (reference, code) if ctx.clock() < until else None


# -- the names of the uploaded files, kept in the sealed draft ----------------------------------
def file_names(draft: Draft) -> dict[str, str]:
    """Each uploaded document's file name, by document id (the applicant's list shows them)."""
    names = draft.data.get("file_names")
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def name_document(ctx: Ports, draft: Draft, document_id: str, filename: str | None) -> Draft:
    """Remember the file name of a document uploaded with the draft, sealed with the draft:
    its last part only, without control characters, at most 120 characters."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(ch for ch in base if ch.isprintable())[:120]
    if not shown:
        return draft
    names = {**file_names(draft), document_id: shown}
    return save_draft(ctx, draft, {"file_names": names}, draft.step)

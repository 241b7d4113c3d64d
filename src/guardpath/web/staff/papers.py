"""A case's papers as PDF downloads, in Ukrainian or English, for the roles that may open the
case. Never cached, always an attachment named by the case's reference."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter
from starlette.responses import Response

from guardpath.cases.transitions import NotFound, NotPermitted
from guardpath.papers.fonts import FontMissing, ScriptUnsupported
from guardpath.papers.wording import Wording
from guardpath.services.papers import download_paper
from guardpath.web import i18n
from guardpath.web.deps import ContextDep
from guardpath.web.staff.session import CaseWorker, Forbidden

router = APIRouter(include_in_schema=False)


def wording(language: str) -> Wording:
    return Wording(
        language,
        i18n.translations(language).gettext,
        partial(i18n.long_date, language=language),
        partial(i18n.country_name, language=language),
    )


def script_refused(missing: ScriptUnsupported) -> str:
    """Why a paper cannot be made, in the console's language: the script no installed font
    has (named, never the text) and the package that brings it."""
    message = i18n.gettext_(
        "the PDF papers cannot set the %(script)s script: no installed font has it; "
        "install Debian's %(package)s (apt-get install %(package)s) and try again"
    )
    return message % {"script": missing.script, "package": missing.package}


@router.get("/staff/cases/{case_id}/papers/{lang}/{kind}.pdf")
def paper(case_id: str, lang: str, kind: str, ctx: ContextDep, staff: CaseWorker) -> Response:
    if lang not in i18n.LANGUAGES:
        return Response("not found", status_code=404, media_type="text/plain")
    try:
        found = download_paper(ctx, staff.actor, case_id, kind, wording(lang))
    except NotPermitted:
        raise Forbidden from None
    except NotFound:
        return Response("not found", status_code=404, media_type="text/plain")
    except ScriptUnsupported as missing:
        return Response(script_refused(missing), status_code=503, media_type="text/plain")
    except FontMissing as missing:
        return Response(str(missing), status_code=503, media_type="text/plain")
    headers = {
        "Content-Disposition": f'attachment; filename="{found.filename}"',
        "Cache-Control": "no-store",
    }
    return Response(found.content, media_type="application/pdf", headers=headers)

"""A case's printable papers (contract draft, certificate of service, citizenship packet) as
PDFs, for a staff member who may open the case; every download is in the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guardpath.adapters import audit
from guardpath.cases.facts import engine_facts
from guardpath.cases.model import Actor, Case
from guardpath.cases.transitions import NotFound
from guardpath.law.evaluate import Answer, decide
from guardpath.law.facts import Facts, parse_facts
from guardpath.law.timeline import answer as law_answer
from guardpath.law.timeline import candidate_dates
from guardpath.papers.certificate import service_certificate
from guardpath.papers.citizenship import citizenship_packet
from guardpath.papers.contract import contract_draft
from guardpath.papers.fonts import font_files
from guardpath.papers.pdf import Meta
from guardpath.papers.wording import Wording
from guardpath.services.casework import check_may_open
from guardpath.services.ports import Ports

Builder = Callable[[Ports, Case, Wording, Meta], bytes]


@dataclass(frozen=True)
class Paper:
    kind: str
    language: str
    content: bytes
    reference: str

    @property
    def filename(self) -> str:
        """Named by the case's reference, never by the person."""
        return f"{self.reference}-{self.kind}-{self.language}.pdf"


def _contract(ctx: Ports, case: Case, wording: Wording, meta: Meta) -> bytes:
    return contract_draft(case, ctx.legislation, meta.issued_on, wording, meta)


def _certificate(ctx: Ports, case: Case, wording: Wording, meta: Meta) -> bytes:
    return service_certificate(case, wording, meta)


def _route_answer(ctx: Ports, facts: Facts, today: Answer, language: str) -> Answer:
    """Today's answer where it names a route, else the first later one that does (the route
    may be open before the outcome is certain, e.g. where applications are suspended)."""
    if today.route is not None:
        return today
    for day in candidate_dates(ctx.legislation, facts):
        if day > today.on:
            later = decide("citizenship", facts, day, ctx.legislation, language, False)
            if later.route is not None:
                return decide("citizenship", facts, day, ctx.legislation, language)
    return today


def _citizenship(ctx: Ports, case: Case, wording: Wording, meta: Meta) -> bytes:
    facts = parse_facts(engine_facts(case))
    today = law_answer("citizenship", facts, meta.issued_on, ctx.legislation, wording.language)
    route = _route_answer(ctx, facts, today, wording.language)
    return citizenship_packet(case, ctx.legislation, today, route, wording, meta)


PAPERS: dict[str, Builder] = {
    "contract": _contract,
    "service-certificate": _certificate,
    "citizenship-packet": _citizenship,
}


def download_paper(ctx: Ports, actor: Actor, case_id: str, kind: str, wording: Wording) -> Paper:
    """The paper for a role that may open the case; the download is logged with the paper."""
    build = PAPERS.get(kind)
    if build is None:
        raise NotFound(f"no paper {kind}")
    reference = check_may_open(ctx, actor, case_id)
    font_files()  # a missing font is said before anything is decrypted or logged
    with ctx.unit_of_work() as uow:
        case = uow.cases.get(case_id)
        meta = Meta(case.reference, ctx.legislation.version, ctx.clock().date())
        content = build(ctx, case, wording, meta)
        details = {"paper": kind, "language": wording.language, "reference": reference}
        now = ctx.clock()
        uow.audit(audit.Entry(now, actor.id, actor.role.value, "download_paper", case_id, details))
        uow.commit()
    return Paper(kind, wording.language, content, reference)

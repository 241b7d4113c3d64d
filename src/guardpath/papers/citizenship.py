"""The citizenship application packet: the route the law finds and its basis, the earliest date,
the obligations that travel with it, and a checklist of what to bring, each item marked as a
legal requirement (with its citation) or as practical advice."""

from __future__ import annotations

from dataclasses import dataclass

from guardpath.cases.model import Case
from guardpath.fact_words import fact_label
from guardpath.law.answer_json import Obligation
from guardpath.law.citations import Citation
from guardpath.law.evaluate import Answer
from guardpath.law.model import Legislation
from guardpath.papers.certificate import service_fields
from guardpath.papers.parties import person_fields
from guardpath.papers.pdf import Meta, Sheet
from guardpath.papers.wording import Wording
from guardpath.words import CITIZENSHIP_STATES, OUTCOMES
from guardpath.words import FORMATIONS_IN_FULL as FORMATIONS

ROUTES = "citizenship.routes"
MILITARY_ID_ACT = "law_2743_viii"
"""The act that makes a contract serviceman's military ID proof of legal stay."""
PROOF_OF_ROUTE = {
    "state_award": "The document of the state award (the President's decree)",
    "martial_law_service": "The contract and the certificate of service",
    "contract_service": "The contract and the certificate of service",
}


@dataclass(frozen=True)
class Item:
    """One thing to bring: a legal requirement when it has citations, else practical advice."""

    text: str
    citations: tuple[Citation, ...] = ()
    advice: str = ""


def _obligation_citations(legislation: Legislation, obligation: Obligation) -> tuple[Citation, ...]:
    found = legislation.obligations.get(obligation["name"])
    return found.citations if found is not None else ()


def checklist(
    wording: Wording,
    legislation: Legislation,
    route: str | None,
    obligations: list[Obligation],
) -> list[Item]:
    """What to bring, in the wording's language."""
    _ = wording.gettext
    route_rule = legislation.rules.get(f"{ROUTES}.{route}") if route else None
    service_rule = legislation.rules.get(f"{ROUTES}.contract_service")
    military_id = tuple(
        c for c in (service_rule.citations if service_rule else ()) if c.act.id == MILITARY_ID_ACT
    )
    items = [
        Item(
            _("Your passport, with a certified translation into Ukrainian"),
            advice=_(
                "The migration service asks for proof of identity; guardpath holds no "
                "provision that lists the documents."
            ),
        ),
        Item(_("Your military ID, as proof of legal stay in Ukraine"), military_id),
    ]
    for obligation in obligations:
        found = legislation.obligations.get(obligation["name"])
        if found is not None and obligation["name"].endswith("declaration"):
            text = _("The signed declaration: %(name)s") % {"name": wording.text(found.label)}
            items.append(Item(text, _obligation_citations(legislation, obligation)))
    if route in PROOF_OF_ROUTE and route_rule is not None:
        items.append(Item(_(PROOF_OF_ROUTE[route]), route_rule.citations))
    items += [
        Item(
            _("Recent photographs, passport style"),
            advice=_("Ask the migration service how many and of what size."),
        ),
        Item(
            _("Copies of every document above"),
            advice=_("Offices keep copies and return the originals."),
        ),
    ]
    return items


def _route_section(
    sheet: Sheet, legislation: Legislation, today: Answer, later: Answer, case: Case
) -> None:
    _, w = sheet.wording.gettext, sheet.wording
    sheet.heading(_("Route and legal basis"))
    sheet.field(_("Outcome today"), w.word(OUTCOMES, today.outcome))
    if today.missing:
        missing = (fact_label(name, w.language) for name in today.missing)
        sheet.field(_("Facts still missing"), ", ".join(missing))
    route = case.citizenship.route if case.citizenship else later.route
    rule = legislation.rules.get(f"{ROUTES}.{route}") if route else None
    sheet.field(_("Route"), w.text(rule.label) if rule else _("No route found on these facts"))
    if later.on != today.on:
        sheet.field(_("The route opens on"), w.date(later.on))
        sheet.field(_("Outcome on that date"), w.word(OUTCOMES, later.outcome))
    earliest = today.earliest_date
    sheet.field(_("Earliest date"), w.date(earliest) if earliest else _("not known yet"))
    questions = sorted(set(today.open_questions) | set(later.open_questions))
    if questions:
        texts = [
            legislation.open_questions[q].question.get(w.language)
            for q in questions
            if q in legislation.open_questions
        ]
        sheet.field(_("Open questions in the law"), " ".join(texts))
    if case.citizenship is not None:
        application = case.citizenship
        sheet.field(
            _("Application"),
            _("%(state)s; prepared on %(day)s")
            % {
                "state": w.word(CITIZENSHIP_STATES, application.state.value),
                "day": w.date(application.prepared_on),
            },
        )
    if rule is not None:
        sheet.citations(rule.citations)


def _obligations_section(
    sheet: Sheet, legislation: Legislation, obligations: list[Obligation]
) -> None:
    _, w = sheet.wording.gettext, sheet.wording
    sheet.heading(_("Obligations"))
    if not obligations:
        sheet.paragraph(_("None on this date."))
    for obligation in obligations:
        found = legislation.obligations.get(obligation["name"])
        sheet.item("•", w.text(found.label) if found else obligation["label"], bold=True)
        sheet.citations(_obligation_citations(legislation, obligation), indent=7)


def _checklist_section(
    sheet: Sheet, legislation: Legislation, route: str | None, obligations: list[Obligation]
) -> None:
    _ = sheet.wording.gettext
    sheet.heading(_("Documents to bring"))
    for item in checklist(sheet.wording, legislation, route, obligations):
        sheet.item("☐", item.text)
        sheet.set_x(sheet.l_margin + 7)
        if item.citations:
            sheet.paragraph(_("Legal requirement:"), size=8.5, bold=True)
            sheet.citations(item.citations, indent=7)
        else:
            sheet.paragraph(f"{_('Practical advice:')} {item.advice}", size=8.5)


def citizenship_packet(
    case: Case,
    legislation: Legislation,
    today: Answer,
    later: Answer,
    wording: Wording,
    meta: Meta,
) -> bytes:
    """`today` is the law's answer today; `later` the first answer that names a route (today's
    where it does), whose obligations travel with the route."""
    _ = wording.gettext
    sheet = Sheet(wording, meta, _("Citizenship application packet"))
    sheet.paragraph(
        _(
            "The route to Ukrainian citizenship through service that guardpath finds on "
            "%(day)s, what it asks of the applicant, and what to bring to the migration service."
        )
        % {"day": wording.date(today.on)}
    )
    sheet.heading(_("The applicant"))
    person_fields(sheet, case.person)
    sheet.field(_("Formation"), wording.word(FORMATIONS, case.formation))
    service_fields(sheet, case)
    route = case.citizenship.route if case.citizenship else later.route
    _route_section(sheet, legislation, today, later, case)
    _obligations_section(sheet, legislation, later.obligations)
    _checklist_section(sheet, legislation, route, later.obligations)
    return sheet.finish()

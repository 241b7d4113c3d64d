"""The contract draft: the parties, the rank group, and the length and probation the law sets,
with their legal basis; lines to sign on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guardpath.cases.model import Case, Contract
from guardpath.law.citations import Citation
from guardpath.law.model import Legislation
from guardpath.papers.parties import person_fields
from guardpath.papers.pdf import Meta, Sheet
from guardpath.papers.wording import Wording
from guardpath.words import FORMATIONS_IN_FULL as FORMATIONS
from guardpath.words import RANK_GROUPS_IN_FULL as RANK_GROUPS

FIRST_TERM = "enlistment.contract.first_term"
PROBATION = "enlistment.contract.probation_months"
LENGTH_FOR = {
    "private": "Length for privates",
    "sergeant": "Length for sergeants and petty officers",
    "officer": "Length for officers",
}


@dataclass(frozen=True)
class Terms:
    """A first contract's length (years) and probation (months) for a rank group on a day."""

    rank_group: str
    low: int | None
    high: int | None
    probation: int | None
    citations: tuple[Citation, ...]


def terms_on(legislation: Legislation, rank_group: str, on: date) -> Terms:
    names = (f"{FIRST_TERM}.{rank_group}_min_years", f"{FIRST_TERM}.{rank_group}_max_years")
    values: list[int | None] = []
    cited: list[Citation] = []
    for name in (*names, PROBATION):
        entry = legislation.parameters[name].entry_on(on)
        values.append(entry.value if entry and isinstance(entry.value, int) else None)
        cited += [c for c in (entry.citations if entry else ()) if c not in cited]
    low, high, probation = values
    return Terms(rank_group, low, high, probation, tuple(cited))


def _years(sheet: Sheet, terms: Terms) -> str:
    _ = sheet.wording.gettext
    if terms.low is None or terms.high is None:
        return _("not set by the law on this date")
    if terms.low == terms.high:
        return sheet.wording.years(terms.low)
    return _("%(low)s to %(high)s") % {"low": terms.low, "high": sheet.wording.years(terms.high)}


def _months(sheet: Sheet, months: int | None) -> str:
    _ = sheet.wording.gettext
    return sheet.wording.months(months) if months is not None else _("not set")


def _signed_terms(sheet: Sheet, contract: Contract) -> None:
    _, day = sheet.wording.gettext, sheet.wording.date
    sheet.field(_("Rank group"), sheet.wording.word(RANK_GROUPS, contract.rank_group))
    sheet.field(
        _("Length of the contract"),
        _("%(length)s, from %(start)s to %(end)s")
        % {
            "length": sheet.wording.years(contract.years),
            "start": day(contract.signed_on),
            "end": day(contract.ends_on),
        },
    )
    sheet.field(
        _("Probation"),
        _("%(months)s, until %(end)s")
        % {
            "months": _months(sheet, contract.probation_months),
            "end": day(contract.probation_ends_on),
        },
    )


def _draft_terms(sheet: Sheet, terms: list[Terms], rank_group: str | None) -> None:
    _ = sheet.wording.gettext
    if rank_group is None:
        sheet.field(_("Rank group"), _("to be set at approval"))
        for each in terms:
            sheet.field(_(LENGTH_FOR[each.rank_group]), _years(sheet, each))
    else:
        sheet.field(_("Rank group"), sheet.wording.word(RANK_GROUPS, rank_group))
        sheet.field(_("Length of the contract"), _years(sheet, terms[0]))
    sheet.field(_("Probation"), _months(sheet, terms[0].probation))


def contract_draft(
    case: Case, legislation: Legislation, on: date, wording: Wording, meta: Meta
) -> bytes:
    """The signed contract's terms if there is one, else the law's terms on `on`."""
    _ = wording.gettext
    sheet = Sheet(wording, meta, _("Contract for military service: draft"))
    formation = wording.word(FORMATIONS, case.formation)
    sheet.paragraph(
        _(
            "A contract for military service in the %(formation)s between the formation and "
            "the foreigner or stateless person named below."
        )
        % {"formation": formation}
    )
    sheet.heading(_("The parties"))
    sheet.field(_("Formation"), formation)
    person_fields(sheet, case.person)

    sheet.heading(_("Terms"))
    contract = case.contract
    rank = case.facts.get("rank_group")
    if contract is not None:
        _signed_terms(sheet, contract)
        terms = [terms_on(legislation, contract.rank_group, contract.signed_on)]
        basis_on = contract.signed_on
    else:
        groups = [rank] if rank in RANK_GROUPS else list(RANK_GROUPS)
        terms = [terms_on(legislation, group, on) for group in groups]
        _draft_terms(sheet, terms, rank if rank in RANK_GROUPS else None)
        basis_on = on

    sheet.heading(_("Legal basis"))
    sheet.paragraph(
        _("The length and the probation as the law sets them on %(day)s:")
        % {"day": wording.date(basis_on)},
        size=9,
    )
    sheet.citations(list(dict.fromkeys(c for t in terms for c in t.citations)))

    sheet.heading(_("Signatures"))
    sheet.signatures(
        _("For the formation: the commander (name, signature, seal)"),
        _("The serviceman (signature)"),
    )
    sheet.field(_("Place and date"), "_" * 34)
    return sheet.finish()

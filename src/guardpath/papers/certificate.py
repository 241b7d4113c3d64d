"""The certificate of service: who, in which formation, the periods served, the state of the
case and the contract, as of the day it is issued."""

from __future__ import annotations

from guardpath.cases.model import Case, ServicePeriod
from guardpath.papers.parties import person_fields
from guardpath.papers.pdf import Meta, Sheet
from guardpath.papers.wording import Wording
from guardpath.words import BASES
from guardpath.words import FORMATIONS_IN_FULL as FORMATIONS
from guardpath.words import RANK_GROUPS_IN_FULL as RANK_GROUPS
from guardpath.words import STATES_IN_FULL as STATES


def period_text(sheet: Sheet, period: ServicePeriod) -> str:
    _, w = sheet.wording.gettext, sheet.wording
    if period.end is None:
        span = _("from %(start)s to date") % {"start": w.date(period.start)}
    else:
        span = _("from %(start)s to %(end)s") % {
            "start": w.date(period.start),
            "end": w.date(period.end),
        }
    return f"{w.word(FORMATIONS, period.formation)}, {w.word(BASES, period.basis).lower()}: {span}"


def service_fields(sheet: Sheet, case: Case) -> None:
    _ = sheet.wording.gettext
    periods = [period_text(sheet, p) for p in case.service_periods]
    sheet.field(_("Periods of service"), "\n".join(periods) or _("No service recorded"))


def contract_text(sheet: Sheet, case: Case) -> str:
    _, w = sheet.wording.gettext, sheet.wording
    contract = case.contract
    if contract is None:
        return _("No contract signed")
    return _("Signed on %(day)s for %(length)s, until %(end)s; %(group)s") % {
        "day": w.date(contract.signed_on),
        "length": w.years(contract.years),
        "end": w.date(contract.ends_on),
        "group": w.word(RANK_GROUPS, contract.rank_group).lower(),
    }


def service_certificate(case: Case, wording: Wording, meta: Meta) -> bytes:
    _ = wording.gettext
    sheet = Sheet(wording, meta, _("Certificate of service"))
    formation = wording.word(FORMATIONS, case.formation)
    sheet.paragraph(
        _("This certifies the military service of the person named below in the %(formation)s.")
        % {"formation": formation}
    )
    sheet.heading(_("The serviceman"))
    person_fields(sheet, case.person, passport=False)
    sheet.heading(_("Service"))
    sheet.field(_("Formation"), formation)
    service_fields(sheet, case)
    sheet.field(_("Current state"), wording.word(STATES, case.state.value))
    sheet.field(_("Contract"), contract_text(sheet, case))
    sheet.field(_("Issued on"), wording.date(meta.issued_on))
    sheet.signatures(_("The commander (name, signature, seal)"))
    return sheet.finish()

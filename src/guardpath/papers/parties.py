"""The person as every paper names them: Latin and native script, birth date, citizenship."""

from __future__ import annotations

from guardpath.cases.model import Person
from guardpath.papers.pdf import Sheet


def full_name(person: Person) -> str:
    latin = f"{person.given_names} {person.surname}"
    return f"{latin} ({person.native_name})" if person.native_name else latin


def citizenship(sheet: Sheet, person: Person) -> str:
    _ = sheet.wording.gettext
    names = [sheet.wording.country_name(code) for code in person.citizenships]
    return ", ".join(names) or _("Stateless person")


def person_fields(sheet: Sheet, person: Person, passport: bool = True) -> None:
    _ = sheet.wording.gettext
    sheet.field(_("Full name"), full_name(person))
    sheet.field(_("Date of birth"), sheet.wording.date(person.birth_date))
    sheet.field(_("Citizenship"), citizenship(sheet, person))
    if passport:
        sheet.field(_("Passport number"), person.passport_number)

"""The words of one language, handed in by the caller; the codes' names are in `guardpath.words`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from babel.units import format_unit

from guardpath.law.text import Text


@dataclass(frozen=True)
class Wording:
    language: str
    gettext: Callable[[str], str]
    long_date: Callable[[date], str]
    country_name: Callable[[str], str]

    def text(self, text: Text) -> str:
        return text.get(self.language)

    def word(self, table: dict[str, str], code: str) -> str:
        """A code in words (the English is the catalogue's message id)."""
        return self.gettext(table[code]) if code in table else code

    def years(self, n: int) -> str:
        """'3 years', '3 роки', '5 років': the plural the language asks for."""
        return str(format_unit(n, "duration-year", length="long", locale=self.language))

    def months(self, n: int) -> str:
        return str(format_unit(n, "duration-month", length="long", locale=self.language))

    def date(self, day: date | None) -> str:
        return self.long_date(day) if day is not None else "—"

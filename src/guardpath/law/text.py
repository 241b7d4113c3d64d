"""A text in English and Ukrainian, the two languages of every legislation text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A text in English and Ukrainian."""

    en: str
    uk: str

    def get(self, language: str) -> str:
        return self.uk if language == "uk" else self.en

"""The fixed words of the text output, in English and in Ukrainian for recruitment staff.

Labels of rules come from the legislation files; only headings and marks live here.
"""

from __future__ import annotations

from collections.abc import Mapping

WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "enlistment": "Enlistment",
        "citizenship": "Citizenship",
        "eligible": "eligible",
        "ineligible": "ineligible",
        "undetermined": "undetermined",
        "on": "on",
        "why": "Why",
        "legend": "✓ met   ✗ not met   ? unknown   – not applicable",
        "missing": "Missing facts",
        "missing_hint": "add them to the facts to decide",
        "pending": "Checks that follow an application",
        "pending_hint": "these checks follow an application; recruitment establishes them",
        "open_questions": "Open questions of the law",
        "route": "Route",
        "no_route": "none succeeds on this date",
        "earliest": "Earliest date",
        "no_earliest": "none under the law as it stands",
        "obligations": "Obligations",
        "unverified": "unverified",
        "unless": "unless",
        "facts": "facts",
        "parameters": "law",
        "since": "since",
        "sources": "Sources",
        "not_considered": "({} rules below not considered)",
        "law_version": "law version",
        "applies": "applies",
        "does_not_apply": "does not apply",
        "unknown": "unknown",
        "not_applicable": "not applicable",
    },
    "uk": {
        "enlistment": "Вступ на службу",
        "citizenship": "Громадянство",
        "eligible": "відповідає умовам",
        "ineligible": "не відповідає умовам",
        "undetermined": "не визначено",
        "on": "станом на",
        "why": "Чому",
        "legend": "✓ виконано   ✗ не виконано   ? невідомо   – не застосовується",
        "missing": "Бракує фактів",
        "missing_hint": "додайте їх, щоб отримати відповідь",
        "pending": "Перевірки після подання заяви",
        "pending_hint": "ці перевірки проводять після подання заяви; їх встановлює процес набору",
        "open_questions": "Відкриті питання права",
        "route": "Підстава",
        "no_route": "жодна не виконується на цю дату",
        "earliest": "Найраніша дата",
        "no_earliest": "немає за чинним законодавством",
        "obligations": "Обов'язки",
        "unverified": "не перевірено",
        "unless": "крім випадку",
        "facts": "факти",
        "parameters": "норма",
        "since": "з",
        "sources": "Джерела",
        "not_considered": "(правил нижче не розглянуто: {})",
        "law_version": "версія законодавства",
        "applies": "застосовується",
        "does_not_apply": "не застосовується",
        "unknown": "невідомо",
        "not_applicable": "не застосовується",
    },
}


def words(language: str) -> Mapping[str, str]:
    return WORDS.get(language, WORDS["en"])

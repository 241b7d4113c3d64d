"""Staff read Ukrainian: every string of the console's pages, of the one vocabulary and of the
command line has a translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from guardpath import words
from guardpath.web import i18n
from web.staff_fixtures import staff_client_fixture  # noqa: F401

TEMPLATES = Path(i18n.__file__).parent / "templates" / "staff"
LITERAL = re.compile(r"""_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
COMMAND_LINE = (
    words.ANSWER_WORDS,
    words.LAW_WORDS,
    words.CHANGE_WORDS,
    words.UNIT_NAMES,  # with the contexts "cli" and "cli unit": tests/test_fact_words.py
    words.UNITS,
)
WORD_TABLES = [
    table
    for name, table in vars(words).items()
    if name.isupper()
    and isinstance(table, dict)
    and name != "MARKS"
    and all(isinstance(w, str) for w in table.values())
    and not any(table is cli for cli in COMMAND_LINE)
]


def messages() -> list[str]:
    found = [
        ast.literal_eval(match.group(1))
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in LITERAL.finditer(path.read_text(encoding="utf-8"))
    ]
    found += [message for table in WORD_TABLES for message in table.values()]
    return list(dict.fromkeys(found))


def test_it_has_every_console_string_in_ukrainian():
    ukrainian = i18n.translations("uk")
    untranslated = [m for m in messages() if ukrainian.gettext(m) == m]

    assert len(messages()) > 150
    assert untranslated == []


def test_it_has_every_word_of_the_command_line_in_ukrainian():
    ukrainian = i18n.translations("uk")
    untranslated = [
        message
        for table in COMMAND_LINE
        for message in table.values()
        if ukrainian.pgettext(words.CLI, message) == message
    ]

    assert untranslated == []


def test_it_renders_the_login_page_in_ukrainian(staff_client):
    page = staff_client.get("/staff/login?lang=uk")

    assert '<html lang="uk">' in page.text
    assert "Вхід для персоналу" in page.text
    assert "Staff login" not in page.text

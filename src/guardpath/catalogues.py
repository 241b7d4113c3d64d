"""The gettext catalogues (Babel), read once per language for the web, the CLI and the papers.

Catalogues are the `.po` files under `web/locales/<lang>/LC_MESSAGES/`, one per area of the
app, read and merged on first use (no compiled `.mo` files to keep in step). English is the
message ids themselves. A message with a context (`msgctxt`) is found with `pgettext`.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT = "en"
LOCALES = Path(__file__).resolve().parent / "web" / "locales"


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language == DEFAULT:
        return gettext.NullTranslations()
    merged: Translations | None = None
    for po in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        part = Translations()
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                key = message.id if isinstance(message.id, str) else message.id[0]
                value = message.string if isinstance(message.string, str) else message.string[0]
                if message.context:
                    key = Translations.CONTEXT_ENCODING % (message.context, key)
                part._catalog[key] = value
        merged = part if merged is None else merged.merge(part)
    return merged or gettext.NullTranslations()

"""ISO 3166-1 countries, read from pycountry's own data file and catalogues.

Importing pycountry builds its database objects; the facts contract needs only the set of
alpha-2 codes and the answers only a few names, so both are read from the same JSON file (and
pycountry's gettext catalogues for Ukrainian) without importing the package.
"""

from __future__ import annotations

import gettext
import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path


@cache
def _package() -> Path:
    spec = find_spec("pycountry")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pycountry is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _countries() -> dict[str, dict[str, str]]:
    path = _package() / "databases" / "iso3166-1.json"
    entries = json.loads(path.read_text(encoding="utf-8"))["3166-1"]
    return {str(entry["alpha_2"]): entry for entry in entries}


def country_codes() -> frozenset[str]:
    """Every alpha-2 code of ISO 3166-1, as pycountry.countries lists them."""
    return frozenset(_countries())


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", str(_package() / "locales"), languages=[language], fallback=True
    )


def country_name(code: str, language: str) -> str:
    """A country's name in the language (its common name in English where it has one), from
    pycountry's own catalogues; an unknown code is returned as it is."""
    country = _countries().get(code)
    if country is None:
        return code
    if language == "uk":
        return _catalogue(language).gettext(country["name"])
    return country.get("common_name") or country["name"]

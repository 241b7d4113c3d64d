"""Country codes and names read from pycountry's data file agree with pycountry itself."""

from __future__ import annotations

import gettext

import pycountry

from guardpath.law.countries import country_codes, country_name
from guardpath.law.facts import COUNTRY_CODES


def test_the_codes_are_pycountrys() -> None:
    expected = frozenset(country.alpha_2 for country in pycountry.countries)
    assert country_codes() == expected
    assert expected == COUNTRY_CODES


def test_every_name_is_pycountrys_in_english_and_ukrainian() -> None:
    ukrainian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["uk"], fallback=True
    )
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        assert country_name(country.alpha_2, "en") == english
        assert country_name(country.alpha_2, "uk") == ukrainian.gettext(country.name)
    assert country_name("US", "uk") == "США"


def test_an_unknown_code_is_returned_as_it_is() -> None:
    assert country_name("XX", "en") == "XX"

"""Names in Cyrillic are looked up in Latin too: Ukrainian by the official passport
romanisation (Cabinet of Ministers Resolution 55 of 27 January 2010, whose own examples these
are), Russian by ICAO Doc 9303 and the older passport spelling, Belarusian by its national one."""

from __future__ import annotations

import pytest

from guardpath.services.search import (
    BELARUSIAN,
    RUSSIAN,
    RUSSIAN_OLD,
    name_forms,
    passport_forms,
    transliterate,
)

KMU_2010 = {
    "Алушта": "alushta",
    "Згорани": "zghorany",
    "Розгон": "rozghon",
    "Щербухи": "shcherbukhy",
    "Гадяч": "hadiach",
    "Яготин": "yahotyn",
    "Їжакевич": "yizhakevych",
    "Кадиївка": "kadyivka",
    "Йосипівка": "yosypivka",
    "Стрий": "stryi",
    "Юрій": "yurii",
    "Корюківка": "koriukivka",
    "Єнакієве": "yenakiieve",
    "Гаєвич": "haievych",
    "Знам'янка": "znamianka",
    "Короп'є": "koropie",
    "Ґалаґан": "galagan",
    "Біла Церква": "bila tserkva",
}


@pytest.mark.parametrize(("cyrillic", "latin"), KMU_2010.items())
def test_it_romanises_ukrainian_as_the_passport_office_does(cyrillic: str, latin: str):
    assert transliterate(cyrillic) == latin


def test_it_romanises_russian_as_passports_since_2013_and_before():
    assert transliterate("Юлия Соловьёва", RUSSIAN) == "iuliia soloveva"
    assert transliterate("Юлия Соловьёва", RUSSIAN_OLD) == "yuliya soloveva"


def test_it_romanises_belarusian_as_belarusian_passports():
    assert transliterate("Сяргей Каваленка", BELARUSIAN) == "siarhei kavalenka"
    assert transliterate("Аляксандр Ўладзімір", BELARUSIAN) == "aliaksandr uladzimir"


def test_it_tries_every_scheme_and_the_short_endings_of_passports():
    forms = name_forms("Дмитрий Соколов")

    assert "dmitrii sokolov" in forms
    assert "dmitry sokolov" in forms
    assert name_forms("John Miller") == ["John Miller"]


def test_it_reads_cyrillic_lookalikes_in_a_passport_number_as_latin():
    assert passport_forms(" ав 123 ") == ["АВ 123", "AB 123"]

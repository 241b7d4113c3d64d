"""Belarusian forms of a name meet the Russian and Ukrainian ones: ў after a vowel is в, akanye
(a for an unstressed o) is near, дз and ц for the soft д and т are read as д and т, and
Łacinka (by `latynkatar`, modern and old) reads ł as the hard l, c as ц and ie as е. The
names here are examples; the evaluation is tests/data/screening_eval_belarusian.csv."""

from __future__ import annotations

import pytest
from latynkatar import CyrLatConverter  # type: ignore[import-untyped]

from guardpath.screening.names import has_cyrillic, to_latin, tokens
from guardpath.screening.score import MATCH, NO_MATCH, Identity, Profile, decide, profile

BORN = "1990-06-12"


def person(name: str) -> Profile:
    return profile(Identity((name,), (BORN,)))


def lacinka(cyrillic: str, old: bool = False) -> str:
    """Modern Łacinka (č, š, ž, v) or the old one (cz, sz, ż, w)."""
    return str(CyrLatConverter(cyrillic).convert(old_rules=old))


def test_short_u_after_a_vowel_is_v_in_every_spelling() -> None:
    forms = {tokens(n)[0].forms[0] for n in ("Паўлаў", "Paŭlaŭ", "Paulau", "Pawlaw")}
    assert forms == {"pavlav"}


@pytest.mark.parametrize(
    ("belarusian", "russian"),
    [("Павел Гаўрылаў", "Павел Гаврилов"), ("Аляксандр Каралёў", "Александр Королёв")],
)
def test_the_belarusian_form_matches_the_russian_one(belarusian: str, russian: str) -> None:
    assert decide(person(belarusian), person(russian)).kind == MATCH


def test_lacinka_reads_l_before_a_vowel_as_soft_when_it_writes_the_hard_l_as_l_stroke() -> None:
    assert lacinka("Павел Гаўрылаў") == "Pavieł Haŭryłaŭ"
    assert to_latin("Łukaszenka Lola") == "lukaszenka liolia"  # Лукашэнка Лёля
    for old in (False, True):
        assert (
            decide(person(lacinka("Павел Гаўрылаў", old)), person("Павел Гаврилов")).kind == MATCH
        )


def test_akanye_in_a_suffix_is_for_a_person_and_another_surname_is_not_a_match() -> None:
    assert decide(person("Уладзімір Лукашэнка"), person("Владимир Лукашенко")).kind != NO_MATCH
    assert decide(person("Павел Гаўрылаў"), person("Павел Гаврилюк")).kind != MATCH


@pytest.mark.parametrize(
    ("belarusian", "russian"),
    [
        ("Іван Іваноў", "Иван Иванов"),  # -оў, and its passport spelling -ou
        ("Ivan Ivanou", "Иван Иванов"),
        ("Дзмітрый Цітоў", "Дмитрий Титов"),  # дзеканне, цеканне
        ("Ціт Дзюба", "Тит Дюба"),
    ],
)
def test_the_belarusian_spellings_of_o_v_and_the_soft_d_and_t_meet_the_russian_ones(
    belarusian: str, russian: str
) -> None:
    assert decide(person(belarusian), person(russian)).kind == MATCH
    if has_cyrillic(belarusian):
        for old in (False, True):
            assert decide(person(lacinka(belarusian, old)), person(russian)).kind == MATCH


def test_lacinka_c_is_ts_so_another_suffix_stays_another_family() -> None:
    # Воронцоў in Łacinka is Voroncoŭ: read with c as k it would be one letter from Воронов.
    assert decide(person(lacinka("Павел Воронцоў")), person("Павел Воронов")).kind != MATCH
    assert decide(person(lacinka("Павел Воронцоў")), person("Павел Воронцов")).kind == MATCH

"""Two names typed in one script are one name mistyped only if one slip of the hand apart.

The folding makes transliteration schemes meet (ts and s for ц, kh, h and g for х and г); in
one script what it leaves different is counted in the letters as typed (Damerau's four kinds
of slip: a letter inserted, dropped, replaced, two swapped).
"""

from __future__ import annotations

from guardpath.screening.names import Token, tokens
from guardpath.screening.score import (
    MATCH,
    NO_MATCH,
    REVIEW,
    WHY_NAME_DIFFERS,
    WHY_OTHER_SUFFIX,
    Identity,
    decide,
)
from guardpath.screening.score import profile as make_profile
from guardpath.screening.similarity import more_than_a_slip, other_suffix


def decided(a: str, b: str, born: str = "1994-07-10") -> str:
    return decide(make_profile(Identity((a,), (born,))), make_profile(Identity((b,), (born,)))).kind


def test_two_surnames_one_folded_edit_but_two_typed_ones_apart_go_to_a_person() -> None:
    # Roberts folds as robers (ts as s): one edit from Rogers (g as H), two typed letters.
    a = make_profile(Identity(("Christian Rogers",), ("1994-07-10",)))
    b = make_profile(Identity(("Christian Roberts",), ("1994-07-10",)))
    decision = decide(a, b)
    assert decision.kind == REVIEW
    assert WHY_NAME_DIFFERS in decision.why


def test_one_slip_in_one_script_is_still_a_match() -> None:
    assert decided("Christian Rogers", "Christian Rgoers") == MATCH  # two letters swapped
    assert decided("Christian Roberts", "Christian Robets") == MATCH  # one dropped
    assert decided("Олександр Шевченко", "Олександр Шевчеко") == MATCH
    assert decided("Ricky Bell", "Ricky Bel") == MATCH


def test_a_transliteration_variant_in_one_script_is_no_slip() -> None:
    # Schemes in one script (Latin): ICAO against the 1997 passports, German against English.
    assert decided("Yuliya Zhuravleva", "Iuliia Zhuravleva") == MATCH
    assert decided("Sergei Schewtschenko", "Sergei Shevchenko") == MATCH
    # Ukrainian and Russian forms of one given name, both in Cyrillic.
    assert decided("Олександр Коваль", "Александр Коваль") == MATCH
    # Diacritics a passport's machine-readable zone leaves out.
    assert decided("Štěpánka Tůmová", "Stepanka Tumova") == MATCH


def test_across_scripts_the_folded_count_stands() -> None:
    # A Cyrillic token and a Latin one have no common letters to count: the folding decides.
    latin, cyrillic = tokens("Zhuravlev")[0], tokens("Журавльов")[0]
    assert not more_than_a_slip(latin, cyrillic)
    assert decided("Maksym Zhuravlov", "Максим Журавльов") == MATCH


def test_a_slip_count_does_not_lower_the_threshold_for_two_surnames() -> None:
    # One folded edit would let a pair through at 0.65; two typed ones do not.
    rogers, roberts = tokens("Rogers")[0], tokens("Roberts")[0]
    assert more_than_a_slip(rogers, roberts)
    assert decided("Rogers", "Roberts") == NO_MATCH  # 0.77: under 0.80, not one slip
    assert decided("Rogers", "Rogres") == MATCH  # one slip: 0.65 is enough


def test_one_stem_with_two_surname_suffixes_goes_to_a_person() -> None:
    # -енко and -ечко are two formants of Redko's inventory: two surnames a letter apart.
    a = make_profile(Identity(("Онисим Василенко",), ("1994-07-10",)))
    b = make_profile(Identity(("Онисим Василечко",), ("1994-07-10",)))
    decision = decide(a, b)
    assert decision.kind == REVIEW
    assert WHY_OTHER_SUFFIX in decision.why
    assert other_suffix(token_of("Шевченко"), token_of("Шевчук"))
    assert not other_suffix(token_of("Романюк"), token_of("Романук"))  # one suffix, two spellings


def test_a_swap_that_turns_one_suffix_into_another_stays_a_slip() -> None:
    assert decided("Євген Бабко", "Євген Бабок") == MATCH
    assert decided("Герман Дашенко", "Герман Дашенок") == MATCH


def token_of(surname: str) -> Token:
    (found,) = tokens(surname)
    return found

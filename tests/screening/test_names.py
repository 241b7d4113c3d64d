"""Names across scripts and spelling conventions fold to the same forms."""

from __future__ import annotations

import pytest

from guardpath.screening.keys import name_keys
from guardpath.screening.names import to_latin, tokens
from guardpath.screening.score import Identity, compare, profile


def test_it_romanises_ukrainian_as_the_passport_does() -> None:
    assert to_latin("Максим Журавльов") == "maksym zhuravlov"
    assert to_latin("Згурський Мар'яна") == "zghurskyi mariana"


@pytest.mark.parametrize(
    "spellings",
    [
        ("Журавльов", "Zhuravlov", "Jouravlov", "Schurawlow"),
        ("Кузнецов", "Kuznetsov", "Kusnezow", "Kouznetsov"),
        ("Шевченко", "Shevchenko", "Schewtschenko", "Chevtchenko"),
        ("Юрій", "Yuriy", "Yurii", "Jurij", "Yury", "Iouri"),
        ("Хрущёв", "Khrushchev", "Chruschtschew", "Khrouchtchev"),
    ],
)
def test_it_folds_the_spellings_of_one_name_together(spellings: tuple[str, ...]) -> None:
    folded = [set(tokens(s)[0].forms) for s in spellings]
    assert all(f & folded[0] for f in folded), folded


def test_it_knows_the_russian_form_of_a_ukrainian_given_name() -> None:
    assert "nikolai" in tokens("Микола")[0].forms
    assert "aleksandr" in tokens("Аляксандр")[0].forms


def test_it_gives_blocking_keys_shared_across_scripts_and_orders() -> None:
    cyrillic = name_keys(profile(Identity(("Максим Журавльов",))).names, ["1991"])
    latin = name_keys(profile(Identity(("Zhuravlev Maxim",))).names, ["1991"])
    assert cyrillic & latin
    assert any(k.startswith("p:") for k in cyrillic & latin)


def test_it_does_not_count_a_patronymic_on_one_side_against_the_match() -> None:
    with_patronymic = profile(Identity(("Журавльов Максим Олександрович",), ("1991-03-04",)))
    without = profile(Identity(("Maksym Zhuravlov",), ("1991-03-04",)))
    assert compare(with_patronymic, without).score == 1.0


def test_it_tells_a_brother_from_a_sister_and_a_namesake_from_the_man() -> None:
    ivan = profile(Identity(("Іван Ткаченко",), ("1982-04-24",)))
    ivanna = profile(Identity(("Ivanna Tkachenko",), ("1982-04-24",)))
    namesake = profile(Identity(("Ivan Tkachenko",), ("1975-10-02",)))
    assert not compare(ivan, ivanna).is_candidate
    assert not compare(ivan, namesake).is_candidate


def test_it_gives_the_reasons_for_and_against() -> None:
    a = profile(Identity(("Maksym Zhuravlov",), ("1991-03-04",), ("FA123456",)))
    b = profile(Identity(("Maxim Zhuravlev",), ("1991-04-03",), ("75 1234567",)))
    reasons = {(r.feature, r.verdict) for r in compare(a, b).reasons}
    assert ("name", "agrees") in reasons
    assert ("birth_date", "partly_agrees") in reasons  # day and month swapped
    assert ("document", "contradicts") in reasons


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Smith", "Сміт"), ("Thomas", "Томас"), ("Philip", "Філіп"), ("Joseph", "Джозеф")],
)
def test_th_and_ph_fold_to_t_and_f_before_h_joins_the_kh_class(latin: str, cyrillic: str) -> None:
    assert set(tokens(latin)[0].forms) & set(tokens(cyrillic)[0].forms)

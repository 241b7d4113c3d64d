"""Three decisions: match, review (a person decides) and no match, each with its reasons."""

from __future__ import annotations

from guardpath.screening.score import (
    MATCH,
    NO_MATCH,
    REVIEW,
    WHYS,
    Identity,
    Profile,
    decide,
    profile,
)
from guardpath.screening.watchlist import WatchEntry, WatchlistIndex
from guardpath.web.i18n import translations


def person(name: str, born: str | None = None) -> Profile:
    return profile(Identity((name,), (born,) if born else ()))


def test_the_same_name_across_scripts_and_the_same_birth_date_is_a_match() -> None:
    decision = decide(
        person("Максим Журавльов", "1991-03-04"), person("Maksym Zhuravlov", "1991-03-04")
    )
    assert decision.kind == MATCH


def test_a_birth_date_one_digit_off_is_for_a_person_to_decide() -> None:
    decision = decide(
        person("Максим Журавльов", "1991-03-04"), person("Maksym Zhuravlov", "1981-03-04")
    )
    assert decision.kind == REVIEW
    assert any("birth dates differ" in why for why in decision.why)


def test_twins_with_another_given_name_are_not_a_match() -> None:
    a = person("Мирослав Климентович Оробець", "1981-08-26")
    b = person("Ярослав Климентович Оробець", "1981-08-26")
    assert decide(a, b).kind in (REVIEW, NO_MATCH)
    assert (
        decide(person("Симон Гупало", "1997-03-04"), person("Семен Гупало", "1997-03-04")).kind
        != MATCH
    )


def test_a_surname_with_another_suffix_after_the_same_stem_is_not_a_match() -> None:
    for x, y in (("Демʼянюк", "Демʼянчук"), ("Василенко", "Василашко"), ("Ignatov", "Ignatev")):
        decision = decide(person(f"Вадим {x}", "1991-11-21"), person(f"Вадим {y}", "1991-11-21"))
        assert decision.kind != MATCH, (x, y)


def test_a_bare_stem_a_doubled_letter_at_a_suffix_or_ovych_and_evych_is_not_a_match() -> None:
    # One letter apart, yet another family: the bare stem against stem and suffix (Лопата,
    # Лопатка), a suffix beginning with the stem's last letter (Гуменик, Гуменник), and the
    # patronymic suffixes -ович and -євич (a person decides: also Ukrainian and Russian forms).
    for x, y in (("Лопата", "Лопатка"), ("Гуменик", "Гуменник"), ("Юрієвич", "Юрійович")):
        decision = decide(person(f"Олег {x}", "1985-02-17"), person(f"Олег {y}", "1985-02-17"))
        assert decision.kind != MATCH, (x, y)
    ovych = decide(person("Олег Юрієвич", "1985-02-17"), person("Олег Юрійович", "1985-02-17"))
    assert any("-ovych and -evych" in why for why in ovych.why)


def test_an_english_name_typed_in_cyrillic_by_ear_meets_its_passport_spelling() -> None:
    # The vowels a clerk hears are not the letters; the consonant sounds (Metaphone) agree.
    for latin, cyrillic in (("James Cooper", "Джеймз Купер"), ("Stephen Hudson", "Стівен Гадсон")):
        decision = decide(person(latin, "1990-06-12"), person(cyrillic, "1990-06-12"))
        assert decision.kind == MATCH, (latin, cyrillic, decision)
    # In one script the same sound is no evidence: a clerk copied the letters (twins).
    assert (
        decide(person("Симон Гупало", "1997-03-04"), person("Семен Гупало", "1997-03-04")).kind
        != MATCH
    )
    assert (
        decide(person("Ivan Cooper", "1990-06-12"), person("Іванна Купер", "1990-06-12")).kind
        != MATCH
    )


def test_letters_with_two_sounds_are_read_both_ways_across_scripts() -> None:
    # w as в or as у (Russian practice: Уильям, Уоллес), Ukrainian г for the English g, a y
    # that is a glide (Брайант), a doubled letter (Маккол) and ch as k (Ніколас).
    for latin, cyrillic in (
        ("William Wallace", "Уильям Уоллес"),
        ("Gabriel Douglas", "Гейбріел Даглас"),
        ("Ryan Bryant", "Райан Брайант"),
        ("Nicholas Mccall", "Ніколас Маккол"),
    ):
        decision = decide(person(latin, "1988-11-02"), person(cyrillic, "1988-11-02"))
        assert decision.kind == MATCH, (latin, cyrillic, decision)
    # г is read as g in a Cyrillic token only: Olha (Ольга) is not Олег, a twin brother.
    assert (
        decide(
            person("Олег Бондаренко", "1996-04-09"), person("Olha Bondarenko", "1996-04-09")
        ).kind
        != MATCH
    )
    # Another surname stays another surname, however the letters are read.
    assert (
        decide(person("William Wallace", "1988-11-02"), person("Уильям Уолтерс", "1988-11-02")).kind
        != MATCH
    )


def test_one_typo_in_a_short_surname_is_still_a_match() -> None:
    assert (
        decide(person("Ricky Bell", "1979-03-18"), person("Ricky Bel", "1979-03-18")).kind == MATCH
    )
    assert (
        decide(person("Ricky Bell", "1979-03-18"), person("Ricky Bell", "1979-04-18")).kind
        == REVIEW
    )


def test_letters_of_other_scripts_meet_their_latin_spelling() -> None:
    assert (
        decide(
            person("Gültəkin Rəhimli", "2005-04-26"), person("Gultekin Rehimli", "2005-04-26")
        ).kind
        == MATCH
    )
    assert (
        decide(person("გოგი ბურდული", "1996-06-13"), person("Gogi Burduli", "1996-06-13")).kind
        == MATCH
    )


def test_the_watch_list_screen_gives_the_decision_and_drops_no_match() -> None:
    index = WatchlistIndex.build(
        [
            WatchEntry("same", Identity(("Maxim Zhuravlev",), ("1991-03-04",))),
            WatchEntry("typo", Identity(("Maxim Zhuravlev",), ("1981-03-04",))),
            WatchEntry("other", Identity(("Maxim Zhuravlev",), ("1975-10-02",))),
        ]
    )
    found = {
        m.entry.id: m.decision.kind
        for m in index.screen(Identity(("Журавлёв Максим",), ("1991-03-04",)))
    }
    assert found == {"same": MATCH, "typo": REVIEW}


def test_ov_against_ev_goes_to_a_person() -> None:
    # Журавльов (Ukrainian) and Zhuravlev (Russian ё as e) are one name; Ignatov and Ignatev two.
    decision = decide(
        person("Максим Журавльов", "1991-03-04"), person("Maxim Zhuravlev", "1991-03-04")
    )
    assert decision.kind == REVIEW


def test_every_reason_for_review_reads_in_ukrainian_on_the_console() -> None:
    for message in WHYS:
        assert translations("uk").gettext(message) != message, message

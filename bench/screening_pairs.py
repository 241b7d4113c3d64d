"""Generate the screening evaluation set, tests/data/screening_eval.csv, reproducibly.

    .venv/bin/python bench/screening_pairs.py
    .venv/bin/python bench/screening_pairs.py --fresh-traps   # the fresh traps and typos

Nothing in it is written by hand to pass: the names are Faker's name lists of the volunteers'
countries (real given names and surnames), the spellings come from published schemes applied
by libraries (Ukrainian KMU 2010 by `uklatn`; Russian ICAO Doc 9303, the 1997 and 2006
passport schemes (MVD 310, GOST 52535), BGN/PCGN and ALA-LC by `iuliia`; Latin to Cyrillic
letter by letter by `cyrtranslit`; other scripts and letters by `anyascii`), and the traps are
built: same surname and birth date with another given name (twins, siblings), surnames of the
list sharing a stem with the same given name and birth date, namesakes born with one digit of
the date different. Every pair gets a seeded half: `tuning` or `held_out`, drawn once.

Columns: category, name_a, birth_a, name_b, birth_b, same (1 same person, 0 not), expect
(match, review or no_match), part, rule.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable
from pathlib import Path

import anyascii
import cyrtranslit  # type: ignore[import-untyped]
import iuliia  # type: ignore[import-untyped]
import uklatn  # type: ignore[import-untyped]
from faker import Faker

SEED = 20261203
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening_eval.csv"
PER_CATEGORY = 200

RUSSIAN_SCHEMES = {
    "icao9303": iuliia.ICAO_DOC_9303,
    "mvd310": iuliia.MVD_310,
    "gost52535": iuliia.GOST_52535,
    "bgnpcgn": iuliia.BGN_PCGN,
    "alalc": iuliia.ALA_LC,
    "mvd310fr": iuliia.MVD_310_FR,
}
WESTERN = ("en_US", "en_GB", "fr_FR", "de_DE", "en_CA", "en_AU")
NON_SLAVIC = ("de_DE", "tr_TR", "az_AZ", "uz_UZ", "pl_PL", "lt_LT", "cs_CZ", "hu_HU", "ka_GE")


def birth(rng: random.Random) -> str:
    return f"{rng.randint(1965, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def one_digit_off(rng: random.Random, day: str) -> str:
    while True:
        place = rng.choice((2, 3))  # the decade or the year: ten years or one apart
        digit = str(rng.randint(0, 9))
        other = day[:place] + digit + day[place + 1 :]
        if other != day and 1960 <= int(other[:4]) <= 2008:
            return other


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1) if len(word) > 3 else 1
    kind = rng.choice(("swap", "drop", "double", "substitute"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if i + 1 < len(word) else word + "e"
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    letters = (
        "абвгдеиклмнопрстуя" if any("а" <= c <= "я" for c in word.lower()) else "abdeiklmnorstu"
    )
    return word[:i] + rng.choice([c for c in letters if c != word[i].lower()]) + word[i + 1 :]


class People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fakers: dict[str, Faker] = {}
        self.stem_groups: dict[str, dict[str, set[str]]] = {}

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            fake = Faker(locale)
            fake.seed_instance(self.rng.randint(0, 2**31))
            self.fakers[locale] = fake
        return self.fakers[locale]

    def stems(self, locale: str) -> dict[str, set[str]]:
        """The list's male surnames grouped by their first five letters, groups of two or more:
        Shevchenko and Shevchuk, Melnyk and Melnychenko."""
        if locale not in self.stem_groups:
            fake = Faker(locale)
            fake.seed_instance(0)
            groups: dict[str, set[str]] = {}
            for _ in range(4000):
                name = fake.last_name_male()
                groups.setdefault(name[:5], set()).add(name)
            self.stem_groups[locale] = {k: v for k, v in groups.items() if len(v) > 1}
        return self.stem_groups[locale]

    def person(self, locale: str, female: bool | None = None) -> tuple[str, str, str]:
        """Given name, surname and (for Slavic lists) patronymic, all from the locale's lists."""
        fake = self.faker(locale)
        female = self.rng.random() < 0.3 if female is None else female
        given = fake.first_name_female() if female else fake.first_name_male()
        surname = fake.last_name_female() if female else fake.last_name_male()
        middle = ""
        if hasattr(fake, "middle_name_male"):
            middle = fake.middle_name_female() if female else fake.middle_name_male()
        return given, surname, middle


Row = dict[str, str]


def pair(
    category: str, a: str, ba: str, b: str, bb: str, same: bool, expect: str, rule: str
) -> Row:
    return {
        "category": category, "name_a": a, "birth_a": ba, "name_b": b, "birth_b": bb,
        "same": "1" if same else "0", "expect": expect, "rule": rule,
    }  # fmt: skip


def slavic(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    if rng.random() < 0.4:
        given, surname, _ = people.person("uk_UA")
        native = f"{given} {surname}"
        return pair(
            "slavic",
            native,
            day,
            uklatn.encode(native, uklatn.KMU_55),
            day,
            True,
            "match",
            "uk cyrillic vs kmu2010",
        )
    given, surname, _ = people.person("ru_RU")
    native = f"{given} {surname}"
    first, second = rng.sample(sorted(RUSSIAN_SCHEMES), 2)
    if rng.random() < 0.5:
        latin = RUSSIAN_SCHEMES[first].translate(native)
        return pair("slavic", native, day, latin, day, True, "match", f"ru cyrillic vs {first}")
    return pair(
        "slavic",
        RUSSIAN_SCHEMES[first].translate(native),
        day,
        RUSSIAN_SCHEMES[second].translate(native),
        day,
        True,
        "match",
        f"ru {first} vs {second}",
    )


def western(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    given, surname, _ = people.person(rng.choice(WESTERN))
    latin = f"{given} {surname}"
    language = rng.choice(("ua", "ru"))
    cyrillic = cyrtranslit.to_cyrillic(latin, language)
    return pair(
        "western", latin, day, cyrillic, day, True, "match", f"latin vs cyrtranslit {language}"
    )


def non_slavic(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    for _ in range(50):
        locale = rng.choice(NON_SLAVIC)
        given, surname, _ = people.person(locale)
        native = f"{given} {surname}"
        if not native.isascii():
            break
    return pair(
        "non_slavic",
        native,
        day,
        anyascii.anyascii(native),
        day,
        True,
        "match",
        f"{locale} vs anyascii",
    )


def order(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    locale = rng.choice(("uk_UA", "ru_RU"))
    given, surname, middle = people.person(locale)
    native = f"{surname} {given} {middle}".strip()
    latin = f"{given} {surname}"
    latin = (
        uklatn.encode(latin, uklatn.KMU_55)
        if locale == "uk_UA"
        else RUSSIAN_SCHEMES[rng.choice(sorted(RUSSIAN_SCHEMES))].translate(latin)
    )
    return pair(
        "order",
        native,
        day,
        latin,
        day if rng.random() < 0.8 else "",
        True,
        "match",
        f"{locale} surname first with patronymic vs passport order",
    )


def typos_pair(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    locale = rng.choice(("uk_UA", "ru_RU", *WESTERN))
    given, surname, _ = people.person(locale)
    a = f"{given} {surname}"
    b = f"{given} {typo(rng, surname)}" if rng.random() < 0.6 else f"{typo(rng, given)} {surname}"
    return pair("typos", a, day, b, day, True, "match", f"{locale} one typo")


def traps(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    locale = rng.choice(("uk_UA", "ru_RU"))
    kind = rng.choice(("twins", "stem", "decade", "date_typo"))
    given, surname, middle = people.person(locale, female=False)
    if kind == "twins":
        other = given
        while other == given:
            other = people.person(locale, female=False)[0]
        return pair(
            "traps",
            f"{given} {middle} {surname}",
            day,
            f"{other} {middle} {surname}",
            day,
            False,
            "no_match",
            f"{locale} twins: same surname, patronymic, date",
        )
    if kind == "stem":
        pool = people.stems(locale)
        stem = rng.choice(sorted(pool))
        surname, other = rng.sample(sorted(pool[stem]), 2)
        return pair(
            "traps",
            f"{given} {surname}",
            day,
            f"{given} {other}",
            day,
            False,
            "no_match",
            f"{locale} surnames sharing a stem, same given name and date",
        )
    other_day = one_digit_off(rng, day)
    if kind == "decade":
        return pair(
            "traps",
            f"{given} {surname}",
            day,
            f"{given} {surname}",
            other_day,
            False,
            "review",
            f"{locale} namesakes, birth dates one digit apart",
        )
    latin = uklatn.encode(f"{given} {surname}", uklatn.KMU_55)
    return pair(
        "traps",
        f"{given} {surname}",
        day,
        latin,
        other_day,
        True,
        "review",
        f"{locale} same person, a birth date typed one digit off",
    )


def unrelated(people: People) -> Row:
    rng = people.rng
    day = birth(rng)
    locale = rng.choice(("uk_UA", "ru_RU", *WESTERN))
    given, surname, _ = people.person(locale, female=False)
    _, other_surname, _ = people.person(locale, female=False)
    if other_surname == surname:
        other_surname = people.person(locale, female=False)[1]
    return pair(
        "traps",
        f"{given} {surname}",
        day,
        f"{given} {other_surname}",
        day,
        False,
        "no_match",
        f"{locale} same given name and birth date, another surname",
    )


MAKERS: tuple[tuple[Callable[[People], Row], int], ...] = (
    (slavic, PER_CATEGORY),
    (western, PER_CATEGORY),
    (non_slavic, PER_CATEGORY),
    (order, PER_CATEGORY),
    (typos_pair, PER_CATEGORY),
    (traps, PER_CATEGORY),
    (unrelated, PER_CATEGORY // 2),
)


FRESH_SEED = 20261219
"""The fresh trap set's seed, drawn once for it: the rules were never tuned on its pairs."""
FRESH_OUT = OUT.with_name("screening_eval_traps_fresh.csv")
FRESH_MAKERS: tuple[tuple[Callable[[People], Row], int], ...] = (
    (traps, 2 * PER_CATEGORY),
    (unrelated, PER_CATEGORY),
    (typos_pair, 3 * PER_CATEGORY),
)
"""Only the traps' constructions and as many true typo pairs, so that a fix for the traps is
judged by its precision and by what it costs the typos' recall; one part, `fresh`."""


def generate(
    seed: int = SEED, makers: tuple[tuple[Callable[[People], Row], int], ...] = MAKERS
) -> list[Row]:
    rng = random.Random(seed)
    people = People(rng)
    rows = [make(people) for make, count in makers for _ in range(count)]
    return split_once(rows, seed)


def generate_fresh(seed: int = FRESH_SEED) -> list[Row]:
    """The traps and typos with another seed, not split: all of it is held out."""
    rows = generate(seed, FRESH_MAKERS)
    for row in rows:
        row["part"] = "fresh"
    return rows


COLUMNS = ("category", "name_a", "birth_a", "name_b", "birth_b", "same", "expect", "part", "rule")


def split_once(rows: list[Row], seed: int) -> list[Row]:
    """Each pair's half, `tuning` or `held_out`, drawn once from the set's own seed."""
    split = random.Random(seed + 1)
    for row in rows:
        row["part"] = "held_out" if split.random() < 0.5 else "tuning"
    return rows


def write_pairs(rows: list[Row], out: Path, generator: str) -> None:
    """The pairs as CSV, headed by the generator that made them."""
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Generated by bench/{generator}; do not edit by hand.\n")
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} pairs written to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, help="another seed (default: the set's own)")
    parser.add_argument(
        "--fresh-traps",
        action="store_true",
        help=f"write the fresh traps and typos ({FRESH_OUT.name}) instead of the main set",
    )
    parser.add_argument("--out", type=Path, help="where to write (default: the set's file)")
    args = parser.parse_args()
    if args.fresh_traps:
        rows = generate_fresh(FRESH_SEED if args.seed is None else args.seed)
        command = "screening_pairs.py --fresh-traps"
        write_pairs(rows, args.out or FRESH_OUT, command)
        return
    rows = generate(SEED if args.seed is None else args.seed)
    write_pairs(rows, args.out or OUT, "screening_pairs.py")


if __name__ == "__main__":
    main()

"""Generate the Belarusian screening evaluation set, tests/data/screening_eval_belarusian.csv.

    .venv/bin/python bench/screening_pairs_belarusian.py

No installable package holds a list of Belarusian names (Faker has no Belarusian locale, the
names-dataset package no Belarus, and the Belarusian language packages fetch their
dictionaries at run time), so the names are Faker's Russian ones (ru_RU: given name,
patronymic, surname, as Belarus's Russian-language documents give them) and their Belarusian
forms are made by the rules of Belarusian orthography that do not depend on stress ("Правілы
беларускай арфаграфіі і пунктуацыі", Law of Belarus No. 420-З of 23 July 2008): и is і, or ы
after ж, ш, ч, р, ц; щ is шч; ъ the apostrophe; е and ё after the hard ж, ш, ч, р, ц are э
and о, and ь after them is the apostrophe before a vowel and dropped elsewhere; the soft д
and т (before е, ё, і, ю, я, ь) are дз and ц (дзеканне, цеканне: Дзмітрый, Ціхан); в after a
vowel at the end of a word or before a consonant is ў (Іваноў). Akanye and yakanye (a and я
for an unstressed о and е) need the stress, which no list gives, and are left out. The
Belarusian form is then written as the libraries write it: in Łacinka, modern and old
(`latynkatar`), and in Latin by `cyrtranslit`'s Belarusian table.

Pairs: the Russian Cyrillic name against the Belarusian form in one of those spellings, same
birth date (expected match); the same given name, patronymic and birth date with another
surname of the list sharing its first five letters (another family, expected no match); twins
(the same surname, patronymic and birth date, another given name of the same sex, expected not
a match). Every pair gets a seeded half, `tuning` or `held_out`, drawn once; the set is split
on its own. The matcher shares no code with this file.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import cyrtranslit  # type: ignore[import-untyped]
from faker import Faker
from latynkatar import CyrLatConverter  # type: ignore[import-untyped]

from screening_pairs import People, birth, pair, split_once, write_pairs

SEED = 20261205
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening_eval_belarusian.csv"
SAME, STEMS, TWINS = 200, 50, 50

_HARD = "жшчрц"
_SOFTENING = "еёіюяь"
_VOWELS = "аеёіоуыэюя"
_RULES = (
    (re.compile(r"щ"), "шч"),
    (re.compile(r"ъ"), "’"),
    (re.compile(rf"(?<=[{_HARD}])и"), "ы"),
    (re.compile(r"ий$"), "ій"),
    (re.compile(r"и"), "і"),
    (re.compile(rf"(?<=[{_HARD}])ій$"), "ы"),
    (re.compile(rf"(?<=[{_HARD}])е"), "э"),
    (re.compile(rf"(?<=[{_HARD}])ё"), "о"),
    (re.compile(rf"(?<=[{_HARD}])ь(?=[{_VOWELS}])"), "’"),
    (re.compile(rf"(?<=[{_HARD}])ь"), ""),
    (re.compile(rf"д(?=[{_SOFTENING}])"), "дз"),
    (re.compile(rf"т(?=[{_SOFTENING}])"), "ц"),
    (re.compile(rf"(?<=[{_VOWELS}])в(?=[^{_VOWELS}]|$)"), "ў"),
)


def belarusian(russian: str) -> str:
    """A Russian name in Belarusian letters by the stress-free rules above, word by word."""
    words = []
    for word in russian.split():
        lower = word.lower()
        for pattern, replacement in _RULES:
            lower = pattern.sub(replacement, lower)
        words.append(lower.capitalize())
    return " ".join(words)


SPELLINGS = {
    "cyrillic": lambda name: name,
    "lacinka": lambda name: str(CyrLatConverter(name).convert(old_rules=False)),
    "lacinka_old": lambda name: str(CyrLatConverter(name).convert(old_rules=True)),
    "cyrtranslit": lambda name: str(cyrtranslit.to_latin(name, "by")),
}


def generate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    people = People(rng)
    fake: Faker = people.faker("ru_RU")
    rows: list[dict[str, str]] = []
    while len(rows) < SAME:
        given, surname, middle = people.person("ru_RU")
        russian = f"{given} {middle} {surname}" if rng.random() < 0.4 else f"{given} {surname}"
        spelling = rng.choice(sorted(SPELLINGS))
        other = SPELLINGS[spelling](belarusian(russian))
        day = birth(rng)
        rule = f"russian cyrillic vs belarusian form, {spelling}"
        rows.append(pair("belarusian", russian, day, other, day, True, "match", rule))
    groups = sorted(people.stems("ru_RU").values(), key=sorted)
    while len(rows) < SAME + STEMS:
        one, two = rng.sample(sorted(rng.choice(groups)), 2)
        given, middle = fake.first_name_male(), fake.middle_name_male()
        spelling = rng.choice(sorted(SPELLINGS))
        other = SPELLINGS[spelling](belarusian(f"{given} {middle} {two}"))
        day, rule = birth(rng), f"another surname of one stem, {spelling}"
        rows.append(pair("belarusian", f"{given} {middle} {one}", day, other, day, False,
                         "no_match", rule))  # fmt: skip
    while len(rows) < SAME + STEMS + TWINS:
        first, second = fake.first_name_male(), fake.first_name_male()
        if first == second:
            continue
        surname, middle = fake.last_name_male(), fake.middle_name_male()
        spelling = rng.choice(sorted(SPELLINGS))
        other = SPELLINGS[spelling](belarusian(f"{second} {middle} {surname}"))
        day, rule = birth(rng), f"twins: same surname, patronymic, date, {spelling}"
        rows.append(pair("belarusian", f"{first} {middle} {surname}", day, other, day, False,
                         "no_match", rule))  # fmt: skip
    return split_once(rows, seed)


def main() -> None:
    write_pairs(generate(), OUT, "screening_pairs_belarusian.py")


if __name__ == "__main__":
    main()

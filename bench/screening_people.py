"""Invented people for the P5 benchmarks: common names, so that many people share them.

Ukrainian names written in Cyrillic and in the passport romanisation (`uklatn`, KMU 55), and
Latin names from other countries, each pool drawn by a Zipf-like weight; and the same person as
another form or register writes them (reordered, in Cyrillic, another spelling, a typo, the
birth date's day and month swapped or a day off).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

import uklatn  # type: ignore[import-untyped]

from guardpath.screening.score import Identity

UKRAINIAN_GIVEN = (  # noqa: SIM905
    "Олександр Сергій Андрій Дмитро Максим Юрій Михайло Олег Тарас Богдан Василь Петро Іван "
    "Микола Володимир Віктор Ігор Олексій Роман Руслан Артем Євген Павло Костянтин Анатолій "
    "Борис Ярослав Степан Денис Владислав Олена Ірина Наталія Оксана Тетяна Юлія Марія Анна"
).split()
UKRAINIAN_STEMS = (  # noqa: SIM905
    "Коваль Шевч Петр Бондар Ткач Мельн Кравч Лисен Гонч Кузьм Смирн Сокол Жук Вовк Журавл "
    "Мороз Савч Руд Павл Левч Марч Поліщ Литвин Бойч Кириленк Ющ Гриц Тимош Дорош Остап"
).split()
UKRAINIAN_ENDINGS = "енко ук ов ів ин юк ко ак ець ський ович ишин".split()  # noqa: SIM905
OTHER_GIVEN = (  # noqa: SIM905
    "John Michael David Robert James William Thomas Daniel Mark Paul Piotr Tomasz Krzysztof "
    "Giorgi Levan Davit Lukas Jan Pierre Luis Carlos Juan Lars Erik Mikael Ahmed Ali Hassan "
    "Kenji Hiroshi Sean Patrick Liam Noah Oliver Emma Olivia Sophia Laura Anna"
).split()
OTHER_SURNAMES = (  # noqa: SIM905
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Taylor Anderson Thomas "
    "Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski Beridze Kapanadze Gelashvili "
    "Maisuradze Muller Schmidt Schneider Fischer Weber Meyer Dubois Martin Bernard Lefebvre "
    "Rossi Russo Ferrari Esposito Hansen Johansson Nielsen Murphy Kelly OBrien Suzuki Tanaka "
    "Sato Rodriguez Martinez Lopez Gonzalez Hernandez Perez Sanchez Ramirez Torres Flores"
).split() + [
    a + b
    for a in "Ander Bern Carl Dav Ed Fitz Gar Har Jeff Kel Lars Mor Nel Pe Ras Ste Thom Wil".split()  # noqa: SIM905
    for b in "son sen man ley ton ford well ez ski er".split()  # noqa: SIM905
]
GIVEN_FLATTENING, STEM_FLATTENING, SURNAME_FLATTENING = 5, 10, 40
"""Names are drawn with weights 1 / (rank + flattening): the most common given name is about
8% of its pool, the most common surname about 1%, the most common full name about 0.1%, as
common names are in a population (John 3%, Smith 0.8% of the United States)."""
VARIANT_SPELLINGS = (("kh", "ch"), ("zh", "sch"), ("v", "w"), ("ts", "tz"), ("y", "j"), ("i", "y"))


def _drawn(rng: random.Random, pool: list[str], flattening: int) -> str:
    return rng.choices(pool, _weights(len(pool), flattening))[0]


@cache
def _weights(size: int, flattening: int) -> list[float]:
    return [1 / (rank + flattening) for rank in range(1, size + 1)]


def latin(cyrillic: str) -> str:
    return str(uklatn.encode(cyrillic, uklatn.KMU_55))


@dataclass(frozen=True)
class Someone:
    """An invented person: Latin given names and surname, maybe a Cyrillic native name."""

    given: str
    surname: str
    native: str | None
    born: date
    passport: str
    countries: tuple[str, ...]

    def identity(self) -> Identity:
        names = (f"{self.given} {self.surname}", *((self.native,) if self.native else ()))
        return Identity(names, (self.born.isoformat(),), (self.passport,), self.countries)


def someone(rng: random.Random) -> Someone:
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    passport = f"{rng.choice('ABCEFHKM')}{rng.choice('ABCEFHKM')}{rng.randrange(10**6):06d}"
    if rng.random() < 0.5:
        given = _drawn(rng, UKRAINIAN_GIVEN, GIVEN_FLATTENING)
        surname = _drawn(rng, UKRAINIAN_STEMS, STEM_FLATTENING) + rng.choice(UKRAINIAN_ENDINGS)
        return Someone(latin(given), latin(surname), f"{given} {surname}", born, passport, ("UA",))
    given = _drawn(rng, OTHER_GIVEN, GIVEN_FLATTENING)
    surname = _drawn(rng, OTHER_SURNAMES, SURNAME_FLATTENING)
    return Someone(given, surname, None, born, passport, (rng.choice(("US", "GB", "PL", "GE")),))


def written_otherwise(rng: random.Random, person: Someone, kind: int) -> Someone:
    """The same person as another form or register writes them (`kind` picks how)."""
    if kind == 0 and person.native:  # typed in Cyrillic, into the Latin fields
        given, surname = person.native.split(" ", 1)
        return replace(person, given=given, surname=surname, native=None)
    if kind == 1:  # surname first
        return replace(person, given=person.surname, surname=person.given)
    if kind == 2:  # another romanisation
        surname = person.surname.lower()
        for old, new in VARIANT_SPELLINGS:
            surname = surname.replace(old, new)
        return replace(person, surname=surname.capitalize())
    if kind == 3:  # a typo late in the surname
        at = len(person.surname) - 1
        return replace(person, surname=person.surname[:at] + rng.choice("aeiou"))
    if person.born.day <= 12 and person.born.day != person.born.month:  # day and month swapped
        return replace(
            person, born=person.born.replace(month=person.born.day, day=person.born.month)
        )
    return replace(person, born=person.born + timedelta(days=1))

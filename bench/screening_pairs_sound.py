"""Generate the second screening evaluation set, tests/data/screening_eval_sound.csv.

    .venv/bin/python bench/screening_pairs_sound.py

English names typed in Cyrillic by sound, as a clerk writes what they hear, made without the
matcher in mind: given names and surnames from Faker's English name lists (en_US, en_GB),
their pronunciation from the CMU Pronouncing Dictionary (through `eng-to-ipa`; names it does
not know are skipped), and each phoneme written in Cyrillic by the practical transcription of
English into Ukrainian and Russian. The table follows, phoneme by phoneme, the conventions of
R. Ermolovich (2009, "Имена собственные: теория и практика межъязыковой передачи", the
English-Russian table) and, for Ukrainian, the State Patent Office's recommendations for
writing English names in Ukrainian letters through their IPA transcription (2001) with
Ukrainian orthography (th as т, h as г, w as в: Мередіт, Гаррі, Вільямс): [ʌ] as а
(Young: Янг), [æ] as е, [h] as г in Ukrainian and х in Russian, [j] with a vowel as the
iotated letter, [w] as у before a vowel in Russian (Уинстон, Уайт) and в in Ukrainian, "wh"
as [w] (White: Уайт, Вайт), и for the short i in Russian, э at the start. The CMU dictionary
writes every "uh" as ə; the one under stress (the first vowel after the stress mark, or of a
word without one) is [ʌ], and so is the one of Mc and Mac (Мак). Where the conventions
follow the spelling, which a phoneme table cannot, the choice is fixed here once: the
unstressed reduced vowel (schwa) is е, the American vowel of "lot" is о and that of "car" а.

Pairs: the Latin name against its Cyrillic transcription, same birth date (the same person,
expected match); and the same given name and birth date with another surname of the list, in
Cyrillic (different people, expected no match). Every pair gets a seeded half, `tuning` or
`held_out`, drawn once; the set is separate from tests/data/screening_eval.csv and split on
its own.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import eng_to_ipa  # type: ignore[import-untyped]
from faker import Faker

from screening_pairs import birth, pair, split_once, write_pairs

SEED = 20261204
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening_eval_sound.csv"
SAME, OTHER = 240, 60
LOCALES = ("en_US", "en_GB")

_CONSONANTS = {
    "b": "б", "d": "д", "f": "ф", "g": "г", "k": "к", "l": "л", "m": "м", "n": "н", "p": "п",
    "r": "р", "s": "с", "t": "т", "v": "в", "w": "в", "z": "з", "ʃ": "ш", "ʒ": "ж", "ʧ": "ч",
    "ʤ": "дж", "θ": "т", "ð": "д", "ŋ": "нг",
}  # fmt: skip
_H = {"ua": "г", "ru": "х"}
_VOWELS = {
    "ua": {"eɪ": "ей", "aɪ": "ай", "aʊ": "ау", "ɔɪ": "ой", "oʊ": "о", "ɑr": "ар", "ɑ": "о",
           "æ": "е", "ɛ": "е", "ɪ": "і", "i": "і", "ʊ": "у", "u": "у", "ʌ": "а", "ɔ": "о",
           "ə": "е", "ər": "ер", "o": "о", "e": "е", "a": "а"},
    "ru": {"eɪ": "ей", "aɪ": "ай", "aʊ": "ау", "ɔɪ": "ой", "oʊ": "о", "ɑr": "ар", "ɑ": "о",
           "æ": "е", "ɛ": "е", "ɪ": "и", "i": "и", "ʊ": "у", "u": "у", "ʌ": "а", "ɔ": "о",
           "ə": "е", "ər": "ер", "o": "о", "e": "е", "a": "а"},
}  # fmt: skip
_IOTATED = {
    "ua": {"а": "я", "е": "є", "у": "ю", "і": "ї", "о": "йо"},
    "ru": {"а": "я", "е": "е", "у": "ю", "и": "йи", "о": "йо"},
}
_STRESS = re.compile("[ˈˌ]")
_STRESSED_SCHWA = re.compile(r"([ˈˌ])([^ˈˌaeiouæɑɔəɛɪʊʌ]*)ə(?!r)")
"""The first vowel after a stress mark (or of the word, when it has none), if CMU's ə: [ʌ]."""


def pronunciation(word: str) -> str | None:
    """The first CMU pronunciation of a word in IPA, stress marks read and removed, or None
    when the dictionary lacks it."""
    ipa = str(eng_to_ipa.ipa_list(word.lower())[0][0])
    if "*" in ipa:
        return None
    if not _STRESS.search(ipa):
        ipa = "ˈ" + ipa
    ipa = _STRESSED_SCHWA.sub(r"\1\2ʌ", ipa).replace("hw", "w")
    if word.lower().startswith(("mc", "mac")) and ipa.startswith("mə"):
        ipa = "mʌ" + ipa[2:]  # Mc, Mac: Мак, as the spelling has it (McCall: Маккол)
    return _STRESS.sub("", ipa)


def _next_is_vowel(ipa: str, at: int, vowels: list[str]) -> bool:
    return any(ipa.startswith(v, at) for v in vowels)


def transcribe(ipa: str, language: str) -> str:
    """IPA into Cyrillic by the phoneme table of `language` (ua or ru)."""
    vowels = sorted(_VOWELS[language], key=len, reverse=True)
    out: list[str] = []
    at, iotate = 0, False
    while at < len(ipa):
        vowel = next((v for v in vowels if ipa.startswith(v, at)), None)
        if vowel is not None:
            letters = _VOWELS[language][vowel]
            if iotate or (language == "ru" and not out and letters[0] == "е"):
                first = _IOTATED[language].get(letters[0], "й" + letters[0]) if iotate else "э"
                letters = first + letters[1:]
            out.append(letters)
            at, iotate = at + len(vowel), False
            continue
        sound = ipa[at]
        if iotate:
            out.append("й")
        iotate = sound == "j"
        if sound == "h":
            out.append(_H[language])
        elif sound == "w" and language == "ru" and _next_is_vowel(ipa, at + 1, vowels):
            out.append("у")
        elif sound in _CONSONANTS:
            out.append(_CONSONANTS[sound])
        at += 1
    if iotate:
        out.append("й")
    return "".join(out).capitalize()


def by_sound(name: str, language: str) -> str | None:
    sounds = [pronunciation(part) for part in name.split()]
    if any(s is None for s in sounds):
        return None
    return " ".join(transcribe(s, language) for s in sounds if s)


def generate(seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    fakers = {locale: Faker(locale) for locale in LOCALES}
    for fake in fakers.values():
        fake.seed_instance(rng.randint(0, 2**31))
    rows: list[dict[str, str]] = []
    while len(rows) < SAME + OTHER:
        fake = fakers[rng.choice(LOCALES)]
        female = rng.random() < 0.3
        given = fake.first_name_female() if female else fake.first_name_male()
        surname, other = fake.last_name(), fake.last_name()
        language, day = rng.choice(("ua", "ru")), birth(rng)
        if len(rows) < SAME:
            cyrillic = by_sound(f"{given} {surname}", language)
            if cyrillic:
                rule = f"english by sound, {language} practical transcription"
                rows.append(pair("western_sound", f"{given} {surname}", day, cyrillic, day, True,
                                 "match", rule))  # fmt: skip
            continue
        cyrillic = by_sound(f"{given} {other}", language)
        if cyrillic and other != surname:
            rule = f"english by sound, {language}: same given name and date, another surname"
            rows.append(pair("western_sound", f"{given} {surname}", day, cyrillic, day, False,
                             "no_match", rule))  # fmt: skip
    return split_once(rows, seed)


def main() -> None:
    write_pairs(generate(), OUT, "screening_pairs_sound.py")


if __name__ == "__main__":
    main()

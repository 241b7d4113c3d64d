"""Names as comparable tokens, whatever the script or the spelling convention.

A name is first written in Latin letters: Cyrillic through the Ukrainian passport
romanisation (Cabinet of Ministers Resolution No. 55 of 27 January 2010, via `uklatn`), with
the few Russian and Belarusian letters Ukrainian lacks mapped to their Ukrainian neighbours.
Then each token is folded to a spelling-independent form, so the conventions a passport,
a visa or a German or French register may have used meet: kh/h/g, ts/tz/z/s, zh/sh/sch/j,
y/i/j, the -yi/-iy/-y endings, w/v, ou/u, x/ks. Where a spelling is ambiguous (German "ch"
is kh, English "ch" is ch; French "j" is zh, German "j" is y, English "j" is dzh) a token
keeps one folded form per reading, at most four.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import product

import uklatn  # type: ignore[import-untyped]  # no type information shipped
from anyascii import anyascii

# Letters of Russian and Belarusian that Ukrainian lacks, as their Ukrainian neighbours; ё as
# e, as ICAO Doc 9303 spells it in Russian passports.
_CYRILLIC_EXTRA = str.maketrans({"ы": "и", "э": "е", "ё": "е", "ъ": "", "ў": "в"})
"""Belarusian ў comes only after a vowel, where it is в (Іваноў, Иванов)."""
_LATIN_EXTRA = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "dj", "ë": "e",
        "š": "sh", "ž": "zh", "č": "ch", "ć": "ts", "ś": "sh", "ź": "zh", "ż": "zh", "ŭ": "v",
    }
)  # fmt: skip
_SOFT_L = re.compile(r"l(?=[aou])")  # Karaloŭ, Каралёў
_APOSTROPHES = re.compile(r"['’ʼ`ʹʻ]")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")

# Russian and Ukrainian patronymics, in the spellings of the schemes above (before folding).
_PATRONYMIC = re.compile(
    r"(ovy?i?ch|evy?i?ch|ovit?sch|ewit?sch|owit?sch|ovitch|evitch|ovna|evna|ivna|ovic|evic"
    r"|ichna|ychna|yich|ilyich|ilich|ilych|[^aeiou][iy]ch)$"
)


def has_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(ch, "") for ch in text)


def to_latin(text: str) -> str:
    """Lower-case Latin letters, digits and spaces; Cyrillic romanised as above."""
    text = unicodedata.normalize("NFC", text.casefold())
    if has_cyrillic(text):
        text = uklatn.encode(text.translate(_CYRILLIC_EXTRA), uklatn.KMU_55).casefold()
    if "ł" in text:  # Łacinka (and Polish): ł is the hard l, so l before a, o, u is soft
        text = _SOFT_L.sub("li", text)
    text = _APOSTROPHES.sub("", text.translate(_LATIN_EXTRA))
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    if not plain.isascii():  # other scripts and letters (Georgian, Azerbaijani ə) by anyascii
        plain = anyascii(plain).casefold()
    return _NOT_LETTER.sub(" ", _APOSTROPHES.sub("", plain)).strip()


# -- folding -------------------------------------------------------------------------------
# Upper-case letters are the folded classes: S the hushing sibilants (zh, sh, ch, shch),
# H the back fricatives (kh, h, g: Ukrainian г is h, Russian г is g).
_SHCH = re.compile(r"schtsch|shtsch|sztsch|shtch|chtch|shch|szcz|stsch|stch")
_HUSH = re.compile(r"tzsch|tsch|dsch|dzh|sch|tch|tsh|zh|sh|cz|sz|dj")
_HUSH_AS = {"dsch": "dS", "dzh": "dS", "dj": "dS"}
_SIMPLE = (
    # ph and th before the h class: otherwise "smith" and "thomas" keep an H the Cyrillic
    # spellings (Сміт, Томас) never have.
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"kh|gh|h|g"), "H"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"tz|ts|z"), "s"),
    (re.compile(r"ou(?!$)"), "u"),  # French ou; a final ou is Belarusian -оў (Ivanou)
    # Belarusian ў after a vowel is в: Paŭlaŭ, Paulau, Pawlaw; Андрэеў, Andreev
    (re.compile(r"(?<=[ao])u(?=[^aeiou]|$)|(?<=e)u$"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?<=[^aeiou])io"), "e"),  # ё after a consonant: ICAO e, German jo, French io
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), ""),  # Alekseyev, Alekseev
    (re.compile(r"(.)\1+"), r"\1"),  # doubles, and ii/iy/yi/ij endings
    (re.compile(r"^ie"), "e"),  # Yevhen, Evgeny; Yelena, Elena
)
_VOWELS = re.compile(r"[aeiou]")
MAX_FORMS = 4


_DOUBLES = _SIMPLE[-2][0]


def _fold_one(token: str, ch_as: str, j_as: str, doubles: bool = False) -> str:
    token = _SHCH.sub("S", token)
    token = _HUSH.sub(lambda m: _HUSH_AS.get(m.group(0), "S"), token)
    token = token.replace("ch", ch_as).replace("j", j_as)
    for pattern, replacement in _SIMPLE:
        if not (doubles and pattern is _DOUBLES):
            token = pattern.sub(replacement, token)
    return token


_CLASS_RUNS = re.compile(r"([A-Z])\1+")
"""Two spellings of one sound in a row (German sch-tsch) are not a doubled letter."""


@lru_cache(maxsize=65536)
def spelt(token: str) -> str:
    """A token folded in its first reading with its doubled letters kept: where a surname's
    suffix begins (Baranyk, Barannyk: baran-ik, baran-nik) folding would hide."""
    return _CLASS_RUNS.sub(r"\1", _fold_one(token, "S", "i", doubles=True))


# The same given name in its Ukrainian and Belarusian form, folded, and its Russian form: Soviet
# and Russian documents give the Russian one (Mykola, Mikalai: Nikolai).
EQUIVALENT_NAMES = {
    "oleksandr": "aleksandr", "aliaksandr": "aleksandr", "oleksi": "aleksei",
    "aliaksei": "aleksei", "mikola": "nikolai", "mikalai": "nikolai",
    "volodimir": "vladimir", "uladsimir": "vladimir", "siarHei": "serHei", "serHi": "serHei",
    "andri": "andrei", "dmitro": "dmitri", "dsmitri": "dmitri",
    "evHen": "evHeni", "olena": "elena", "alena": "elena", "petro": "petr",
    "piotr": "petr", "pavlo": "pavel", "iakiv": "iakov", "vasil": "vasili",
    "fedir": "fedor", "miHailo": "miHail",
    "miHas": "miHail", "kostiantin": "konstantin",
}  # fmt: skip


_C_AS_TS = re.compile(r"c(?![hekiyz])")
"""A c the English and French read as k (Marco) is ц in the Slavic Latin alphabets (Łacinka,
Polish, Czech: Voroncoŭ, Воронцоў)."""
_BELARUSIAN_SOFT = (
    (re.compile(r"dz(?=[iej])"), "d"),
    (re.compile(r"(?:ts|c)(?=[iej])"), "t"),
    (re.compile(r"(?<=[^aeiou])ie(?!$)"), "e"),
)
"""Belarusian writes the soft д and т as дз and ц (Дзмітрый, Дмитрий; Ціхан, Тихон), and
Łacinka (as Polish) an е after a consonant as ie (Fiedosiejeŭ, Федосеев)."""


def _belarusian_hard(token: str) -> str:
    for pattern, replacement in _BELARUSIAN_SOFT:
        token = pattern.sub(replacement, token)
    return token


def fold(token: str) -> tuple[str, ...]:
    """The folded forms of one Latin token, one per reading of its ambiguous letters (ch, j, a
    c before a back vowel, a Belarusian дз or ц), and the Russian form of a Ukrainian or
    Belarusian given name."""
    ch_readings = ("S", "H") if "ch" in token else ("S",)
    j_readings = ("i", "S", "dS") if "j" in token else ("i",)  # German, French, English j
    texts = dict.fromkeys((token, _C_AS_TS.sub("ts", token), _belarusian_hard(token)))
    forms = [_fold_one(token, c, j) for c, j in product(ch_readings, j_readings)]
    forms += [_fold_one(text, "S", "i") for text in texts if text != token]
    forms += [EQUIVALENT_NAMES[f] for f in forms if f in EQUIVALENT_NAMES]
    return tuple(dict.fromkeys(forms))[:MAX_FORMS]


def skeleton(form: str, length: int = 4) -> str:
    """The first consonants of a folded form: what survives vowel spellings and late typos."""
    return _VOWELS.sub("", form)[:length]


@dataclass(frozen=True)
class Token:
    text: str
    forms: tuple[str, ...]
    patronymic: bool
    cyrillic: bool = False
    """Written in Cyrillic in the name it came from (its text is the romanisation)."""
    typed: str = ""
    """The token's letters as typed (lower case, in its own script), for counting typing slips;
    empty for a token made from its text alone."""


@lru_cache(maxsize=65536)
def token(text: str) -> Token:
    """One Latin token, folded; cached, since lists and registers repeat their names."""
    return Token(text, fold(text), bool(_PATRONYMIC.search(text)))


_NOT_TYPED_LETTER = re.compile(r"[\W\d_]+")


def tokens(name: str) -> tuple[Token, ...]:
    found = to_latin(name).split()
    typed = _APOSTROPHES.sub("", unicodedata.normalize("NFC", name.casefold()))
    parts = [p for p in _NOT_TYPED_LETTER.split(typed) if p]
    if len(parts) != len(found):  # a digit or a letter anyascii splits: the romanised text
        parts = found
    cyrillic = has_cyrillic(name)
    return tuple(_typed_token(t, cyrillic, p) for t, p in zip(found, parts, strict=True))


@lru_cache(maxsize=65536)
def _typed_token(text: str, cyrillic: bool, typed: str) -> Token:
    """`token(text)` with its script and its letters as typed; a Latin token's without their
    diacritics, as a passport's machine-readable zone writes them (ICAO Doc 9303, Part 3)."""
    plain = typed if cyrillic else anyascii(typed).casefold()
    return replace(token(text), cyrillic=cyrillic, typed=plain)

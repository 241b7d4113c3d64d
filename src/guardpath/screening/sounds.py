"""How a token sounds: Metaphone keys (`jellyfish`) of Latin renderings of it.

A clerk who types a foreign volunteer's name in Cyrillic writes what they hear (Джеймз for
James, Томес for Thomas), and the letters then share little beyond their consonants. Both
sides are written in Latin letters first (Cyrillic through the passport romanisation, as for
folding), its digraphs read as an English reader would (dzh as j, zh as j, kh as h, shch as sh,
an initial chr as kr), and Metaphone keys the consonant sounds; "0" (th) is read as t, which
Cyrillic writes for it, and an initial vowel is any vowel, as Double Metaphone keys it (Alan,
Елен).

Some letters have two readings, and a token gets a key for each (at most eight):

- a sounded w is в or the vowel у (Вайт and Уайт for White, Стюарт for Stewart; "wh" is w);
- a Ukrainian г, romanised h, is the English g (Гібсон, Gibson) as well as h: in a token
  written in Cyrillic only, since a Latin h is h (Olha is not Olga, nor Олег);
- "ch" is ch or k (Nicholas, Ніколас).

Within a key, y as a consonant (Bryant, Брайєнт: й is a vowel's glide in Cyrillic), a doubled
letter (McCall, Маккол) and the soft g (J, which Metaphone writes for g before e and i: Gabriel,
Гейбріел) say nothing a clerk keeps, so they are dropped, merged and read as K. A y that is not
before a vowel is the vowel i (Илизабет: ylyzabet), and a silent gh after a vowel is dropped
(Hughes, Гьюз).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

import jellyfish

_DIGRAPHS = (("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "H"))
"""kh, Russian х, is h: written H until the г readings of a plain h are made."""
_W_SOUNDED = re.compile(r"w(?=[aeiouy])")
_CHR = re.compile(r"^chr")  # Christopher, Крістофер: k, as Double Metaphone reads it
_GH_SILENT = re.compile(r"(?<=[aeiouy])gh")
_Y_VOWEL = re.compile(r"y(?![aeiou])")
_Y_INITIAL = re.compile(r"^y(?=[aeiou])")  # Young, Янг (iang): a vowel's glide
_PLAIN_H = re.compile(r"(?<![cgpstw])h")
_DOUBLED = re.compile(r"(.)\1+")
_VOWEL_KEYS = frozenset("AEIOU")
MIN_KEY = 2
"""A key of one consonant (Lowe, Ло) says too little to count."""


def _readings(text: str, cyrillic: bool) -> list[str]:
    """The Latin renderings of a token, one per reading of its ambiguous letters."""
    for digraph, reading in _DIGRAPHS:
        text = text.replace(digraph, reading)
    text = _GH_SILENT.sub("", _CHR.sub("kr", text)).replace("wh", "w")
    text = _Y_VOWEL.sub("i", _Y_INITIAL.sub("i", text))
    ws = ("v", "u") if _W_SOUNDED.search(text) else ("v",)
    hs = ("h", "g") if cyrillic and _PLAIN_H.search(text) else ("h",)
    chs = ("ch", "k") if "ch" in text else ("ch",)
    return [
        _PLAIN_H.sub(h, _W_SOUNDED.sub(w, text)).replace("ch", ch).replace("H", "h")
        for w, h, ch in product(ws, hs, chs)
    ]


def _key(text: str) -> str:
    key = jellyfish.metaphone(text).replace("0", "T").replace("Y", "").replace("J", "K")
    key = _DOUBLED.sub(r"\1", key)
    if key[:1] in _VOWEL_KEYS:  # as Double Metaphone writes every initial vowel
        key = "A" + key[1:]
    return key


@lru_cache(maxsize=65536)
def sounds(text: str, cyrillic: bool = False) -> frozenset[str]:
    """The Metaphone keys of a token in Latin letters (`cyrillic`: romanised from Cyrillic),
    one per reading (none when too short to count)."""
    return frozenset(k for k in map(_key, _readings(text, cyrillic)) if len(k) >= MIN_KEY)


@lru_cache(maxsize=65536)
def same_sound(x: str, y: str) -> bool:
    """Whether two tokens, one of them (either) romanised from Cyrillic, share a key."""
    return bool(sounds(x, True) & sounds(y) or sounds(x) & sounds(y, True))

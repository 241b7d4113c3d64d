"""How a token sounds: a Metaphone key (`jellyfish`) of a Latin rendering of it.

A clerk who types a foreign volunteer's name in Cyrillic writes what they hear (Джеймз for
James, Томес for Thomas), and the letters then share little beyond their consonants. Both
sides are written in Latin letters first (Cyrillic through the passport romanisation, as for
folding), its digraphs read as an English reader would (dzh as j, zh as j, kh as h, shch as sh,
an initial chr as kr;
a sounded w as v, since Cyrillic has only в for both), and Metaphone keys the consonant sounds;
"0" (th) is read as t, which Cyrillic writes for it, and an initial vowel is any vowel, as
Double Metaphone keys it (Alan, Елен).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

_DIGRAPHS = (("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"))
_W_SOUNDED = re.compile(r"w(?=[aeiouy])")
_CHR = re.compile(r"^chr")  # Christopher, Крістофер: k, as Double Metaphone reads it
_VOWEL_KEYS = frozenset("AEIOU")
MIN_KEY = 2
"""A key of one consonant (Lowe, Ло) says too little to count."""


@lru_cache(maxsize=65536)
def sound(text: str) -> str:
    """The Metaphone key of a Latin token ("" when too short to count)."""
    for digraph, reading in _DIGRAPHS:
        text = text.replace(digraph, reading)
    text = _W_SOUNDED.sub("v", _CHR.sub("kr", text))
    key = jellyfish.metaphone(text).replace("0", "T")
    if key[:1] in _VOWEL_KEYS:  # as Double Metaphone writes every initial vowel
        key = "A" + key[1:]
    return key if len(key) >= MIN_KEY else ""


def same_sound(x: str, y: str) -> bool:
    return bool(sound(x)) and sound(x) == sound(y)

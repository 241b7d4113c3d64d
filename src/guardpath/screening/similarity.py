"""How alike two names are: token similarity, the caps for another name, the pairing of tokens.

Tokens are compared by their folded forms (guardpath.screening.names) with rapidfuzz's OSA
similarity (a swap of two letters is one typo). A name extending another (Shapoval,
Shapovalov; Ivan, Ivanna) or the same stem with another Slavic surname suffix (Demianiuk,
Demianchuk; Bandura, Bandurka; Baranyk, Barannyk) is another name, capped however few letters
differ: a surname is what tells two families apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import OSA

from guardpath.screening.names import Token, spelt, token
from guardpath.screening.sounds import same_sound

EXTRA_TOKEN_WEIGHT = 0.3
"""A name on one side only (a middle name) counts against, lightly; a patronymic not at all."""
SIMILARITY_FLOOR = 0.5
"""Token similarity below this earns nothing: two different given names share letters."""
EXTENSION_CAP = 0.6
"""Shapoval and Shapovalov, Ivan and Ivanna, Melnyk and Melnychuk: one name extending another
is another name (often the other sex), not a typo."""
_FINAL_VOWELS = "aeiou"


SOUND_SIMILARITY = 0.85
"""A Cyrillic token and a Latin one with the same Metaphone key (Джеймз, James) are alike at
least this much: what a clerk typing by ear gets wrong is the vowels."""


def token_similarity(a: Token, b: Token) -> float:
    return text_similarity(a.text, b.text, a.cyrillic != b.cyrillic)


@lru_cache(maxsize=262144)
def text_similarity(x: str, y: str, across: bool = False) -> float:
    """How alike two tokens are; `across` scripts (one was Cyrillic, the other Latin), the
    same sound counts too (`guardpath.screening.sounds`)."""
    # By text: a token's forms follow from its text, and strings hash once.
    a, b = token(x), token(y)
    if len(x) == 1 or len(y) == 1:  # an initial
        initials = {f[0] for f in a.forms} & {f[0] for f in b.forms}
        return 0.9 if initials else 0.0
    similarity = max(_form_similarity(f, g) for f, g in product(a.forms, b.forms))
    similarity = max(similarity, _akanye_similarity(a.forms, b.forms))
    pairs = [*product(a.forms, b.forms), (spelt(x), spelt(y))]
    if any(_other_suffix(f, g) for f, g in pairs):
        return min(similarity, EXTENSION_CAP)  # in any reading: Demianiuk, Demianchuk
    if across and same_sound(x, y) and not any(_extends(f, g) for f, g in pairs):
        return max(similarity, SOUND_SIMILARITY)
    return similarity


AKANYE_CAP = 0.9
"""Belarusian writes a where Russian and Ukrainian write an unstressed o (Каралёў, Королёв;
Лукашэнка, Лукашенко): forms alike but for a and o are near, not equal."""


def _akanye(form: str) -> str:
    return form.replace("o", "a")


def _akanye_similarity(xs: tuple[str, ...], ys: tuple[str, ...]) -> float:
    """AKANYE_CAP when some forms are equal but for a and o (and neither extends the other)."""
    alike = any(_akanye(f) == _akanye(g) and not _extends(f, g) for f, g in product(xs, ys))
    return AKANYE_CAP if alike else 0.0


@lru_cache(maxsize=262144)
def _form_similarity(x: str, y: str) -> float:
    similarity = OSA.normalized_similarity(x, y)
    return min(similarity, EXTENSION_CAP) if _extends(x, y) else similarity


@lru_cache(maxsize=262144)
def _extends(x: str, y: str) -> bool:
    """One name extends the other: Shapoval, Shapovalov; Ivan, Ivanna."""
    stem_x, stem_y = x.rstrip(_FINAL_VOWELS), y.rstrip(_FINAL_VOWELS)
    short, long = sorted((stem_x, stem_y), key=len)
    extended = len(short) >= 3 and len(long) - len(short) >= 2 and long.startswith(short)
    short, long = sorted((x, y), key=len)
    return extended or long in (short + "a", short + "ia", short + "na")


# Slavic surname suffixes, folded (ts is s, ch and shch are S): one stem with another suffix
# is another family's name (Ignatov, Ignatev; Demianiuk, Demianchuk; Vasylenko, Vasylashko).
# A stem with no suffix, ending in a vowel or not, is the bare name (Bandura, Bandurka).
_SURNAME_SUFFIXES = frozenset(
    {"enko", "Senko", "ko", "ka", "uk", "Suk", "ak", "Sak", "ov", "ev",
     "in", "kin", "ik", "nik", "Sik", "ets", "es", "sov", "sev", "iSH", "ovski", "evski",
     "ski", "sHi", "aSko", "ushko", "isin", "ovi", "eni", "oviS", "eviS"}
)  # fmt: skip
_MIN_STEM = 3


@lru_cache(maxsize=262144)
def _splits(form: str) -> dict[str, str]:
    """Every reading of a folded form as stem and suffix, by stem (the soft sign after the
    stem dropped: -ev, -iev); a form with no suffix is a bare stem, its suffix empty."""
    found: dict[str, str] = {}
    for cut in range(_MIN_STEM, len(form) - 1):
        if form[cut:] in _SURNAME_SUFFIXES:
            found.setdefault(form[:cut].rstrip("i"), form[cut:])
    bare = form.rstrip(_FINAL_VOWELS)
    if not found and len(bare) >= _MIN_STEM:
        found[bare] = ""
    return found


_ONE_NAME = (frozenset({"ov", "ev"}), frozenset({"oviS", "eviS"}))
"""-ов and -ев, -ович and -евич: another family (Ignatov, Ignatev) or one name spelt through ё
or in the other language (Журавльов, Zhuravlev; Андрійович, Андреевич). Not capped:
`guardpath.screening.score.decide` sends such a pair to a person, as suffixes alike but for a
and o (Лукашэнка, Лукашенко; Дейнека, Дейнеко)."""


def _suffixes(x: str, y: str) -> set[frozenset[str]]:
    """The pairs of different surname suffixes after one stem."""
    sx, sy = _splits(x), _splits(y)
    return {frozenset((sx[s], sy[s])) for s in sx.keys() & sy.keys() if sx[s] != sy[s]}


def _one_name(pair: frozenset[str]) -> bool:
    """-ов/-ев, -ович/-евич, or suffixes alike but for a and o (-енка, -енко)."""
    return pair in _ONE_NAME or len({_akanye(s) for s in pair}) == 1


def _other_suffix(x: str, y: str) -> bool:
    return any(not _one_name(pair) for pair in _suffixes(x, y))


@lru_cache(maxsize=65536)
def one_name_two_ways(x: str, y: str) -> bool:
    """Whether two tokens differ only as -ов and -ев (or -ович and -евич) after one stem."""
    a, b = token(x), token(y)
    if set(a.forms) & set(b.forms):
        return False
    return any(
        pairs and all(_one_name(pair) for pair in pairs)
        for pairs in (_suffixes(f, g) for f, g in product(a.forms, b.forms))
    )


@lru_cache(maxsize=65536)
def edits(x: str, y: str) -> int:
    """The fewest edits between any folded forms of two tokens (an initial: none; the same
    sound, `guardpath.screening.sounds`, or forms equal but for a and o: at most one)."""
    if len(x) == 1 or len(y) == 1:
        return 0
    forms = list(product(token(x).forms, token(y).forms))
    fewest = min(OSA.distance(f, g) for f, g in forms)
    alike = same_sound(x, y) or any(_akanye(f) == _akanye(g) for f, g in forms)
    return min(1, fewest) if alike else fewest


@lru_cache(maxsize=65536)
def _no_scheme_explains(x: str, y: str) -> bool:
    """No reading of either token folds to the other's, nor does akanye (a and o) make them
    alike: what is left between them is no transliteration variant."""
    a, b = token(x), token(y)
    return not (set(a.forms) & set(b.forms) or _akanye_similarity(a.forms, b.forms))


def more_than_a_slip(a: Token, b: Token) -> bool:
    """Whether two tokens written in one script differ by more than one slip of the typing
    hand in their letters as typed, and by nothing a transliteration scheme explains.

    A typing slip is one letter inserted, dropped, replaced or two swapped, in what was typed:
    Damerau's four kinds ("A technique for computer detection and correction of spelling
    errors", Communications of the ACM 7(3), 1964, found over 80% of misspellings to be one of
    them). The folding (names.py) makes transliteration schemes meet, so its classes (ts, tz,
    z and s for ц; kh, h and g for х and г) are variants of one letter only across schemes.
    Two names typed in one script that folding leaves different are compared in their own
    letters: Roberts and Rogers are one folded edit apart (ts as s) but two typed ones, two
    surnames, not one surname mistyped. Across scripts the typed letters cannot be compared,
    and the folded count stands."""
    if a.cyrillic != b.cyrillic or len(a.text) == 1 or len(b.text) == 1:
        return False
    typed_a, typed_b = a.typed or a.text, b.typed or b.text
    return OSA.distance(typed_a, typed_b) > 1 and _no_scheme_explains(a.text, b.text)


def beyond_a_slip(a: tuple[Token, ...], b: tuple[Token, ...], match: NameMatch) -> bool:
    """Whether a pair of `match` (of the names `a` and `b`) written in one script differs by
    more than a typing slip. Its tokens are found again by their text: a name's tokens of one
    text share its script, and `name_match`, run for every candidate, stays as lean as it was."""
    mine, theirs = {t.text: t for t in a}, {t.text: t for t in b}
    return any(more_than_a_slip(mine[x], theirs[y]) for x, y, _ in match.pairs)


SURNAME_SUFFIXES: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("енко",),
        ("ко",),
        ("ечко", "очко"),
        ("ейко",),
        ("ук", "юк"),
        ("чук",),
        ("ак", "як"),
        ("ик", "їк"),
        ("ець",),
        ("ишин",),
        ("ин",),
        ("ан",),
        ("ун",),
        ("ай", "ей"),
        ("ок",),
        ("ар",),
    )
)
"""The suffixes that form Ukrainian surnames, after Yu. K. Redko, "Suchasni ukrainski
prizvyshcha" (Modern Ukrainian surnames, Kyiv, Naukova dumka, 1966), which classifies them by
their formants: -енко; -ко and its forms -ечко, -очко, -ейко; -ук/-юк and -чук; -ак/-як; -ик;
-ець; -ин, -ишин; -ан, -ун; -ай, -ей; -ок, -ар. Spellings of one suffix after a hard or a soft
consonant (-ук and -юк) are one group. Left out: -ов/-ев/-ів and -ович/-евич (Russian and
Ukrainian forms of one name, the -ov/-ev rule's business) and -ський/-ий (adjective endings
that differ by scheme)."""


@lru_cache(maxsize=65536)
def _suffixes_of(word: str) -> tuple[tuple[str, int], ...]:
    """Each (stem, suffix group) that `word` splits into, the stem of three letters or more."""
    return tuple(
        (word[: -len(suffix)], group)
        for group, suffixes in enumerate(SURNAME_SUFFIXES)
        for suffix in suffixes
        if word.endswith(suffix) and len(word) - len(suffix) >= 3
    )


def other_suffix(a: Token, b: Token) -> bool:
    """Whether two Cyrillic tokens are one stem with two different surname suffixes
    (Василенко and Василечко, Шевченко and Шевчук): two surnames formed from one word, borne by
    different families as often as not, though a letter apart. A typing slip that turns one
    formant into another is rare next to the real surnames that differ so, except a swap of two
    neighbouring letters, the commonest slip of all (Бабко typed Бабок): that stays a slip."""
    if not (a.cyrillic and b.cyrillic and a.typed and b.typed) or a.typed == b.typed:
        return False
    if _one_swap(a.typed, b.typed):
        return False
    theirs = _suffixes_of(b.typed)
    return any(
        stem == other_stem and group != other_group
        for stem, group in _suffixes_of(a.typed)
        for other_stem, other_group in theirs
    )


def _one_swap(x: str, y: str) -> bool:
    """Whether `y` is `x` with two neighbouring letters swapped."""
    if len(x) != len(y):
        return False
    differ = [i for i, (c, d) in enumerate(zip(x, y, strict=True)) if c != d]
    return len(differ) == 2 and differ[1] == differ[0] + 1 and x[differ[0]] == y[differ[1]]


def formed_otherwise(a: tuple[Token, ...], b: tuple[Token, ...], match: NameMatch) -> bool:
    """Whether a pair of `match` is one stem with two surname suffixes (`other_suffix`)."""
    mine, theirs = {t.text: t for t in a}, {t.text: t for t in b}
    return any(other_suffix(mine[x], theirs[y]) for x, y, _ in match.pairs)


def _credit(similarity: float) -> float:
    return max(0.0, (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR))


@dataclass(frozen=True)
class NameMatch:
    score: float
    pairs: tuple[tuple[str, str, float], ...]
    extra: tuple[str, ...]
    patronymics: tuple[str, ...]


def name_match(a: tuple[Token, ...], b: tuple[Token, ...]) -> NameMatch:
    """Pair the tokens greedily, best first, in any order; score the pairs and leftovers."""
    table = sorted(
        ((token_similarity(x, y), i, j) for (i, x), (j, y) in product(enumerate(a), enumerate(b))),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for similarity, i, j in table:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i].text, b[j].text, similarity))
    left = [a[i] for i in range(len(a)) if i not in used_a]
    left += [b[j] for j in range(len(b)) if j not in used_b]
    extra = tuple(t.text for t in left if not t.patronymic)
    weight = len(pairs) + EXTRA_TOKEN_WEIGHT * len(extra)
    total = sum(_credit(s) for _, _, s in pairs)
    return NameMatch(
        total / weight if weight else 0.0,
        tuple(pairs),
        extra,
        tuple(t.text for t in left if t.patronymic),
    )

"""Comparing two identities: a score in [0, 1] and the reasons behind it.

Features are the names (best pair of any name or alias on each side), the birth dates and the
document numbers. Each known feature gives a value in [0, 1] and a weight; the score is their
weighted mean, so a feature that is unknown on either side neither helps nor hurts. The names
weigh most, the birth date decides between namesakes, an equal passport number counts
strongly and a different one weakly (people renew passports and hold several).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from guardpath.screening.names import Token, tokens
from guardpath.screening.similarity import (
    NameMatch,
    beyond_a_slip,
    edits,
    formed_otherwise,
    name_match,
    one_name_two_ways,
)

THRESHOLD = 0.80
"""A candidate from this score up; chosen on the tuning rows of tests/data/name_pairs.csv."""

NAME_WEIGHT = 0.6
BIRTH_WEIGHT = 0.3
SAME_DOCUMENT_WEIGHT = 0.3
OTHER_DOCUMENT_WEIGHT = 0.1


@dataclass(frozen=True)
class Identity:
    """What screening compares. Birth dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""

    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """An identity with its names tokenised and folded once, for many comparisons."""

    identity: Identity
    names: tuple[tuple[Token, ...], ...]
    documents: frozenset[str] = field(default_factory=frozenset)


def normalise_document(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def profile(identity: Identity) -> Profile:
    # Once each: a native name in Cyrillic often romanises to the passport's Latin name, and
    # comparing the same tokens twice changes no score.
    names = tuple(dict.fromkeys(t for t in (tokens(n) for n in identity.names) if t))
    documents = frozenset(d for d in map(normalise_document, identity.documents) if d)
    return Profile(identity, names, documents)


@dataclass(frozen=True)
class Reason:
    feature: str  # name | birth_date | document | country
    verdict: str  # agrees | partly_agrees | contradicts
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"feature": self.feature, "verdict": self.verdict, "detail": self.detail}


@dataclass(frozen=True)
class Comparison:
    score: float
    reasons: tuple[Reason, ...]

    @property
    def is_candidate(self) -> bool:
        return self.score >= THRESHOLD


# -- names ---------------------------------------------------------------------------------
def best_name_match(a: Profile, b: Profile) -> NameMatch | None:
    matches = [name_match(x, y) for x, y in product(a.names, b.names)]
    return max(matches, key=lambda m: m.score) if matches else None


def _best_names(a: Profile, b: Profile) -> tuple[NameMatch, bool, bool] | None:
    """`best_name_match` (the first best, as `max` takes it), whether a pair of it written
    in one script differs by more than a typing slip (`similarity.beyond_a_slip`), and whether
    a pair is one stem with two surname suffixes (`similarity.formed_otherwise`)."""
    found = [(name_match(x, y), x, y) for x, y in product(a.names, b.names)]
    if not found:
        return None
    match, x, y = max(found, key=lambda m: m[0].score)
    return match, beyond_a_slip(x, y, match), formed_otherwise(x, y, match)


def _name_reasons(match: NameMatch) -> list[Reason]:
    reasons = []
    for x, y, similarity in match.pairs:
        verdict = (
            "agrees"
            if similarity >= 0.95
            else "partly_agrees"
            if similarity >= 0.75
            else "contradicts"
        )
        reasons.append(Reason("name", verdict, f"{x} ~ {y} ({similarity:.2f})"))
    reasons += [Reason("name", "contradicts", f"{t} on one side only") for t in match.extra]
    reasons += [
        Reason("name", "agrees", f"patronymic {t} on one side only") for t in match.patronymics
    ]
    return reasons


# -- birth dates -----------------------------------------------------------------------------
EQUAL_BIRTH, AGREEING_BIRTH, CLOSE_BIRTH, SAME_YEAR = 1.0, 0.8, 0.7, 0.3
_DIGIT_PLACES = (0, 1, 2, 3, 5, 6, 8, 9)  # of YYYY-MM-DD


def _one_digit_apart(x: str, y: str) -> bool:
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y, strict=True)) == 1


@lru_cache(maxsize=65536)
def around(day: str) -> frozenset[str]:
    """The full date `day`, the dates one digit away and `day` with day and month swapped:
    those `birth_similarity` scores EQUAL_BIRTH or CLOSE_BIRTH against it (impossible dates
    too: they are only looked up). Cached: applicants share their birth dates."""
    year, month, of_month = day.split("-")
    swapped = f"{year}-{of_month}-{month}"
    return frozenset(
        {swapped} | {day[:i] + d + day[i + 1 :] for i in _DIGIT_PLACES for d in "0123456789"}
    )


def birth_similarity(x: str, y: str) -> tuple[float, str]:
    precision = min(len(x), len(y))
    if x[:precision] == y[:precision]:
        if precision == 10:
            return EQUAL_BIRTH, "equal"
        return AGREEING_BIRTH, f"agree to {x[:precision]}"
    if precision < 10:
        return 0.0, f"{x} and {y} differ"
    (xy, xm, xd), (yy, ym, yd) = x.split("-"), y.split("-")
    if xy == yy and (xm, xd) == (yd, ym):
        return CLOSE_BIRTH, f"{x} and {y}: day and month swapped"
    if _one_digit_apart(x, y):
        return CLOSE_BIRTH, f"{x} and {y} differ by one digit"
    if xy == yy:
        return SAME_YEAR, f"{x} and {y}: same year only"
    return 0.0, f"{x} and {y} differ"


def _best_birth(a: Profile, b: Profile) -> float | None:
    """The best `birth_similarity` of any two of their birth dates, without its reasons; two
    full dates, the common case, by a lookup in `around`, as a screen tries thousands of
    namesakes `b` against one `a`."""
    mine, theirs = a.identity.birth_dates, b.identity.birth_dates
    if len(mine) == len(theirs) == 1 and len(mine[0]) == len(theirs[0]) == 10:
        x, y = mine[0], theirs[0]
        if x == y:
            return EQUAL_BIRTH
        if y in around(x):
            return CLOSE_BIRTH
        return SAME_YEAR if x[:4] == y[:4] else 0.0
    return max((birth_similarity(x, y)[0] for x, y in product(mine, theirs)), default=None)


def _birth(a: Identity, b: Identity) -> tuple[float, Reason] | None:
    found = [birth_similarity(x, y) for x, y in product(a.birth_dates, b.birth_dates)]
    if not found:
        return None
    value, detail = max(found)
    verdict = (
        "agrees" if value >= AGREEING_BIRTH else "partly_agrees" if value > 0 else "contradicts"
    )
    return value, Reason("birth_date", verdict, detail)


# -- the whole -------------------------------------------------------------------------------
def cannot_reach(a: Profile, b: Profile, threshold: float = THRESHOLD) -> bool:
    """Whether even equal names would leave the score under `threshold`: the birth dates
    contradict. Cheap, so a screen skips the name comparison of most namesakes."""
    return _at_most(_best_birth(a, b), bool(a.documents & b.documents)) < threshold


def _at_most(birth: float | None, same_document: bool) -> float:
    """The score equal names would give with this birth-date agreement."""
    if birth is None:
        return 1.0
    documents = SAME_DOCUMENT_WEIGHT if same_document else 0.0
    best = NAME_WEIGHT + BIRTH_WEIGHT * birth + documents
    return best / (NAME_WEIGHT + BIRTH_WEIGHT + documents)


def reachable_births(a: Profile, threshold: float = THRESHOLD) -> frozenset[str] | None:
    """The birth dates with which someone of one full birth date and no document in common
    with `a` can still score `threshold`: `a`'s own and the close ones. None when that cannot
    be said so simply (`a` has no single full birth date, or the same year is enough)."""
    births = a.identity.birth_dates
    if len(births) != 1 or len(births[0]) != 10 or _at_most(SAME_YEAR, False) >= threshold:
        return None
    return around(births[0])


def _shared_document(a: Profile, b: Profile) -> bool | None:
    return bool(a.documents & b.documents) if a.documents and b.documents else None


def _weighted(names: NameMatch, birth: float | None, same_document: bool | None) -> float:
    parts = [(NAME_WEIGHT, names.score)]
    if birth is not None:
        parts.append((BIRTH_WEIGHT, birth))
    if same_document is not None:
        parts.append((SAME_DOCUMENT_WEIGHT, 1.0) if same_document else (OTHER_DOCUMENT_WEIGHT, 0.0))
    return round(sum(w * v for w, v in parts) / sum(w for w, _ in parts), 4)


def score(a: Profile, b: Profile) -> float:
    """`compare`'s score alone: what decides, before the reasons are written."""
    names = best_name_match(a, b)
    return 0.0 if names is None else _weighted(names, _best_birth(a, b), _shared_document(a, b))


def compare(a: Profile, b: Profile) -> Comparison:
    names = best_name_match(a, b)
    if names is None:
        return Comparison(0.0, ())
    reasons = _name_reasons(names)
    birth = _birth(a.identity, b.identity)
    if birth is not None:
        reasons.append(birth[1])
    same_document = _shared_document(a, b)
    if same_document is not None:
        reasons.append(
            Reason("document", "agrees", "a document number is the same")
            if same_document
            else Reason("document", "contradicts", "the document numbers differ")
        )
    shared = {c.lower() for c in a.identity.countries} & {c.lower() for c in b.identity.countries}
    if a.identity.countries and b.identity.countries:
        verdict = "agrees" if shared else "contradicts"
        reasons.append(Reason("country", verdict, ", ".join(sorted(shared)) or "no country shared"))
    value = _weighted(names, birth[0] if birth else None, same_document)
    return Comparison(value, tuple(reasons))


# -- the decision ------------------------------------------------------------------------------
MATCH, REVIEW, NO_MATCH = "match", "review", "no_match"
TOKEN_AGREES = 0.75
"""Every paired name token must reach this for a match: a contradicting given name beside an
equal surname, patronymic and birth date is a twin or a sibling, a question for a person."""


@dataclass(frozen=True)
class Decision:
    """match, review (a person decides) or no_match, with the comparison and why."""

    kind: str
    comparison: Comparison
    why: tuple[str, ...]


TYPO_THRESHOLD = 0.65
"""The threshold when every name token is within one edit of its pair: a typo in a short name
(Bell, Bll) costs a third of its similarity, yet is still one typo."""


WHY_NAME_DIFFERS = "a name differs by more than one typo: a relative or a namesake is possible"
WHY_SUFFIX = "-ov and -ev (or -ovych and -evych, or a and o): another family, or one name two ways"
WHY_ONE_SIDE = "a name on one side only"
"""Followed by ": " and the names."""
WHY_BIRTH_DATES = "the birth dates differ: a typo or a namesake, a person decides"
WHY_OTHER_SUFFIX = (
    "one stem with two surname suffixes (-enko and -echko, -chuk and -uk): relatives or namesakes"
)
WHYS = (WHY_NAME_DIFFERS, WHY_SUFFIX, WHY_OTHER_SUFFIX, WHY_ONE_SIDE, WHY_BIRTH_DATES)
"""Why a pair is for review; the console shows them in the reader's language (screening.po)."""


def decide(a: Profile, b: Profile) -> Decision:
    """Three outcomes from one comparison. A score under THRESHOLD is no match. Over it, a
    match needs every paired name token to agree and the birth dates, when both are known,
    not to differ: a date one digit off or with day and month swapped is a possible typo and
    a name token that contradicts is a possible twin or relative, both for review."""
    comparison = compare(a, b)
    best = _best_names(a, b)
    names, not_a_slip, two_suffixes = best if best else (None, False, False)
    pairs = names.pairs if names else ()
    birth = _best_birth(a, b)
    # Two names typed in one script more than one slip apart (Rogers, Roberts: one folded
    # edit) are not one name mistyped (not_a_slip): no lowered threshold, a person decides.
    one_typo = (
        bool(pairs)
        and all(edits(x, y) <= 1 and s >= TYPO_THRESHOLD for x, y, s in pairs)
        and not not_a_slip
        and not two_suffixes
        and (birth is None or birth >= AGREEING_BIRTH)
    )
    if comparison.score < (TYPO_THRESHOLD if one_typo else THRESHOLD):
        return Decision(NO_MATCH, comparison, ("the score is under the threshold",))
    why = []
    if not_a_slip or any(s < TYPO_THRESHOLD or edits(x, y) > 1 for x, y, s in pairs):
        why.append(WHY_NAME_DIFFERS)
    if any(one_name_two_ways(x, y) for x, y, _ in pairs):
        why.append(WHY_SUFFIX)
    if two_suffixes:
        why.append(WHY_OTHER_SUFFIX)
    if names is not None and names.extra:
        why.append(f"{WHY_ONE_SIDE}: " + ", ".join(names.extra))
    if birth is not None and birth < AGREEING_BIRTH:
        why.append(WHY_BIRTH_DATES)
    if why:
        return Decision(REVIEW, comparison, tuple(why))
    return Decision(MATCH, comparison, ("names and birth date agree",))


def candidate(a: Profile, b: Profile) -> Decision | None:
    """`decide`, for a screen of many: None at once for those that cannot be more than no match
    (contradicting birth dates, a low score), else the decision unless it is no match."""
    if cannot_reach(a, b) or score(a, b) < TYPO_THRESHOLD:
        return None
    decision = decide(a, b)
    return None if decision.kind == NO_MATCH else decision

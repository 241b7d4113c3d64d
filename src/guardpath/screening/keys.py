"""Blocking keys: which records are worth comparing at all.

A record is compared only with those sharing a key. Each pair of name tokens gives the pair of
their consonant skeletons ("p:Srvl+mksm"), in any order and whatever the birth date, so a birth
date typed wrong still meets the right name; with a birth date, each token alone gives its
skeleton with that date ("t:Srvl|1991-04-02"), so a typo early in one token is still met
through the other; each token's Metaphone keys with the date ("s:KRSTFR|1984-12-27") meets an
English name typed in Cyrillic by ear, whose letters may share no skeleton (Christopher,
Крістефер). A one-token name gives its skeleton alone ("p:Srvl"). The service stores
these only as keyed blind indexes: the database never holds a skeleton or a date.

A token's key carries the date as precisely as it is known: a full date for an applicant, so a
block holds the people of one skeleton born on one day and does not grow with the register
(with the year alone, "t:ivn|1990" held about a fortieth of every Ivan). The cost is a pair with
both an early typo in a name token and another birth date, which meets through no key; a pair
with another birth date alone still meets through its pair key.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from guardpath.screening.names import Token, skeleton
from guardpath.screening.sounds import sounds


def token_skeletons(name: Iterable[Token]) -> list[set[str]]:
    return [s for s in ({skeleton(f) for f in t.forms} - {""} for t in name) if s]


def name_keys(names: Iterable[Iterable[Token]], dates: Iterable[str] = ()) -> set[str]:
    """The keys of a record with these names and birth dates (`YYYY`, `YYYY-MM` or
    `YYYY-MM-DD`, each used as given: pass years for a year-wide block)."""
    keys: set[str] = set()
    dates = sorted(set(dates))
    for name in names:
        name = tuple(name)
        per_token = token_skeletons(name)
        for skeletons in per_token:
            keys |= {f"t:{s}|{d}" for s in skeletons for d in dates}
        keys |= {f"s:{k}|{d}" for t in name for k in sounds(t.text, t.cyrillic) for d in dates}
        if len(per_token) == 1:
            keys |= {f"p:{s}" for s in per_token[0]}
        for left, right in combinations(per_token, 2):
            keys |= {"p:" + "+".join(sorted((a, b))) for a in left for b in right}
    return keys

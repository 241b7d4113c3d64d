"""Three-valued (Kleene) logic. A truth value is True, False or None (unknown)."""

from __future__ import annotations

from collections.abc import Iterable

Truth = bool | None


def all_of(values: Iterable[Truth]) -> Truth:
    """False as soon as one part is false; unknown only if nothing is false."""
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def any_of(values: Iterable[Truth]) -> Truth:
    """True as soon as one part is true; unknown only if nothing is true."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def negate(value: Truth) -> Truth:
    return None if value is None else not value

"""The quick birth-date check a screen makes on every namesake decides as the full score would."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from guardpath.screening.score import (
    BIRTH_WEIGHT,
    NAME_WEIGHT,
    SAME_DOCUMENT_WEIGHT,
    Identity,
    around,
    birth_similarity,
    cannot_reach,
    profile,
    reachable_births,
)

days = st.dates(date(1950, 1, 1), date(2009, 12, 31)).map(date.isoformat)


@st.composite
def near(draw: st.DrawFn, day: str) -> str:
    """Another birth date as a form may get it wrong: a digit, day and month, a part left out."""
    how = draw(st.sampled_from(["digit", "swap", "year", "month", "days away", "other"]))
    if how == "digit":
        place = draw(st.sampled_from([0, 1, 2, 3, 5, 6, 8, 9]))
        return day[:place] + draw(st.sampled_from("0123456789")) + day[place + 1 :]
    if how == "swap":
        return f"{day[:4]}-{day[8:]}-{day[5:7]}"
    if how in ("year", "month"):
        return day[: 4 if how == "year" else 7]
    if how == "days away":
        moved = date.fromisoformat(day) + timedelta(days=draw(st.integers(-40, 40)))
        return moved.isoformat()
    return draw(days)


@st.composite
def two_people(draw: st.DrawFn) -> tuple[Identity, Identity]:
    mine = draw(st.lists(days, min_size=0, max_size=2))
    theirs = [draw(near(draw(st.sampled_from(mine)))) for _ in mine] if mine else []
    theirs += draw(st.lists(days, max_size=1))
    passport = draw(st.sampled_from([("P1",), ("P2",), ()]))
    return Identity(("A B",), tuple(mine), ("P1",)), Identity(("A B",), tuple(theirs), passport)


def full_score_cannot_reach(a: Identity, b: Identity, threshold: float) -> bool:
    """`cannot_reach` as first written: the best `birth_similarity` of every pair of dates."""
    found = [birth_similarity(x, y)[0] for x, y in product(a.birth_dates, b.birth_dates)]
    if not found:
        return False
    documents = SAME_DOCUMENT_WEIGHT if set(a.documents) & set(b.documents) else 0.0
    best = NAME_WEIGHT + BIRTH_WEIGHT * max(found) + documents
    return best / (NAME_WEIGHT + BIRTH_WEIGHT + documents) < threshold


@settings(max_examples=500, deadline=None)
@given(two_people(), st.sampled_from([0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]))
def test_it_skips_exactly_the_namesakes_the_full_score_would_reject(
    people: tuple[Identity, Identity], threshold: float
) -> None:
    a, b = people
    assert cannot_reach(profile(a), profile(b), threshold) == full_score_cannot_reach(
        a, b, threshold
    )


@st.composite
def born_near(draw: st.DrawFn) -> tuple[Identity, Identity]:
    """Two people of one full birth date each, with different passports."""
    mine = draw(days)
    theirs = draw(near(mine).filter(lambda d: len(d) == 10))
    return Identity(("A B",), (mine,), ("P1",)), Identity(("A B",), (theirs,), ("P2",))


@settings(max_examples=300, deadline=None)
@given(born_near())
def test_someone_born_on_no_reachable_date_cannot_reach(people: tuple[Identity, Identity]) -> None:
    a, b = people
    reachable = reachable_births(profile(a))
    assert reachable is not None
    assert (b.birth_dates[0] in reachable) != cannot_reach(profile(a), profile(b))


def test_the_dates_around_a_birth_date_are_one_digit_off_or_swapped_not_the_same_year() -> None:
    assert {"1991-03-04", "1991-03-05", "1981-03-04", "1991-04-03"} <= around("1991-03-04")
    assert "1991-07-19" not in around("1991-03-04")

"""Kleene's three-valued logic: True, False, None (unknown)."""

from __future__ import annotations

import pytest

from guardpath.law.logic import Truth, all_of, any_of, negate

T, F, U = True, False, None

AND = [
    (T, T, T),
    (T, F, F),
    (T, U, U),
    (F, T, F),
    (F, F, F),
    (F, U, F),
    (U, T, U),
    (U, F, F),
    (U, U, U),
]
OR = [
    (T, T, T),
    (T, F, T),
    (T, U, T),
    (F, T, T),
    (F, F, F),
    (F, U, U),
    (U, T, T),
    (U, F, U),
    (U, U, U),
]


@pytest.mark.parametrize(("left", "right", "expected"), AND)
def test_it_ands_by_kleene(left: Truth, right: Truth, expected: Truth) -> None:
    assert all_of([left, right]) is expected


@pytest.mark.parametrize(("left", "right", "expected"), OR)
def test_it_ors_by_kleene(left: Truth, right: Truth, expected: Truth) -> None:
    assert any_of([left, right]) is expected


@pytest.mark.parametrize(("value", "expected"), [(T, F), (F, T), (U, U)])
def test_it_negates_by_kleene(value: Truth, expected: Truth) -> None:
    assert negate(value) is expected


def test_it_treats_nothing_as_all_met_and_none_met() -> None:
    assert all_of([]) is True
    assert any_of([]) is False


@pytest.mark.parametrize(
    ("values", "conjunction", "disjunction"),
    [
        ([U, F, U], F, U),
        ([U, T, U], U, T),
        ([T, U, T], U, T),
        ([F, U, F], F, U),
        ([T, F, U], F, T),
    ],
)
def test_it_combines_many_parts_by_kleene(
    values: list[Truth], conjunction: Truth, disjunction: Truth
) -> None:
    assert all_of(iter(values)) is conjunction
    assert any_of(iter(values)) is disjunction

"""Suppression and banding by themselves, on counts given directly: which cells are hidden,
in what order cells are shown, and that no subtraction narrows a hidden count."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardpath.services.statistics import (
    SMALL,
    Dimension,
    Filters,
    Hidden,
    breakdown,
    suppress,
)


def test_it_hides_nothing_when_no_count_is_small() -> None:
    assert suppress({"a": 5, "b": 50}) == ({}, True)


def test_it_hides_two_small_cells_whose_sum_would_give_them_away() -> None:
    # 1 + 1 = 2 pins both; a third cell must go too.
    hidden, protected = suppress({"a": 1, "b": 1, "c": 100, "d": 200})

    assert hidden == {"a": Hidden.SMALL, "b": Hidden.SMALL, "c": Hidden.COMPLEMENTARY}
    assert protected


def test_it_orders_hidden_cells_by_key_not_by_their_counts() -> None:
    result = breakdown(Dimension.CITIZENSHIP, {"ZA": 4, "AM": 1, "US": 90, "PL": 9}, 104)

    assert [c.key for c in result.cells] == ["US", "PL", "AM", "ZA"]


def _possible_values(cells: list[tuple[Hidden, int]], ceiling: float, total: int) -> set[int]:
    """The values of the first hidden cell consistent with what is published, by enumeration."""
    reachable = {0}
    for kind, _ in cells[1:]:
        top = SMALL - 1 if kind is Hidden.SMALL else int(min(ceiling, total))
        low = 1 if kind is Hidden.SMALL else SMALL
        reachable = {s + v for s in reachable for v in range(low, top + 1) if s + v <= total}
    return {v for v in range(1, SMALL) if total - v in reachable}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(1, 30), min_size=1))
def test_it_never_lets_subtraction_narrow_a_small_count(counts: dict[str, int]) -> None:
    hidden, protected = suppress(counts)
    shown_counts = [n for k, n in counts.items() if k not in hidden]
    assert all(n >= SMALL for n in shown_counts)
    assert {k for k, h in hidden.items() if h is Hidden.SMALL} == {
        k for k, n in counts.items() if n < SMALL
    }
    if not protected:
        assert not shown_counts  # it gave up only with everything hidden
        return
    ceiling = min(shown_counts, default=float("inf"))
    hidden_sum = sum(counts[k] for k in hidden)
    for key, kind in hidden.items():
        if kind is Hidden.SMALL:
            order = [(kind, counts[key])] + [(h, counts[k]) for k, h in hidden.items() if k != key]
            assert _possible_values(order, ceiling, hidden_sum) == {1, 2, 3, 4}


def test_it_refuses_a_range_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="after its end"):
        Filters(start=date(2025, 2, 1), end=date(2025, 1, 31))
    with pytest.raises(ValueError, match="formation"):
        Filters(formation="navy")


def test_it_counts_whole_months_only() -> None:
    with pytest.raises(ValueError, match="start must be the first day of a month"):
        Filters(start=date(2025, 2, 11))
    with pytest.raises(ValueError, match="end must be the last day of a month"):
        Filters(end=date(2025, 2, 10))
    assert Filters.months("afu", date(2024, 2, 17), date(2024, 2, 3)) == Filters(
        "afu", date(2024, 2, 1), date(2024, 2, 29)
    )
    assert Filters.months(None, None, date(9999, 12, 5)).end == date(9999, 12, 31)


def test_it_orders_shown_cells_by_their_band_not_their_exact_counts() -> None:
    result = breakdown(Dimension.CITIZENSHIP, {"PL": 14, "AM": 10, "US": 90}, 114)

    assert [(c.key, c.shown) for c in result.cells] == [("US", "90"), ("AM", "10"), ("PL", "10")]
    assert result.total.shown == "110"

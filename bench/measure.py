"""Repeated measurement on a shared, noisy machine: medians with min and max, and ratios taken
round by round (each round times guardpath and its peer back to back, so a burst of load from
another process hits both sides of the same ratio)."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

T = TypeVar("T")
Row = tuple[str, str, str, bool | None]
"""One line of a report: benchmark, figure as shown, target, met (None where no target)."""


@dataclass(frozen=True)
class Spread:
    """The median, min and max of repeated samples of one quantity."""

    median: float
    min: float
    max: float
    runs: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))

    def scaled(self, factor: float) -> Spread:
        return Spread(self.median * factor, self.min * factor, self.max * factor, self.runs)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    return timed(action)[0]


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Wall-clock seconds of one call, and what it returned."""
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def per_second(count: int, samples: Sequence[float]) -> Spread:
    """Items per second from samples of seconds: the median of the rates, so the fastest run
    is the max."""
    return Spread.of([count / s for s in samples])


def ratios(numerators: Sequence[float], denominators: Sequence[float]) -> Spread:
    """Round-by-round ratios of two paired series of samples."""
    return Spread.of([n / d for n, d in zip(numerators, denominators, strict=True)])


@dataclass(frozen=True)
class LinearFit:
    """seconds ≈ fixed + per_item × n, by least squares over the sizes measured."""

    fixed_seconds: float
    per_item_seconds: float

    @classmethod
    def of(cls, sizes: Sequence[int], times: Sequence[float]) -> LinearFit:
        mean_n = statistics.fmean(sizes)
        mean_t = statistics.fmean(times)
        spread = sum((n - mean_n) ** 2 for n in sizes)
        slope = sum((n - mean_n) * (t - mean_t) for n, t in zip(sizes, times, strict=True))
        slope /= spread
        return cls(mean_t - slope * mean_n, slope)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def growth(sizes: Sequence[int], times: Sequence[float]) -> list[float]:
    """How cost grows from each size to the next: log(t2/t1) / log(n2/n1). 1.0 is linear,
    below 1 means a fixed cost still weighs, above 1 means worse than linear."""
    pairs = zip(
        zip(sizes[:-1], times[:-1], strict=True),
        zip(sizes[1:], times[1:], strict=True),
        strict=True,
    )
    return [math.log(t2 / t1) / math.log(n2 / n1) for (n1, t1), (n2, t2) in pairs]

"""What a draft amendment changes, as it may be shown: the statistics' small-count suppression
applied to the counts of `guardpath.law.reform` (a count from 1 to 4 shows "<5", with the
complementary cells that would give it away; a breakdown that cannot be protected is withheld).

For a table the analyst brought (`guardpath reform`), the totals, transitions and rule counts are
exact and the breakdowns by person are suppressed; over the live cases every count is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guardpath.law.reform import Impact
from guardpath.services.statistics import SMALL, suppress


def suppressed(counts: Mapping[str, int]) -> dict[str, Any]:
    """`{"cells": {key: count | "<5" | "x"}, "withheld": bool}` for one set of counts."""
    kept = {key: n for key, n in counts.items() if n > 0}
    hidden, protected = suppress(kept)
    if not protected:
        return {"cells": {}, "withheld": True}
    cells: dict[str, int | str] = {
        key: hidden[key].value if key in hidden else n for key, n in sorted(kept.items())
    }
    return {"cells": cells, "withheld": False}


def small(count: int) -> int | str:
    """A single total: shown unless it is from 1 to 4."""
    return f"<{SMALL}" if 0 < count < SMALL else count


def impact_report(impact: Impact, everything: bool = False) -> dict[str, Any]:
    """The contract's answer: breakdowns suppressed, and with `everything` the rest too."""
    out = impact.as_json()
    out["by"] = {dimension: suppressed(counts) for dimension, counts in impact.by.items()}
    if everything:
        out["people"] = small(impact.people)
        out["changed"] = small(impact.changed)
        out["transitions"] = suppressed(impact.transitions)
        out["by_rule"] = suppressed(impact.by_rule)
    return out

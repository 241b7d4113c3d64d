"""What a draft amendment changes, as it may be shown: the statistics' small-count suppression
applied to the counts of `guardpath.law.reform` (a count from 1 to 4 shows "<5", with the
complementary cells that would give it away; a breakdown that cannot be protected is withheld).

For a table the analyst brought (`guardpath reform`), the totals, transitions and rule counts are
exact and the breakdowns by person are suppressed; over the live cases every count is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from guardpath.adapters import audit
from guardpath.cases.facts import engine_facts
from guardpath.cases.model import Actor, Role
from guardpath.cases.transitions import NotPermitted
from guardpath.law.draft import Draft
from guardpath.law.facts import BOOL_FACTS, FACT_NAMES
from guardpath.law.reform import OLDEST_BAND, STATELESS, UNKNOWN, Impact, reform_frame
from guardpath.law.table import JSON_COLUMNS, conform
from guardpath.population import generate
from guardpath.services.ports import Ports
from guardpath.services.statistics import SMALL, suppress

__all__ = [
    "OLDEST_BAND",
    "STATELESS",
    "UNKNOWN",
    "impact_on_cases",
    "impact_on_demo",
    "impact_report",
    "small",
    "suppressed",
]
"""The age band and the placeholders of the breakdowns are the engine's; the pages name them."""


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


# -- over the live cases ------------------------------------------------------------------------
STATISTICS_ROLES = (Role.ANALYST, Role.ADMIN)


def _table(facts: list[dict[str, Any]]) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {}
    for name in FACT_NAMES:
        values = [f.get(name) for f in facts]
        if name in JSON_COLUMNS:
            values = [None if v is None else json.dumps(v) for v in values]
        columns[name] = values
    schema = {n: pl.Boolean if n in BOOL_FACTS else pl.String for n in FACT_NAMES}
    return conform(pl.DataFrame(columns, schema=schema))


def impact_on_cases(
    ctx: Ports, actor: Actor, draft: Draft, question: str, on: date
) -> dict[str, Any]:
    """The draft's impact over every case's facts as the case holds them, every count
    suppressed; the run is recorded in the audit chain (the draft, never a case)."""
    if actor.role not in STATISTICS_ROLES:
        raise NotPermitted(f"a {actor.role.value} does not see statistics")
    with ctx.unit_of_work() as uow:
        facts = [engine_facts(uow.cases.get(case_id)) for case_id in uow.cases.all_case_ids()]
        impact, _ = reform_frame(_table(facts), question, on, draft.law, draft.legislation)
        details = {
            "title": draft.title,
            "draft_version": draft.version,
            "law_version": draft.law.version,
            "question": question,
            "on": on.isoformat(),
        }
        uow.audit(
            audit.Entry(ctx.clock(), actor.id, actor.role.value, "what_if_cases", "cases", details)
        )
        uow.commit()
    return impact_report(impact, everything=True)


def impact_on_demo(draft: Draft, question: str, on: date, size: int, seed: int) -> dict[str, Any]:
    """The draft's impact on a synthetic population (guardpath.population), breakdowns
    suppressed as for any table of people."""
    people = generate(size, seed=seed)
    impact, _ = reform_frame(people, question, on, draft.law, draft.legislation)
    return impact_report(impact)

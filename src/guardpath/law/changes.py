"""What changed in the law and when: every provision that starts or ends, by date, with its
citations. The same list backs `guardpath law changes` and the public page "What changed and
when"; it is read from the legislation tree, so it is never out of step with the answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from guardpath.law.citations import Citation
from guardpath.law.dates import ONE_DAY
from guardpath.law.model import Legislation, Period
from guardpath.law.text import Text

BASELINE = date(2014, 1, 1)
"""The law as guardpath holds it from this day is its starting point, not a change."""


@dataclass(frozen=True)
class Change:
    """On `day`, the provision `name` starts (or `ends`: it no longer applies from that day)."""

    day: date
    event: str  # "starts" | "ends"
    kind: str  # "parameter" | "rule" | "exception" | "obligation"
    name: str
    label: Text
    value: Any
    """A parameter's new value (None where the law is unknown there); None otherwise."""
    citations: tuple[Citation, ...]
    open_question: str | None = None

    @property
    def verified(self) -> bool:
        return all(c.verified for c in self.citations)

    def as_json(self, language: str = "en") -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "date": self.day.isoformat(),
            "event": self.event,
            "kind": self.kind,
            "name": self.name,
            "label": self.label.get(language),
            "value": value,
            "open_question": self.open_question,
            "verified": self.verified,
            "citations": [c.as_json(language) for c in self.citations],
        }


def _period_changes(
    kind: str, name: str, label: Text, period: Period | None, citations: tuple[Citation, ...]
) -> list[Change]:
    if period is None:
        return []
    found = [Change(period.start, "starts", kind, name, label, None, citations)]
    if period.end is not None:
        found.append(Change(period.end + ONE_DAY, "ends", kind, name, label, None, citations))
    return found


def changes(legislation: Legislation, since: date | None = None) -> list[Change]:
    """Every change after the baseline (and on or after `since`), by date, then by name."""
    found: list[Change] = []
    for parameter in legislation.parameters.values():
        for entry in parameter.values:
            found.append(
                Change(
                    entry.start,
                    "starts",
                    "parameter",
                    parameter.name,
                    parameter.label,
                    entry.value,
                    entry.citations,
                    entry.open_question,
                )
            )
    for rule in legislation.rules.values():
        found += _period_changes("rule", rule.name, rule.label, rule.period, rule.citations)
        for e in rule.exceptions:
            name = f"{rule.name}.{e.name}"
            found += _period_changes("exception", name, e.label, e.period, e.citations)
    for o in legislation.obligations.values():
        found += _period_changes("obligation", o.name, o.label, o.period, o.citations)
    first = max(BASELINE, since) if since is not None else BASELINE
    kept = [c for c in found if c.day > BASELINE and c.day >= first]
    return sorted(kept, key=lambda c: (c.day, c.event != "ends", c.name))

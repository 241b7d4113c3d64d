"""Draft amendments: what if the law changes?

A draft is a YAML file in the legislation's own vocabulary: a title, its source and a list of
changes. It is applied in memory to the loaded legislation, giving a second `Legislation` that
the same evaluators answer with; every rule it writes goes through the loader's parser and type
checks, and the whole is checked for references, open questions and cycles as the law is. The
law in force is never modified: the draft builds new dictionaries and new rules beside it.

    title: Minimum age 21 from 2025
    source:                                        # the bill: not an act of the registry
      title: {en: Draft bill (example), uk: Законопроєкт (приклад)}
      href: https://example.org/bill
    acts:                                          # optional: acts the draft cites by id,
      bill_1234: {title: {en: ..., uk: ...}}       # beside those of legislation/acts.yaml
    changes:
      - parameter: enlistment.common.age.min       # new values from a date on
        values: {2025-01-01: {value: 21}}
      - rule: enlistment.common.age                 # a new condition (or all/any, exceptions)
        from: 2025-09-01
        replace: {condition: "..."}
      - rule: enlistment.foreigners.women          # a period replaced
        period: {from: 2024-10-30, to: 2026-12-31}
      - rule: citizenship.suspension.russian_citizens
        repeal: 2026-07-01                         # no longer applies from that day
      - rule: enlistment.foreigners.language        # a new rule under a parent, from a date
        under: enlistment.foreigners
        from: 2027-01-01
        add: {label: {en: ..., uk: ...}, condition: "..."}
      - settle: law_2863_in_force                  # an open question answered
        value: true

A parameter's draft values replace the law's from the first draft date on. A rule replaced
`from` a date becomes, in the draft, a choice between two dated versions of itself (`NAME.law`
up to the day before, `NAME.draft` from it), so each answer shows which version it used. A change
without its own citations cites the draft's source (unverified), known to citations by the act id
`draft`. Citations written in a draft take the legislation's form (`act: <id>`, `provision: {en,
uk}`), the id naming an act of `legislation/acts.yaml`, one of the draft's own `acts`, or `draft`.
A draft has its own version: a hash of the law version and the draft file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from guardpath.law.citations import Act, Citation
from guardpath.law.draft_overlay import _Overlay
from guardpath.law.draft_schema import DRAFT_PART as DRAFT_PART
from guardpath.law.draft_schema import LAW_PART as LAW_PART
from guardpath.law.draft_schema import SOURCE_ACT, DraftFile, _describe, _message, _optional, _text
from guardpath.law.draft_schema import DraftError as DraftError
from guardpath.law.loader import (
    LegislationError,
    check_references,
)
from guardpath.law.model import (
    Legislation,
)
from guardpath.law.text import Text


# -- the result ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Draft:
    """A draft applied: the legislation as it would be, beside the law it amends."""

    title: str
    source: Citation
    path: str
    version: str
    law: Legislation
    legislation: Legislation
    changes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source.as_json(),
            "draft_version": self.version,
            "law_version": self.law.version,
            "changes": list(self.changes),
        }


def draft_version(law_version: str, raw: bytes) -> str:
    return hashlib.sha256(law_version.encode() + b"\0" + raw).hexdigest()[:16]


def load_draft(path: Path, law: Legislation) -> Draft:
    """Read, check and apply the draft at `path` to `law` (which stays as it is)."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftError(str(path), None, "no such file; expected a YAML draft") from None
    except OSError as error:
        raise DraftError(str(path), None, f"cannot read it ({error.strerror})") from None
    return parse_draft(raw, name, law)


def parse_draft(raw: bytes, name: str, law: Legislation) -> Draft:
    """The draft in `raw` (named `name` in messages) applied to `law`."""
    try:
        data: Any = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise DraftError(name, None, f"not valid YAML: {error}") from None
    try:
        file = DraftFile.model_validate(data)
    except ValidationError as error:
        raise DraftError(name, None, _describe(error)) from None
    acts = dict(law.acts)
    for act_id, entry in file.acts.items():
        if act_id in acts:
            raise DraftError(name, f"acts.{act_id}", "the act is in the registry already")
        acts[act_id] = Act(act_id, _text(entry.title), _optional(entry.amending))
    act = Act(SOURCE_ACT, _text(file.source.title))
    acts[SOURCE_ACT] = act
    provision = _optional(file.source.provision) or Text(file.title, file.title)
    source = Citation(act, provision, file.source.href, False)
    overlay = _Overlay(law, name, source, acts)
    described = tuple(overlay.apply(index, change) for index, change in enumerate(file.changes))
    version = draft_version(law.version, raw)
    legislation = overlay.legislation(version)
    try:
        check_references(legislation)
    except LegislationError as error:
        raise DraftError(name, error.path, _message(error)) from None
    return Draft(file.title, source, name, version, law, legislation, described)

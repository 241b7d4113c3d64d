"""Citations: every rule and parameter names its act, provision and source, and whether verified.

An act is named once, in `legislation/acts.yaml`, with its English title and its official
Ukrainian title; a citation refers to it by id, so a title is written in one place only."""

from __future__ import annotations

from dataclasses import dataclass

from guardpath.law.answer_json import Citation as CitationJson
from guardpath.law.text import Text


@dataclass(frozen=True, slots=True)
class Act:
    id: str
    title: Text
    amending: Text | None = None
    """How the act is named when it amends another ("as amended by Law 716-VIII")."""


@dataclass(frozen=True, slots=True)
class Citation:
    act: Act
    provision: Text
    href: str
    verified: bool
    amended_by: Act | None = None

    def act_title(self, language: str = "en") -> str:
        title = self.act.title.get(language)
        if self.amended_by is None:
            return title
        amending = self.amended_by.amending or self.amended_by.title
        return f"{title}, {amending.get(language)}"

    def title(self, language: str = "en") -> str:
        act = self.act_title(language)
        provision = self.provision.get(language)
        return f"{act}, {provision}" if provision else act

    def as_json(self, language: str = "en") -> CitationJson:
        return {
            "title": self.title(language),
            "act": self.act_title(language),
            "act_id": self.act.id,
            "provision": self.provision.get(language),
            "href": self.href,
            "verified": self.verified,
        }

"""Citations: every rule and parameter names its act, provision and source, and whether verified."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Citation:
    act: str
    provision: str
    href: str
    verified: bool

    @property
    def title(self) -> str:
        return f"{self.act}, {self.provision}" if self.provision else self.act

    def as_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "act": self.act,
            "provision": self.provision,
            "href": self.href,
            "verified": self.verified,
        }

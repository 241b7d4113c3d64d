"""Small shared factories: a temporary legislation tree, and the American volunteer of
`cast.py` as a fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cast import american_volunteer
from guardpath.law.facts import Facts
from guardpath.law.loader import load
from guardpath.law.model import Legislation

CITATION: dict[str, Any] = {
    "act": "test_act",
    "provision": {"en": "Art. 1", "uk": "ст. 1"},
    "href": "https://example.org/act/1",
    "verified": True,
}


def law_citation(**overrides: Any) -> dict[str, Any]:
    return {**CITATION, **overrides}


ACTS: dict[str, Any] = {
    "kind": "acts",
    "acts": {
        "test_act": {"title": {"en": "Test Act 1-T", "uk": "Тестовий акт № 1-T"}},
        "law_1": {"title": {"en": "Law 1", "uk": "Закон № 1"}},
    },
}


class LawTree:
    """A legislation tree in a temporary folder, written from dicts (or raw text), with a
    registry of acts (`acts.yaml`) unless a test writes its own."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("acts.yaml", ACTS)

    def write(self, relative: str, content: dict[str, Any] | str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    def load(self) -> Legislation:
        return load(self.root)

    @staticmethod
    def rule(label: str = "a rule", **fields: Any) -> dict[str, Any]:
        return {
            "kind": "rule",
            "label": {"en": label, "uk": label},
            "citations": [law_citation()],
            **fields,
        }

    @staticmethod
    def exception(name: str, when: str, then: bool | None, **fields: Any) -> dict[str, Any]:
        return {
            "name": name,
            "label": {"en": name, "uk": name},
            "citations": [law_citation()],
            "when": when,
            "then": then,
            **fields,
        }

    @staticmethod
    def parameter(values: dict[str, Any], unit: str = "boolean") -> dict[str, Any]:
        return {
            "kind": "parameter",
            "label": {"en": "a parameter", "uk": "параметр"},
            "description": {"en": "a parameter", "uk": "параметр"},
            "unit": unit,
            "values": {
                day: value
                if isinstance(value, dict)
                else {"value": value, "citations": [law_citation()]}
                for day, value in values.items()
            },
        }

    @staticmethod
    def open_questions(*ids: str, affects: tuple[str, ...] = ()) -> dict[str, Any]:
        return {
            "kind": "open_questions",
            "questions": [
                {
                    "id": i,
                    "question": {"en": f"{i}?", "uk": f"{i}?"},
                    "affects": list(affects),
                    "source": "test",
                }
                for i in ids
            ],
        }


@pytest.fixture
def law_tree(tmp_path: Path) -> LawTree:
    return LawTree(tmp_path / "legislation")


@pytest.fixture
def volunteer() -> Callable[..., Facts]:
    return american_volunteer

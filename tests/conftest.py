"""Small shared factories: a temporary legislation tree, the American volunteer of `cast.py` as
a fixture, a migrated SQLite template to copy; the one list of the slow tests, which
`make test-quick` leaves out; and argon2 at its cheapest for every test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from argon2 import PasswordHasher

from cast import american_volunteer
from guardpath.law.facts import Facts
from guardpath.law.loader import load
from guardpath.law.model import Legislation
from guardpath.services import staff as staff_services
from guardpath.services import status as status_services
from sqlite_support import make_template

# -- the slow tests ----------------------------------------------------------------------------
SLOW: dict[str, str] = {
    # Whole modules: each test starts processes, kills them, or draws many examples.
    "tests/e2e/": "drives headless Chromium",
    "tests/test_deploy.py": "installs behind nginx",
    "tests/test_deploy_checkpoints.py": "runs a deployed host's commands, each a new process",
    "tests/reliability/test_crash_consistency.py": "kills a server ten times",
    "tests/reliability/test_interrupted_commands.py": "kills commands half way",
    "tests/reliability/test_interrupted_key_file.py": "kills and races over the key file",
    "tests/reliability/test_api_fuzz.py": "fuzzes every operation of the API",
    "tests/reliability/test_racing_officers.py": "twenty clients at once, on both databases",
    "tests/reliability/test_no_personal_data.py": "a whole case through every door",
    "tests/test_reform_property.py": "a property over drafts of the law",
    "tests/test_batch_property.py": "a property over populations",
    "tests/web/test_metrics_workers.py": "several worker processes",
    "tests/web/test_serving.py": "real servers",
    "tests/web/test_two_servers.py": "two real servers",
    # Single tests of a few seconds each (pytest --durations names them).
    "tests/test_population.py::test_it_makes_a_million_people": "a million rows",
    "tests/roster/test_export.py::test_it_exports_demo_cases_that_import_cleanly": "demo data",
    "tests/roster/test_export.py::test_it_imports_and_exports_on_postgresql": "1,500 rows",
    "tests/test_cli.py::test_it_runs_as_the_installed_guardpath_command": "a new process",
    "tests/test_cli.py::test_it_exits_2_without_a_traceback_as_the_installed_command": "a process",
    "tests/test_backup.py::test_it_keeps_personal_data_sealed_in_the_backup": "a whole backup",
    "tests/web/test_roles.py::test_it_admits_exactly_the_declared_roles_on_every_route": "routes",
    "tests/web/test_event_loop.py::test_it_serves_static_files_while_a_status_request": "waits",
    "tests/screening/test_birth_dates.py::test_it_skips_exactly_the_namesakes": "many pairs",
    "tests/screening/test_duplicates.py::test_the_sweep_finds_for_every_case": "a sweep",
    "tests/screening/test_watchlist.py::test_it_finds_the_listed_man_among_10_000": "10,000 names",
    "tests/test_cli_law_and_tables.py::test_it_runs_as_the_installed_guardpath_command": "process",
    "tests/test_statistics_differencing.py::test_no_pair_of_cumulative_counts_pins": "every pair",
    "tests/test_papers.py::test_it_renders_each_paper_to_an_image": "poppler renders PDFs",
    "tests/test_papers_scripts.py::test_it_renders_right_to_left_and_east_asian_names": "poppler",
    "tests/test_papers_scripts.py::test_it_sets_a_native_name_in_its_own_script": "a fallback"
    " font per script (the CJK one megabytes) and pdftotext twice",
    "tests/web/test_what_if.py::test_it_shows_the_impact_on_the_cases_and_the_demo_population": (
        "the 2,000-person demo population"
    ),
}
"""Tests marked `slow` by where they are (a folder, a module, or the start of a test's id), with
why: one list instead of markers spread over modules. `pytest -m "not slow"` leaves them out.
Property runs (Hypothesis's `@given`, hundreds of examples each) and browser tests are slow
wherever they are."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = item.nodeid.replace("\\", "/")
        listed = any(where.startswith(prefix) for prefix in SLOW)
        drawn = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
        if listed or drawn or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its cheapest: the real cost is about 0.4 s a hash on a small machine, paid by
    every account, demo login and unknown name a test makes; the code under test is the same."""
    monkeypatch.setattr(staff_services, "HASHER", CHEAP_HASHER)
    monkeypatch.setattr(status_services, "HASHER", CHEAP_HASHER)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (`sqlite_support.migrated_context`): the
    migrations run once a session (once a worker under xdist)."""
    return make_template(tmp_path_factory.mktemp("template"))


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

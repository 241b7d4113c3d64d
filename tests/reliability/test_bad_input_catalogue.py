"""The catalogue of bad input (issue 7): each kind of bad input on each surface that takes it,
with its own test.

The surfaces: the JSON API, the public pages (the application step by step, its documents, the
self-check), the staff console, the CLI (`check`, `evaluate`) and the roster importer
(`guardpath import`). The kinds: malformed JSON, wrong types, unknown country codes, impossible
dates (2023-02-29), birth dates in the future, oversize bodies and uploads, a file whose content
does not match its name, a CSV in the wrong encoding, over-long strings, control characters and
mixed scripts in names.

Each case holds the project's standard: the answer is a refusal (4xx, the form shown again with
its error, exit status 2), its message names the field and what is accepted, and the database
is unchanged. The database is seeded first (cases, a roster member, a draft with a document,
staff and their session) and every table is compared before and after, so "unchanged" means
something; `test_a_good_input_does_change_the_snapshot` shows the comparison can fail.

The cases live beside this module by surface (bad_input_api.py, bad_input_pages.py,
bad_input_commands.py), with the world they meet (bad_input_world.py).

Mixed scripts: names are refused when one word mixes Latin, Cyrillic or Greek letters ("Ivаn"
with a Cyrillic "а"). No real name is written so (a transliteration is all Latin; a native name
is all in its own script), and such a name defeats the name index, search and duplicate checks
while looking right. Names in one script each, as the demo data and the cast write them, pass.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy

import pytest

from web.staff_fixtures import (
    RUSSIAN,
)

from .bad_input_api import API, APPLICATIONS
from .bad_input_commands import CLI, IMPORTER, roster
from .bad_input_pages import PAGES, STAFF, staff_step, upload
from .bad_input_world import PNG, Bad, World, world_fixture  # noqa: F401 (the fixture `world`)
from .snapshot import (
    Allowance,
    changed,
    draft_keeps_what_was_typed,
    read_rows,
    staff_reads_are_logged,
    state_of,
)

pytestmark = pytest.mark.integration

CATALOGUE = [*API, *PAGES, *STAFF, *CLI, *IMPORTER]


# -- the tests -----------------------------------------------------------------------------------
def test_the_catalogue_names_each_case_once() -> None:
    names = [bad.name for bad in CATALOGUE]
    assert len(names) == len(set(names))


def test_the_world_holds_a_row_in_every_table_a_refusal_could_touch(world: World) -> None:
    rows = read_rows(world.ctx)
    touched = ("persons", "cases", "case_history", "audit_log", "contracts", "service_periods")
    touched += ("drafts", "documents", "staff_users", "staff_sessions", "screening_keys")
    assert [name for name in touched if not rows[name]] == []


@pytest.mark.parametrize("bad", CATALOGUE, ids=lambda bad: bad.name)
def test_it_refuses_clearly_and_changes_nothing(bad: Bad, world: World) -> None:
    before = state_of(world.ctx, bad.allowance)

    refusal = bad.send(world)

    assert refusal.status == bad.status, refusal.message
    missing = [words for words in bad.says if words not in refusal.message]
    assert missing == [], refusal.message
    assert changed(before, state_of(world.ctx, bad.allowance)) == []


# -- the snapshot can fail -----------------------------------------------------------------------
def good_application(world: World) -> None:
    body = deepcopy(RUSSIAN)
    body["person"]["passport_number"] = "GOOD0001"
    assert world.api.post(APPLICATIONS, json=body).status_code == 201


def good_upload(world: World) -> None:
    upload("permit.png", PNG, "image/png", "stay_document")(world)


def good_staff_step(world: World) -> None:
    staff_step("start_document_review", "belarusian")(world)


def good_roster(world: World) -> None:
    row = {"passport_number": "GOOD0002", "surname": "Goodman"}
    assert roster(**row)(world).status == 0


IN_PLACE = {"cases"}
"""A staff step changes the case's row without adding one: the digest sees what a count would
not."""


@pytest.mark.parametrize(
    ("good", "allowance", "expected", "in_place"),
    [
        pytest.param(good_application, None, {"persons", "cases", "audit_log"}, set(), id="api"),
        pytest.param(
            good_upload, draft_keeps_what_was_typed, {"documents"}, set(), id="page-upload"
        ),
        pytest.param(
            good_staff_step, staff_reads_are_logged, {"cases", "audit_log"}, IN_PLACE, id="staff"
        ),
        pytest.param(good_roster, None, {"persons", "contracts", "audit_log"}, set(), id="import"),
    ],
)
def test_a_good_input_does_change_the_snapshot(
    world: World,
    good: Callable[[World], None],
    allowance: Allowance | None,
    expected: set[str],
    in_place: set[str],
) -> None:
    """The comparison is not vacuous: what the catalogue's cases would have changed, had they
    been accepted, shows up under the same allowances."""
    before = state_of(world.ctx, allowance)

    good(world)

    after = state_of(world.ctx, allowance)
    assert expected <= {name for name in before if before[name] != after[name]}
    assert [name for name in in_place if before[name].rows != after[name].rows] == []

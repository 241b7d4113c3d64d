"""A first contract's length and probation come from the legislation, not from the code."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from guardpath.bootstrap import Context
from guardpath.law.dates import add_months, add_years
from guardpath.law.loader import DEFAULT_ROOT, load
from guardpath.law.model import Legislation
from guardpath.services import cases as services

from .conftest import Cast, FakeClock, Journey, Snapshot, Staff, _context

pytestmark = pytest.mark.integration


def test_it_reads_the_terms_of_decree_84_2024(sqlite_ctx: Context) -> None:
    on = date(2025, 1, 10)
    assert services.contract_terms(sqlite_ctx, "private", on) == (3, 3, 2)
    assert services.contract_terms(sqlite_ctx, "sergeant", on) == (3, 5, 2)
    assert services.contract_terms(sqlite_ctx, "officer", on) == (None, None, 2)


def test_it_signs_a_private_for_three_years_with_two_months_probation(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.american())
    journey.to_approved(case_id)
    clock.set("2025-02-28")
    case = services.sign_contract(ctx, Staff.commander, case_id)
    assert case.contract is not None
    assert case.contract.signed_on == date(2025, 2, 28)
    assert (case.contract.years, case.contract.ends_on) == (3, date(2028, 2, 28))
    assert case.contract.probation_months == 2
    assert case.contract.probation_ends_on == date(2025, 4, 28)
    assert case.contract.law_version == ctx.legislation.version
    assert journey.load(case_id).contract == case.contract


@pytest.mark.parametrize(
    ("rank_group", "years"), [("private", 4), ("sergeant", 2), ("sergeant", 6)]
)
def test_it_refuses_a_first_contract_outside_the_legal_terms(
    ctx: Context,
    cast: Cast,
    journey: Journey,
    tables: Callable[[Context], Snapshot],
    rank_group: str,
    years: int,
) -> None:
    case_id = journey.submit(cast.stateless())
    journey.to_approved(case_id, rank_group=rank_group)
    before = tables(ctx)
    with pytest.raises(ValueError, match=f"years: a {rank_group}'s first contract runs"):
        services.sign_contract(ctx, Staff.commander, case_id, years=years)
    assert tables(ctx) == before


@pytest.fixture
def amended_ctx(sqlite_template: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Context]:
    """The law as it stands, plus a hypothetical decree: privates sign for 4 years and serve
    a probation of 3 months from 2025-01-01."""
    root = tmp_path / "legislation"
    shutil.copytree(DEFAULT_ROOT, root)
    amendments = {
        "enlistment/contract/first_term/private_min_years.yaml": 4,
        "enlistment/contract/first_term/private_max_years.yaml": 4,
        "enlistment/contract/probation_months.yaml": 3,
    }
    acts = yaml.safe_load((root / "acts.yaml").read_text())
    acts["acts"]["hypothetical_decree_1_2025"] = {
        "title": {"en": "Hypothetical Decree 1/2025", "uk": "Гіпотетичний указ № 1/2025"}
    }
    (root / "acts.yaml").write_text(yaml.safe_dump(acts, allow_unicode=True))
    for relative, value in amendments.items():
        path = root / relative
        data = yaml.safe_load(path.read_text())
        citation = {
            "act": "hypothetical_decree_1_2025",
            "provision": {"en": "first contract", "uk": "перший контракт"},
            "href": "https://example.org/decree/1-2025",
            "verified": False,
        }
        data["values"][date(2025, 1, 1)] = {"value": value, "citations": [citation]}
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    context = _context(tmp_path, clock, load(root), sqlite_template)
    yield context
    context.engine.dispose()


def test_it_follows_a_dated_amendment_of_the_terms_without_a_code_change(
    amended_ctx: Context, clock: FakeClock, cast: Cast, legislation: Legislation
) -> None:
    journey = Journey(amended_ctx, clock)
    case_id = journey.submit(cast.american())
    journey.to_approved(case_id)
    case = services.sign_contract(amended_ctx, Staff.commander, case_id)
    assert case.contract is not None
    assert (case.contract.years, case.contract.probation_months) == (4, 3)
    assert case.contract.ends_on == add_years(case.contract.signed_on, 4)
    assert case.contract.probation_ends_on == add_months(case.contract.signed_on, 3)
    assert case.contract.law_version == amended_ctx.legislation.version != legislation.version

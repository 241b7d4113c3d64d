"""Unit rosters: good rosters imported in the states their dates give, sealed like applications."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from cast import good_rows, write_csv
from guardpath.adapters import audit
from guardpath.adapters.repository import CaseRepository
from guardpath.adapters.tables import persons
from guardpath.bootstrap import Context
from guardpath.cases.model import State
from guardpath.services.roster import (
    import_roster,
)

from .conftest import ADMIN, cast_roster, everything, write_xlsx


# -- good rosters ------------------------------------------------------------------------------
def test_it_imports_the_cast_in_the_states_their_dates_give(ctx: Context, tmp_path: Path) -> None:
    result = import_roster(ctx, ADMIN, cast_roster(tmp_path))

    assert result.problems == [] and result.imported == 3
    assert result.states == {"in_service": 1, "discharged": 1, "probation": 1}
    with ctx.engine.connect() as conn:
        repository = CaseRepository(conn, ctx.keyring)
        [person_id] = repository.person_ids_by_passport("MP 7654321")  # normalised like others
        [case_id] = repository.case_ids_of_person(person_id)
        case = repository.get(case_id)
        assert repository.person_ids_by_name("Kavaliou Aliaksandr", date(1990, 5, 1)) == [person_id]
    assert case.state is State.DISCHARGED
    assert case.person.native_name == "Аляксандр Кавалёў"
    assert case.person.citizenships == ("BY",)
    assert case.facts == {"rank_group": "sergeant", "state_award": True}
    assert case.contract is not None and case.contract.years == 5
    assert case.contract.ends_on == date(2027, 4, 1)
    assert case.contract.probation_ends_on == date(2022, 6, 1)
    assert [(p.start, p.end) for p in case.service_periods] == [
        (date(2022, 4, 1), date(2025, 12, 31))
    ]
    assert [(h.action, h.from_state, h.to_state) for h in case.history] == [
        ("imported", None, State.DISCHARGED)
    ]


def test_it_keeps_identities_sealed_and_the_audit_chain_whole(ctx: Context, tmp_path: Path) -> None:
    import_roster(ctx, ADMIN, cast_roster(tmp_path))

    with ctx.engine.connect() as conn:
        sealed = b"".join(conn.execute(select(persons.c.sealed)).scalars())
        actions = [e.action for e in conn.execute(select(audit.audit_log)).all()]
        report = audit.verify(conn, ctx.keyring)
    assert b"Kavaliou" not in sealed and b"A1234567" not in sealed and b"1990-05-01" not in sealed
    assert actions == ["imported"] * 3 + ["import_roster"]
    assert report.ok, report.problems


@pytest.mark.slow
def test_it_imports_a_10000_row_roster_in_two_phases(ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", good_rows(10_000, seed=3))
    phases: dict[str, int] = {}

    result = import_roster(
        ctx, ADMIN, path, on_progress=lambda phase, done, total: phases.update({phase: done})
    )

    assert result.problems == [] and result.imported == 10_000
    assert phases == {"checking rows": 10_000, "importing": 10_000}
    tables = everything(ctx)
    assert tables["persons"] == tables["cases"] == tables["contracts"] == 10_000
    assert tables["service_periods"] == tables["case_history"] == 10_000
    assert tables["audit_log"] == 10_001


def test_it_reads_a_csv_with_a_bom_and_an_xlsx_with_date_cells(
    ctx: Context, tmp_path: Path
) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + cast_roster(tmp_path).read_bytes())
    xlsx = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            [
                *("Erik", "Nilsson", None, datetime(1988, 2, 29), "male", "SE", 12345678),
                *("dsst", "officer", datetime(2025, 1, 10), 3, date(2025, 1, 10), None, False),
            ]
        ],
    )

    assert import_roster(ctx, ADMIN, bom).imported == 3
    result = import_roster(ctx, ADMIN, xlsx)

    assert result.problems == [] and result.states == {"in_service": 1}
    with ctx.engine.connect() as conn:
        repository = CaseRepository(conn, ctx.keyring)
        [person_id] = repository.person_ids_by_passport("12345678")
        case = repository.get(repository.case_ids_of_person(person_id)[0])
    assert case.person.birth_date == date(1988, 2, 29)

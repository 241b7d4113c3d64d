"""Sensitive facts sealed like personal data: a medical, conviction or stay fact is nowhere in
the SQLite file, its WAL or a backup, yet the engine and the staff still get it."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

from sqlalchemy import text

from guardpath.adapters.repository import SEALED_FACT
from guardpath.bootstrap import Context
from guardpath.cases.model import Actor, Role, State
from guardpath.services import cases as services
from guardpath.services.backup import make_backup

from .conftest import Cast, FakeClock, Journey, Staff

STAY_UNTIL = date(2031, 2, 17)
FACTS = {
    "previously_convicted": True,
    "medical": "unfit",
    "stay_valid_until": STAY_UNTIL.isoformat(),
}


def forms() -> dict[str, set[bytes]]:
    """Each fact as JSON would store it, with and without spaces, and the distinctive date."""
    found: dict[str, set[bytes]] = {}
    for name, value in FACTS.items():
        pair = {name: value}
        found[name] = {
            json.dumps(pair)[1:-1].encode(),
            json.dumps(pair, separators=(",", ":"))[1:-1].encode(),
        }
    found["stay_valid_until"].add(STAY_UNTIL.isoformat().encode())
    return found


def found_in(blobs: dict[str, bytes]) -> set[tuple[str, str]]:
    return {
        (where, name)
        for where, blob in blobs.items()
        for name, variants in forms().items()
        if any(v in blob for v in variants)
    }


def seed(ctx: Context, journey: Journey, cast: Cast) -> str:
    """A Russian volunteer with a conviction, found unfit by the medical commission."""
    case_id = journey.submit(cast.russian())
    services.start_document_review(ctx, Staff.recruiter, case_id)
    services.record_document_check(
        ctx,
        Staff.recruiter,
        case_id,
        passed=True,
        previously_convicted=True,
        stay_basis="temporary_residence_permit",
        stay_valid_until=STAY_UNTIL,
    )
    if journey.load(case_id).state is State.SPECIAL_CHECK:
        services.record_special_check(ctx, Staff.vetting, case_id, "passed")
    services.record_medical_result(ctx, Staff.medic, case_id, "unfit")
    return case_id


def files(ctx: Context, tmp_path: Path) -> dict[str, bytes]:
    database = ctx.settings.sqlite_path
    wal = database.with_name(database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the WAL was checkpointed too early"
    backup = tmp_path / "backup.jsonl.gz"
    make_backup(ctx, Actor("cli:test", Role.ADMIN), backup)
    return {
        "database": database.read_bytes(),
        "wal": wal.read_bytes(),
        "backup": gzip.decompress(backup.read_bytes()),
    }


def test_it_leaves_no_medical_conviction_or_stay_fact_in_the_files_or_a_backup(
    sqlite_ctx: Context, clock: FakeClock, cast: Cast, tmp_path: Path
) -> None:
    journey = Journey(sqlite_ctx, clock)
    case_id = seed(sqlite_ctx, journey, cast)

    assert found_in(files(sqlite_ctx, tmp_path)) == set()
    case = journey.load(case_id)  # guardpath itself still reads them
    assert case.state is State.REJECTED
    assert {name: case.facts[name] for name in FACTS} == FACTS


def test_the_search_finds_the_facts_in_a_plain_copy(
    sqlite_ctx: Context, clock: FakeClock, cast: Cast, tmp_path: Path
) -> None:
    seed(sqlite_ctx, Journey(sqlite_ctx, clock), cast)
    with sqlite_ctx.engine.begin() as conn:
        conn.execute(text("CREATE TABLE plain_copy (facts TEXT)"))
        conn.execute(text("INSERT INTO plain_copy VALUES (:facts)"), {"facts": json.dumps(FACTS)})
        conn.execute(
            text("INSERT INTO plain_copy VALUES (:facts)"),
            {"facts": json.dumps(FACTS, separators=(",", ":"))},
        )
    found = found_in(files(sqlite_ctx, tmp_path))
    assert {name for where, name in found if where == "wal"} == set(FACTS)


def test_the_engine_gets_the_sealed_facts_when_a_case_is_decided(
    ctx: Context, clock: FakeClock, cast: Cast, journey: Journey
) -> None:
    case_id = journey.submit(cast.american())
    case = journey.to_approved(case_id)  # the law needs medical, stay and conviction facts
    assert case.state is State.APPROVED
    stored = journey.load(case_id).history[-1]
    assert stored.answer is not None and stored.answer["outcome"] == "eligible"
    text_at_rest = json.dumps(_history_answers_at_rest(ctx, case_id))
    assert '"medical": "fit"' not in text_at_rest and SEALED_FACT in text_at_rest
    assert '"medical": "fit"' in json.dumps(stored.answer)  # restored from the sealed entry


def _history_answers_at_rest(ctx: Context, case_id: str) -> list[object]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT answer FROM case_history WHERE case_id = :id AND answer IS NOT NULL"),
            {"id": case_id},
        ).scalars()
        return [json.loads(r) if isinstance(r, str) else r for r in rows]

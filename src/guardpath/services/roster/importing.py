"""Unit rosters in: a checked roster written in one transaction, all of it or none, unless
the bad rows are skipped on purpose."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from guardpath.adapters import audit
from guardpath.adapters.rosters import MemberRows, NewMember, chunks
from guardpath.adapters.sealing import passport_index
from guardpath.cases.model import Actor
from guardpath.cases.references import new_reference
from guardpath.law.dates import add_months, add_years
from guardpath.services.ports import Ports
from guardpath.services.roster.checking import check_sheet
from guardpath.services.roster.sheet import (
    CHUNK,
    COLUMNS,
    Imported,
    Member,
    Problem,
    Progress,
    _quiet,
    read_sheet,
)


# -- writing ------------------------------------------------------------------------------------
def _member(member: Member, index: str, today: date) -> NewMember:
    facts: dict[str, Any] = {"rank_group": member.rank_group}
    if member.state_award is not None:
        facts["state_award"] = member.state_award
    start = member.contract_start
    return NewMember(
        case_id=str(uuid.uuid4()),
        reference=new_reference(),
        person=member.person,
        passport_index=index,
        formation=member.formation,
        state=member.state(today),
        facts=facts,
        rank_group=member.rank_group,
        contract_start=start,
        contract_years=member.contract_years,
        contract_ends=add_years(start, member.contract_years),
        probation_months=member.probation_months,
        probation_ends=add_months(start, member.probation_months),
        service_start=member.service_start,
        service_end=member.service_end,
    )


def import_roster(
    ctx: Ports,
    actor: Actor,
    path: Path,
    *,
    skip_bad: bool = False,
    on_progress: Progress = _quiet,
) -> Imported:
    """Check every row of the roster at `path`, then write the good ones in one transaction:
    all of them or, with a problem and without `skip_bad`, none."""
    began = time.perf_counter()
    sheet = read_sheet(path)
    members, problems = check_sheet(ctx, sheet, on_progress)
    checked = time.perf_counter()
    states: Counter[str] = Counter()
    with ctx.unit_of_work() as uow:
        indexed = [(m, passport_index(ctx.keyring, m.person.passport_number)) for m in members]
        known = uow.rosters.known_passports([i for _, i in indexed])
        problems += [
            Problem(m.row, "passport_number", "a person with this passport is already here")
            for m, i in indexed
            if i in known
        ]
        problems.sort(key=_position)
        refused = any(p.whole_file for p in problems) or (bool(problems) and not skip_bad)
        good = [] if refused else [(m, i) for m, i in indexed if i not in known]
        now = ctx.clock()
        if good:
            on_progress("importing", 0, len(good))
        for done, chunk in enumerate(chunks(good, CHUNK), start=1):
            rows = MemberRows()
            for member, index in chunk:
                new = _member(member, index, now.date())
                uow.rosters.add(rows, new, actor, now, ctx.legislation.version)
                states[new.state.value] += 1
            uow.rosters.write(rows)
            on_progress("importing", min(done * CHUNK, len(good)), len(good))
        if good or not problems:
            skipped = len({p.row for p in problems})
            details = {"imported": len(good), "skipped_rows": skipped, "format": path.suffix}
            role = actor.role.value
            uow.audit(audit.Entry(now, actor.id, role, "import_roster", "roster", details))
            uow.commit()
    return Imported(
        rows=len(sheet.rows),
        imported=len(good),
        problems=problems,
        states=states,
        checking_seconds=checked - began,
        importing_seconds=time.perf_counter() - checked,
    )


def _position(problem: Problem) -> tuple[int, int]:
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.row or 0, column)

"""Duplicate applicants across scripts, found through blind blocking keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from guardpath.adapters.tables import audit_log, screening_keys
from guardpath.bootstrap import Context
from guardpath.cases.transitions import NotPermitted
from guardpath.services.duplicates import (
    all_candidates,
    candidates_for,
    find_all_duplicates,
    find_duplicates,
    rebuild_screening_keys,
    record_review,
)

from .conftest import APPLICANT, RECRUITER, VETTING, Submit

pytestmark = pytest.mark.integration


def test_it_finds_the_cyrillic_applicant_as_the_man_typed_in_latin(
    submit: Submit, ctx: Context
) -> None:
    latin = submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    russian = submit("Maxim", "Zhuravlev", "1991-03-04", "751234567", citizenships=("RU",))
    cyrillic = submit("Максим", "Журавльов", "1991-03-04", "FB654321")

    found = find_duplicates(ctx, RECRUITER, cyrillic.id)

    assert {c.case_id for c in found} == {latin.id, russian.id}
    best = found[0]
    assert best.case_id == latin.id and best.score >= 0.9
    assert {(r.feature, r.verdict) for r in best.reasons} >= {
        ("name", "agrees"),
        ("birth_date", "agrees"),
        ("document", "contradicts"),
    }


def test_it_finds_him_reordered_with_a_patronymic_and_a_typo(submit: Submit, ctx: Context) -> None:
    first = submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    second = submit("Журавльов Максим", "Олександрович", "1991-03-04", "FB654321")
    third = submit("Maksim", "Zhuravlyov", "1991-03-04", "FC000001")

    assert {c.case_id for c in find_duplicates(ctx, RECRUITER, second.id)} == {first.id, third.id}


def test_it_proposes_no_one_for_different_people_with_similar_names(
    submit: Submit, ctx: Context
) -> None:
    submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    submit("Maksym", "Zhuravskyi", "1991-03-04", "FA222222")
    submit("Mykola", "Zhuravlov", "1991-03-04", "FA333333")
    other = submit("Максим", "Журавльов", "1984-11-19", "FB654321")

    assert find_duplicates(ctx, RECRUITER, other.id) == []


def test_it_refuses_an_applicant_and_audits_the_search_without_names(
    submit: Submit, ctx: Context
) -> None:
    first = submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    second = submit("Максим", "Журавльов", "1991-03-04", "FB654321")
    with pytest.raises(NotPermitted):
        find_duplicates(ctx, APPLICANT, second.id)
    find_duplicates(ctx, RECRUITER, second.id)
    with ctx.engine.connect() as conn:
        entries = [(r.action, r.subject, r.details) for r in conn.execute(select(audit_log))]
    screened = [
        (subject, details) for action, subject, details in entries if action == "screen_applicant"
    ]
    assert screened == [(second.id, {"duplicate_candidates": 1, "watchlist_matches": None})]
    assert ("find_duplicates", second.id, {"candidates": [first.id]}) in entries


def test_the_blocking_keys_reveal_no_name_in_the_database_file(
    submit: Submit, ctx: Context
) -> None:
    submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    submit("Максим", "Журавльов", "1991-03-04", "FB654321")
    ctx.engine.dispose()  # checkpoint the write-ahead log into the file

    raw = b"".join(p.read_bytes() for p in Path(ctx.settings.data_dir).glob("guardpath.db*"))
    with ctx.engine.connect() as conn:
        hashes = list(conn.execute(select(screening_keys.c.key_hash)).scalars())

    assert hashes and all(len(h) == 64 for h in hashes)
    for secret in ("Maksym", "Zhuravlov", "Максим", "Журавльов", "Srvl", "mksm", "1991-03-04"):
        for variant in (secret, secret.lower(), secret.upper()):
            assert variant.encode() not in raw, secret
            assert json.dumps(variant)[1:-1].encode() not in raw, secret
    assert b"p:" not in raw and b"|1991" not in raw


def test_it_rebuilds_the_keys_of_people_stored_before_them(submit: Submit, ctx: Context) -> None:
    first = submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    with ctx.engine.begin() as conn:
        conn.execute(delete(screening_keys))
    second = submit("Максим", "Журавльов", "1991-03-04", "FB654321")
    assert find_duplicates(ctx, RECRUITER, second.id) == []

    assert rebuild_screening_keys(ctx) == 2
    assert [c.case_id for c in find_duplicates(ctx, RECRUITER, second.id)] == [first.id]


def test_the_sweep_finds_for_every_case_what_the_search_of_one_finds(
    submit: Submit, ctx: Context
) -> None:
    made = [
        submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456"),
        submit("Maxim", "Zhuravlev", "1991-03-04", "751234567", citizenships=("RU",)),
        submit("Журавльов Максим", "Олександрович", "1991-03-04", "FB654321"),
        submit("Maksym", "Zhuravskyi", "1991-03-04", "FA222222"),
        submit("Mykola", "Zhuravlov", "1991-04-03", "FA333333"),
        submit("Mykola", "Zhuravlov", "1991-03-04", "FA333333"),
        submit("John", "Smith", "1980-01-01", "X1"),
    ]

    swept = find_all_duplicates(ctx, RECRUITER)

    assert swept == {case.id: find_duplicates(ctx, RECRUITER, case.id) for case in made}
    with_candidates = {case_id for case_id, found in swept.items() if found}
    assert with_candidates == {made[i].id for i in (0, 1, 2, 4, 5)}
    with ctx.unit_of_work() as uow:
        everyone = all_candidates(uow.screening, ctx.keyring)
        one_by_one = {
            c.person.id: candidates_for(uow.screening, ctx.keyring, c.person) for c in made
        }
        assert everyone == one_by_one


def test_the_sweep_is_refused_to_an_applicant_and_audited_in_counts(
    submit: Submit, ctx: Context
) -> None:
    submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    submit("Максим", "Журавльов", "1991-03-04", "FB654321")
    with pytest.raises(NotPermitted):
        find_all_duplicates(ctx, APPLICANT)
    find_all_duplicates(ctx, RECRUITER)

    with ctx.engine.connect() as conn:
        entries = [(r.action, r.subject, r.details) for r in conn.execute(select(audit_log))]
    assert entries[-1] == ("find_all_duplicates", "cases", {"cases": 2, "with_candidates": 2})


def test_an_officers_decision_on_a_pair_is_remembered_and_audited(
    submit: Submit, ctx: Context
) -> None:
    first = submit("Maksym", "Zhuravlov", "1991-03-04", "FA123456")
    typo_date = submit("Максим", "Журавльов", "1981-03-04", "FB654321")
    [candidate] = find_duplicates(ctx, RECRUITER, typo_date.id)
    assert (candidate.case_id, candidate.decision) == (first.id, "review")
    with pytest.raises(NotPermitted):
        record_review(ctx, RECRUITER, typo_date.id, first.id, same_person=False)

    record_review(ctx, VETTING, typo_date.id, first.id, same_person=False)
    assert find_duplicates(ctx, RECRUITER, typo_date.id) == []
    assert find_duplicates(ctx, RECRUITER, first.id) == []
    assert find_all_duplicates(ctx, RECRUITER)[typo_date.id] == []

    record_review(ctx, VETTING, first.id, typo_date.id, same_person=True)
    [again] = find_duplicates(ctx, RECRUITER, typo_date.id)
    assert again.decision == "match" and again.why
    with ctx.engine.connect() as conn:
        entries = conn.execute(
            select(audit_log.c.action, audit_log.c.details).where(
                audit_log.c.action == "screening_review"
            )
        ).all()
    assert len(entries) == 2
    assert "Zhuravl" not in json.dumps([e.details for e in entries])

"""Resume codes are kept as keyed HMACs; codes issued when they were kept with Argon2 still work."""

from __future__ import annotations

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from guardpath.adapters.crypto import Keyring
from guardpath.adapters.tables import cases
from guardpath.bootstrap import Context
from guardpath.services.status import HMAC_PREFIX, hash_resume_code, resume_code_matches

from .test_api_applications import apply, look_up

CODE = "K7QM-2XHA-9PLT-4RWD"


def stored_hash(ctx: Context, reference: str) -> str:
    with ctx.engine.connect() as conn:
        found = conn.execute(
            select(cases.c.resume_code_hash).where(cases.c.reference == reference)
        ).scalar_one()
    assert isinstance(found, str)
    return found


def test_it_keeps_the_resume_code_as_a_keyed_hmac(client: TestClient, ctx: Context) -> None:
    submitted = apply(client).json()

    stored = stored_hash(ctx, submitted["reference"])

    assert stored.startswith(HMAC_PREFIX)
    assert submitted["resume_code"] not in stored
    assert stored == hash_resume_code(ctx.keyring, submitted["resume_code"])


def test_it_does_not_open_a_code_hashed_under_another_key() -> None:
    ours, theirs = Keyring.generate(), Keyring.generate()
    stored = hash_resume_code(ours, CODE)

    assert resume_code_matches(ours, stored, CODE)
    assert not resume_code_matches(theirs, stored, CODE)
    assert not resume_code_matches(ours, stored, "K7QM-2XHA-9PLT-4RWE")


def test_it_opens_nothing_for_an_unknown_reference() -> None:
    assert not resume_code_matches(Keyring.generate(), None, CODE)


def test_it_still_opens_an_application_whose_code_was_kept_with_argon2(
    client: TestClient, ctx: Context
) -> None:
    reference = apply(client).json()["reference"]
    legacy = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(CODE)
    with ctx.engine.begin() as conn:
        conn.execute(
            update(cases).where(cases.c.reference == reference).values(resume_code_hash=legacy)
        )

    assert look_up(client, reference, CODE.lower().replace("-", "")).status_code == 200
    assert look_up(client, reference, "K7QM-2XHA-9PLT-4RWE").status_code == 404

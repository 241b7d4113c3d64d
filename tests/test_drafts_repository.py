"""The drafts' repository on SQLite and PostgreSQL, through the drafts service: sealed at rest,
found by the token's hash only, saved, expired and purged, submitted once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from guardpath.adapters.migrate import upgrade
from guardpath.adapters.tables import drafts as drafts_table
from guardpath.bootstrap import Context, bootstrap
from guardpath.services import drafts
from guardpath.settings import load_settings
from postgres_support import fresh_database


class Clock:
    now = datetime(2025, 3, 3, 10, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with fresh_database("guardpath_drafts") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Context]:
    url = None if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    settings = load_settings(data_dir=tmp_path / "data", database_url=url, keys=None, key_file=None)
    context = bootstrap(settings, clock=Clock())
    upgrade(context.engine)
    with context.engine.begin() as conn:
        conn.execute(drafts_table.delete())
    yield context
    context.engine.dispose()


def test_a_draft_is_sealed_and_found_by_its_tokens_hash_only(ctx: Context) -> None:
    draft, token = drafts.start_draft(ctx)
    about = {"values": {"surname": "Wexford-Smythe"}, "data": {"birth_date": "1990-05-10"}}
    drafts.save_draft(ctx, draft, {"about": about}, "stay")

    with ctx.engine.connect() as conn:
        row = conn.execute(select(drafts_table)).one()
    assert row.token_hash == drafts.token_hash(token)
    assert b"Wexford" not in row.sealed and b"1990-05-10" not in row.sealed
    opened = drafts.open_draft(ctx, token)
    assert opened is not None and opened.data == {"about": about} and opened.step == "stay"
    assert opened.expires_at.tzinfo is not None


def test_an_expired_draft_does_not_open_and_is_purged(ctx: Context) -> None:
    _draft, token = drafts.start_draft(ctx)
    clock: Any = ctx.clock
    clock.now += drafts.DRAFT_LIFETIME + timedelta(seconds=1)

    assert drafts.open_draft(ctx, token) is None
    assert drafts.purge_expired_drafts(ctx) == 1
    with ctx.engine.connect() as conn:
        assert conn.execute(select(drafts_table)).first() is None


def test_a_draft_being_submitted_is_refused_a_second_time_and_discarded_whole(
    ctx: Context,
) -> None:
    draft, token = drafts.start_draft(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(drafts_table.update().values(step=drafts.SUBMITTING))
    nothing: Any = None

    with pytest.raises(drafts.AlreadySubmitted):
        drafts.submit_draft(ctx, draft, nothing)
    drafts.discard_draft(ctx, draft)
    assert drafts.open_draft(ctx, token) is None

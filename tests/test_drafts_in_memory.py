"""The drafts service on the unit of work in memory (tests/fakes.py): starting, opening, saving,
expiring and the once-only submission guard, without a database. Sealing, the token's hash in
the table and the documents moved at submission are tested on SQLite in tests/web/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from fakes import Clock, MemoryStore, memory_context
from guardpath.bootstrap import Context
from guardpath.services import drafts


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ctx(store: MemoryStore, clock: Clock, tmp_path: Path) -> Context:
    """No keys and no law either: a draft step needs neither."""
    return memory_context(store, tmp_path, clock, keys=False, law=False)


def test_a_draft_opens_with_its_token_only_and_keeps_what_is_saved(
    ctx: Context, store: MemoryStore, clock: Clock
) -> None:
    draft, token = drafts.start_draft(ctx)
    assert token not in store.draft_tokens and drafts.token_hash(token) in store.draft_tokens

    clock.now += timedelta(days=10)
    saved = drafts.save_draft(ctx, draft, {"about": {"values": {}, "data": None}}, "stay")

    opened = drafts.open_draft(ctx, token)
    assert opened == saved and opened.step == "stay"
    assert opened.expires_at == clock.now + drafts.DRAFT_LIFETIME
    assert drafts.open_draft(ctx, "not the token") is None
    assert drafts.open_draft(ctx, None) is None


def test_a_draft_expires_thirty_days_after_it_was_last_saved_and_is_purged(
    ctx: Context, store: MemoryStore, clock: Clock
) -> None:
    _draft, token = drafts.start_draft(ctx)

    clock.now += drafts.DRAFT_LIFETIME
    assert drafts.open_draft(ctx, token) is None
    _other, _token = drafts.start_draft(ctx)  # each new draft purges the expired ones

    assert len(store.drafts) == 1 and drafts.token_hash(token) not in store.draft_tokens


def test_a_draft_being_submitted_is_not_submitted_again(ctx: Context, store: MemoryStore) -> None:
    draft, _token = drafts.start_draft(ctx)
    store.drafts[draft.id] = drafts.Draft(draft.id, "submitting", {}, draft.expires_at)
    nothing: Any = None

    with pytest.raises(drafts.AlreadySubmitted):
        drafts.submit_draft(ctx, draft, nothing)
    assert store.drafts[draft.id].step == "submitting"
    assert store.cases == {} and store.audit == []  # nothing was submitted

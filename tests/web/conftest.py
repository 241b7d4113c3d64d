"""Shared web fixtures: an app on a temporary SQLite data folder (a copy of the migrated
template), with a TestClient.

Reusable by every web test: `settings`, `clock` (a clock a test can move), `ctx`, `app`,
`client`, `csrf` (reads a form's CSRF token from a page) and `database_bytes` (the SQLite file
and its write-ahead log, to search for anything stored in clear).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guardpath.bootstrap import Context
from guardpath.settings import Settings, load_settings
from guardpath.web.app import create_app
from sqlite_support import migrated_context


@dataclass
class Clock:
    """A clock the test moves by hand; the app reads it through the context."""

    now: datetime = field(default_factory=lambda: datetime(2025, 3, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data", database_url=None, keys=None, key_file=None)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(settings: Settings, clock: Clock, sqlite_template: Path) -> Iterator[Context]:
    context = migrated_context(settings, sqlite_template, clock=clock)
    yield context
    context.engine.dispose()


@pytest.fixture
def app(ctx: Context) -> FastAPI:
    return create_app(ctx=ctx)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def csrf() -> Callable[[str], str]:
    return csrf_of


@pytest.fixture
def database_bytes(settings: Settings) -> Callable[[], bytes]:
    """Everything SQLite has written so far: the database file and its write-ahead log."""

    def read() -> bytes:
        path = settings.sqlite_path
        parts = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in parts if p.exists())

    return read

"""Fixtures for the reliability tests: an in-process app on a migrated temporary SQLite
folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import load_settings
from guardpath.web.app import create_app


@pytest.fixture(scope="module")
def reliability_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("GUARDPATH_"):
                patch.delenv(name)
        folder: Path = tmp_path_factory.mktemp("reliability") / "data"
        # The fuzzing submits far more applications than one client may in an hour.
        settings = load_settings(data_dir=folder, database_url=None, submissions_per_hour=10**6)
        context = bootstrap(settings)
        upgrade(context.engine)
        yield context
        context.engine.dispose()


@pytest.fixture(scope="module")
def reliability_app(reliability_ctx: Context) -> FastAPI:
    return create_app(ctx=reliability_ctx)

"""Fixtures for the reliability tests: an in-process app on a migrated temporary SQLite folder,
with Argon2 at its smallest cost (the resume code is not what these tests are about)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import Context, bootstrap
from guardpath.services import cases as cases_service
from guardpath.services import status as status_service
from guardpath.settings import load_settings
from guardpath.web.app import create_app

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="module")
def reliability_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("GUARDPATH_"):
                patch.delenv(name)
        patch.setattr(cases_service, "HASHER", CHEAP)
        patch.setattr(status_service, "HASHER", CHEAP)
        patch.setattr(status_service, "_DUMMY", [])
        folder: Path = tmp_path_factory.mktemp("reliability") / "data"
        context = bootstrap(load_settings(data_dir=folder, database_url=None))
        upgrade(context.engine)
        yield context
        context.engine.dispose()


@pytest.fixture(scope="module")
def reliability_app(reliability_ctx: Context) -> FastAPI:
    return create_app(ctx=reliability_ctx)

"""A migrated SQLite file copied for each test instead of migrating each test's database, and
SQLite without an fsync per commit: the two costs of a test's database that are not its test.

The template is made once per test session (`sqlite_template` in conftest.py), and once per
worker when the tests run in parallel.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from guardpath.adapters.database import make_engine
from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import Context, bootstrap
from guardpath.settings import Settings, load_settings


def make_template(folder: Path) -> Path:
    """A SQLite file migrated to the head revision, in `folder`."""
    settings = load_settings(data_dir=folder, database_url=None)
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()  # the last connection closes: the WAL is checkpointed into the file
    return settings.sqlite_path


def migrated_context(settings: Settings, template: Path, **wiring: Any) -> Context:
    """The composition root on a database at the head revision: a copy of the template for a
    SQLite file, the migrations for any other database."""
    if settings.database_url is not None:
        context = bootstrap(settings, **wiring)
        upgrade(context.engine)
        return context
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(template, settings.sqlite_path)
    context = bootstrap(settings, **wiring)  # the file is tightened to its owner here
    skip_fsync(context.engine)
    return context


def skip_fsync(engine: Engine) -> None:
    """Surviving a power cut is SQLite's business, not these tests': no fsync per commit (WAL
    and BEGIN IMMEDIATE, which the tests do rely on, are unchanged)."""
    event.listen(engine, "connect", _no_fsync)


def _no_fsync(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=OFF")

"""Nothing blocks the event loop: while SQLite's write lock is held (as a backup, a key rotation
or an import holds it) and a status request waits on it, a static file still answers; the
waiting request ends with 503 and Retry-After, never a 500."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.settings import load_settings
from serving import serving


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in [name for name in os.environ if name.startswith("GUARDPATH_")]:
        monkeypatch.delenv(name)
    folder = tmp_path / "data"
    ctx = bootstrap(load_settings(data_dir=folder, database_url=None, keys=None, key_file=None))
    upgrade(ctx.engine)
    ctx.engine.dispose()
    yield folder


def test_it_serves_static_files_while_a_status_request_waits_for_the_write_lock(
    data_dir: Path,
) -> None:
    settings = {"GUARDPATH_DATA_DIR": str(data_dir), "GUARDPATH_LOCK_TIMEOUT": "3"}
    with serving(settings) as url:
        lock = sqlite3.connect(data_dir / "guardpath.db", isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # the write lock, as a backup holds it
        waiting: list[httpx.Response] = []
        try:
            status = threading.Thread(
                target=lambda: waiting.append(
                    httpx.get(
                        f"{url}/api/v1/applications/GP-AAAAAAAAAA",
                        headers={"X-Resume-Code": "AAAA-BBBB-CCCC-DDDD"},
                        timeout=60,
                    )
                )
            )
            status.start()
            statics = [httpx.get(f"{url}/static/favicon.svg", timeout=60) for _ in range(5)]
            still_waiting = status.is_alive()
            status.join(timeout=60)
        finally:
            lock.execute("ROLLBACK")
            lock.close()

    assert [static.status_code for static in statics] == [200] * 5
    assert still_waiting, "the static file answered while the status request waited"
    assert waiting[0].status_code == 503
    assert int(waiting[0].headers["Retry-After"]) > 0
    assert waiting[0].headers["X-Content-Type-Options"] == "nosniff"

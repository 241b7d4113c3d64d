"""P3's servers: guardpath and the bare peer, each on a fresh copy of one migrated
database (SQLite or PostgreSQL), started, waited for and stopped (bench/submissions.py)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
from sqlalchemy import create_engine, text

from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BARE = Path(__file__).resolve().parent / "peers" / "bare_submissions.py"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
START_TIMEOUT = 60.0


# -- the servers and their databases ----------------------------------------------------------
def _settings(data_dir: Path, database_url: str | None) -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url, key_file=None, keys=None)


@dataclass(frozen=True)
class Databases:
    """A migrated template (a data folder with development keys, and on PostgreSQL a template
    database) and fresh copies of it, one for each server run."""

    template: Path
    postgres_template: str | None = None

    @classmethod
    @contextmanager
    def made(cls, backend: str, folder: Path) -> Iterator[Databases]:
        template = folder / "template"
        if backend == "sqlite":
            ctx = bootstrap(_settings(template, None))
            upgrade(ctx.engine)
            ctx.engine.dispose()
            yield cls(template)
            return
        name = f"guardpath_p3_{uuid.uuid4().hex[:8]}"
        _postgres(f"CREATE DATABASE {name}")
        try:
            ctx = bootstrap(_settings(template, f"{POSTGRES}/{name}"))
            upgrade(ctx.engine)
            ctx.engine.dispose()
            yield cls(template, name)
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @contextmanager
    def fresh(self, folder: Path) -> Iterator[dict[str, str]]:
        """The environment of a server on a fresh copy of the template."""
        shutil.copytree(self.template, folder)
        # Every client is 127.0.0.1: the submissions limit is raised past what a run sends,
        # so its counter is still kept (and costs what it costs) but never refuses.
        env = {"GUARDPATH_DATA_DIR": str(folder), "GUARDPATH_SUBMISSIONS_PER_HOUR": str(10**9)}
        if self.postgres_template is None:
            yield env
            shutil.rmtree(folder)
            return
        name = f"{self.postgres_template}_{uuid.uuid4().hex[:6]}"
        _postgres(f"CREATE DATABASE {name} TEMPLATE {self.postgres_template}")
        try:
            yield env | {"GUARDPATH_DATABASE_URL": f"{POSTGRES}/{name}"}
        finally:
            _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            shutil.rmtree(folder)


def _postgres(statement: str) -> None:
    engine = create_engine(f"{POSTGRES}/test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(side: str, port: int, workers: int) -> list[str]:
    if side == "guardpath":
        serve = "from guardpath.cli import app; app()"
        return [
            sys.executable,
            "-c",
            serve,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    return [sys.executable, str(BARE), str(port), str(workers)]


@dataclass(frozen=True)
class Server:
    url: str
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """The server's CPU seconds, its worker processes' included."""
        total = 0.0
        for process in (self.process, *self.process.children(recursive=True)):
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total


@contextmanager
def serving(side: str, env: dict[str, str], log: Path, workers: int = 1) -> Iterator[Server]:
    """The side's server, started and answering. Stopped on the way out."""
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUARDPATH_")}
    with log.open("wb") as output:
        process = subprocess.Popen(
            _command(side, port, workers), cwd=ROOT, env=clean | env, stdout=output, stderr=output
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(process, url, log)
            yield Server(url, psutil.Process(process.pid))
        finally:
            _stop(process)


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server died: {log.read_text()[-2000:]}")
        try:
            httpx.get(url, timeout=1)  # any answer, even 404, means it is listening
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

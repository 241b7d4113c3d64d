"""Kill the real server in the middle of a burst of applications, start it again, and check
that nothing acknowledged was lost or doubled and that the database and the audit chain are
whole.

Each trial: a migrated SQLite data folder; the server (tests/reliability/server.py, what
`guardpath serve` runs) as a subprocess; CLIENTS threads submitting applications; SIGKILL at a
random moment in the second or so after the first application was acknowledged (the window
opens there, not when the clients start, so that on a slow or busy machine the kill still
comes with acknowledged writes behind it and more under way); a restart, which must serve the
acknowledged applications and take a new one; then, server stopped: every reference answered
with 201 is in `cases` exactly once with its one submission in the history, no case lacks its
submission, the audit chain verifies and `PRAGMA integrity_check` says ok.

SIGKILL stops the process, not the machine: what it proves is that a 201 is only sent after
the commit and that a transaction cut short leaves nothing half-written. A power cut (the
operating system's cache lost) is SQLite's `synchronous=FULL`, not tested here.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from cast import application
from guardpath.adapters import audit
from guardpath.adapters.migrate import upgrade
from guardpath.bootstrap import bootstrap
from guardpath.settings import load_settings
from serving import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).with_name("server.py")
TRIALS = 10
CLIENTS = 4
LOAD_SECONDS = (0.4, 1.6)
"""The kill comes at a random moment in this window after the first acknowledged application."""
START_TIMEOUT = 300.0
"""How long a server may take to answer at first. Each wait ends as soon as its condition holds,
so these deadlines only catch a hang and cost nothing on a healthy run; they are long because a
shared machine at a load of 20 or more on two cores takes over 40 s to start a server."""
FIRST_ACK_TIMEOUT = 300.0
"""How long the clients may take to have one application acknowledged, however slow the machine."""
REQUEST_TIMEOUT = 60.0
"""One request's time on a loaded machine (the first answer of a new server builds its schema)."""
SEED = int(os.environ.get("GUARDPATH_CRASH_SEED", "20240830"))

APPLICATION = application("russian", email=None, phone=None)


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated data folder (database and development keys), copied for each trial."""
    folder = tmp_path_factory.mktemp("crash-template") / "data"
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("GUARDPATH_"):
                patch.delenv(name)
        ctx = bootstrap(load_settings(data_dir=folder, database_url=None))
        upgrade(ctx.engine)
        ctx.engine.dispose()
    return folder


@dataclass
class Server:
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GUARDPATH_")}
        env["GUARDPATH_DATA_DIR"] = str(self.data_dir)
        env["GUARDPATH_SUBMISSIONS_PER_HOUR"] = str(10**6)  # the clients all share 127.0.0.1
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                assert self.process.stderr is not None
                raise AssertionError(f"the server died: {self.process.stderr.read().decode()}")
            try:
                answer = httpx.get(f"{self.url}/api/v1/openapi.json", timeout=REQUEST_TIMEOUT)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not start in time")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=REQUEST_TIMEOUT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=REQUEST_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()


@pytest.fixture
def data_dir(migrated_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(migrated_template, target)
    return target


@pytest.fixture
def server(data_dir: Path) -> Iterator[Server]:
    running = Server(data_dir)
    yield running
    running.stop()


@dataclass
class Load:
    """Clients submitting applications until told to stop; what was acknowledged, kept."""

    url: str
    acknowledged: dict[str, str] = field(default_factory=dict)  # reference -> resume code
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    first_acknowledged: threading.Event = field(default_factory=threading.Event)

    def client(self) -> None:
        with httpx.Client(base_url=self.url, timeout=REQUEST_TIMEOUT) as http:
            while not self.stop.is_set():
                with self.lock:
                    self.sent += 1
                try:
                    response = http.post("/api/v1/applications", json=APPLICATION)
                except httpx.TransportError:
                    continue  # cut off by the kill: unacknowledged, may or may not be stored
                if response.status_code == 201:
                    body = response.json()
                    with self.lock:
                        assert body["reference"] not in self.acknowledged
                        self.acknowledged[body["reference"]] = body["resume_code"]
                    self.first_acknowledged.set()
                else:
                    raise AssertionError(f"{response.status_code}: {response.text}")


def check_database(data_dir: Path, acknowledged: dict[str, str]) -> int:
    """Every acknowledged reference once, each case with its submission; returns the cases."""
    settings = load_settings(data_dir=data_dir, database_url=None)
    path = settings.sqlite_path
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = dict(raw.execute("SELECT reference, count(*) FROM cases GROUP BY reference"))
        submissions = dict(
            raw.execute(
                "SELECT c.reference, count(h.case_id) FROM cases c LEFT JOIN case_history h"
                " ON h.case_id = c.id AND h.action = 'submit_application' GROUP BY c.reference"
            )
        )
        case_ids = {row[0] for row in raw.execute("SELECT id FROM cases")}
        audited = {
            action: list(raw.execute("SELECT subject FROM audit_log WHERE action = ?", (action,)))
            for action in ("create_case", "submit_application")
        }
    raw.close()
    missing = sorted(set(acknowledged) - set(counts))
    assert not missing, f"acknowledged but lost: {missing}"
    assert all(n == 1 for n in counts.values()), counts
    assert all(n == 1 for n in submissions.values()), submissions
    ctx = bootstrap(settings)
    try:
        with ctx.engine.connect() as conn:
            report = audit.verify(conn, ctx.keyring)
    finally:
        ctx.engine.dispose()
    assert report.ok, report.problems
    # Each case's creation and submission are in the chain once, and no entry of a
    # transaction that did not commit is.
    for action, subjects in audited.items():
        assert sorted(s for (s,) in subjects) == sorted(case_ids), action
    return len(counts)


def wait_for_first_acknowledgement(load: Load) -> bool:
    """Whether an application was acknowledged before the clients stopped or time ran out."""
    deadline = time.monotonic() + FIRST_ACK_TIMEOUT
    while not load.stop.is_set() and time.monotonic() < deadline:
        if load.first_acknowledged.wait(timeout=0.05):
            return True
    return load.first_acknowledged.is_set()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_killed_server_keeps_every_acknowledged_application_exactly_once(
    trial: int, server: Server, data_dir: Path
) -> None:
    chance = random.Random(SEED + trial)
    server.start()
    load = Load(server.url)
    clients = [threading.Thread(target=load.client) for _ in range(CLIENTS)]
    errors: list[BaseException] = []

    def guarded(target: threading.Thread) -> None:
        try:
            target.run()
        except BaseException as error:  # an unexpected answer fails the trial below
            errors.append(error)
            load.stop.set()

    threads = [threading.Thread(target=guarded, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    if wait_for_first_acknowledgement(load):
        time.sleep(chance.uniform(*LOAD_SECONDS))
    load.stop.set()  # no new requests; those in flight are cut off by the kill
    server.kill()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT)
    assert not errors, errors
    acknowledged = dict(load.acknowledged)
    assert acknowledged, "no application was acknowledged before the kill"

    server.start()  # the same data folder, after the crash
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as http:
        reference, code = next(iter(acknowledged.items()))
        seen = http.get(f"/api/v1/applications/{reference}", headers={"X-Resume-Code": code})
        assert seen.status_code == 200, seen.text
        assert seen.json()["status"] == "submitted"
        after = http.post("/api/v1/applications", json=APPLICATION)
        assert after.status_code == 201, after.text
        acknowledged[after.json()["reference"]] = after.json()["resume_code"]
    server.stop()

    stored = check_database(data_dir, acknowledged)
    print(
        f"crash trial {trial}: {load.sent} sent, {len(acknowledged)} acknowledged and found "
        f"once, {stored} stored"
    )

"""docs/deploy.md's daily checkpoint of the audit chain, run: the page's command makes the
checkpoint key, its unit's commands run on two days (the second checks the chain against the
first day's checkpoint), and the newest audit entry removed with SQL fails the next check.
The host, its settings and its first commands are tests/deploy_support.py's."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from sqlalchemy import create_engine, delete, func, select

from deploy_support import PROGRAM, Host, page, replaced, unit_lines

# the fixtures `installed` needs, and `installed` itself
from deploy_support import host_fixture as host_fixture
from deploy_support import installed_fixture as installed_fixture
from guardpath.adapters.tables import audit_log
from serving import GUARDPATH, serve_env


def unit_commands(unit: str, day: str) -> list[list[str]]:
    """A unit's ExecStart lines as the shell gets them (`$$` is `$`, `%%` is `%`), with `day`
    for the time its file is named by."""
    commands = []
    for line in unit_lines(unit, "ExecStart"):
        command = line.replace(PROGRAM, str(GUARDPATH)).replace("$$", "$").replace("%%", "%")
        if "$(date" in command:
            command = replaced(command, "$(date -u +%Y%m%dT%H%M%SZ)", day)
        commands.append(shlex.split(command))
    return commands


def test_it_runs_the_checkpoint_timers_commands_and_finds_the_newest_entry_removed(
    request: pytest.FixtureRequest,
) -> None:
    host: Host = request.getfixturevalue("installed")
    shell = re.findall(r"```sh\n(.*?)```", page(), flags=re.S)
    (make_key,) = [line for body in shell for line in body.splitlines() if "genpkey" in line]
    subprocess.run(["sh", "-c", host.path(shlex.split(make_key)[-1])], check=True, timeout=60)
    assert (host.root / "etc" / "checkpoint-key.pem").stat().st_mode & 0o077 == 0

    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [host.path(part) for part in command],
            env=serve_env(host.settings()),
            capture_output=True,
            text=True,
            timeout=300,
        )

    unit = "/etc/systemd/system/guardpath-checkpoint.service"
    for day in ("20260101T030000Z", "20260102T030000Z"):  # the second day checks the first
        for command in unit_commands(unit, day):
            done = run(command)
            assert done.returncode == 0, done.stdout + done.stderr
    made = sorted(p.name for p in (host.root / "backups").glob("checkpoint-*.json"))
    assert made == ["checkpoint-20260101T030000Z.json", "checkpoint-20260102T030000Z.json"]

    engine = create_engine(host.database_url)
    newest = select(func.max(audit_log.c.seq)).scalar_subquery()
    with engine.begin() as conn:  # the newest entry removed, as an insider with SQL would
        conn.execute(delete(audit_log).where(audit_log.c.seq == newest))
    engine.dispose()
    verify, _ = unit_commands(unit, "20260103T030000Z")
    found = run(verify)
    assert found.returncode == 1, found.stdout + found.stderr

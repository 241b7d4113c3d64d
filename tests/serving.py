"""`guardpath serve` as a real process on a free loopback port, for tests that need uvicorn
itself (proxy headers, several workers) rather than the app in-process.

The server is waited for by asking it, never by sleeping a fixed time; it is stopped with
SIGTERM (then SIGKILL) and its standard error is shown if it dies.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

GUARDPATH = Path(sys.executable).parent / "guardpath"
START_TIMEOUT = 300.0
"""Seconds a server may take to answer its first request. The wait ends at the first answer, so
this only catches a hang; at a load of 20 on two cores a server took over 40 s to start."""


EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")
"""Linux's range for the local ports of outgoing connections and of binds to port 0."""
LOWEST = 10_000


def free_port() -> int:
    """A free loopback port below the kernel's ephemeral range.

    A port from `bind(("127.0.0.1", 0))` lies in the ephemeral range, the one every outgoing
    connection on the machine takes its local port from. Between choosing such a port and the
    server binding it (or binding it again after a crash test's kill), a client connection of
    this run or of another process could take it, and the server would die with "address
    already in use". Below the range only an explicit bind to that very number can take it.
    """
    first = int(EPHEMERAL.read_text().split()[0]) if EPHEMERAL.exists() else 32_768
    chance = random.SystemRandom()
    while True:
        port = chance.randrange(LOWEST, max(first, LOWEST + 1_000))
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue  # taken: another server's port
            return port


def serve_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The environment without the caller's GUARDPATH_ settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUARDPATH_")}
    return {**env, **settings}


@contextmanager
def serving(settings: Mapping[str, str], *options: str) -> Iterator[str]:
    """Run `guardpath serve OPTIONS` with the GUARDPATH_ `settings`; yield its base URL once it
    answers."""
    port = free_port()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [str(GUARDPATH), "serve", "--port", str(port), *options],
            env=serve_env(settings),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_answering(process, url, errors)
            yield url
        finally:
            _stop(process)


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, errors: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            raise AssertionError(f"guardpath serve exited: {errors.read().decode()}")
        try:
            if httpx.get(f"{url}/static/favicon.svg", timeout=30).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"guardpath serve did not answer within {START_TIMEOUT} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        # The whole session: uvicorn's worker processes too.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

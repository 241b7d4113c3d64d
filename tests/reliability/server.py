"""The server the crash test kills: what `guardpath serve` runs (the migrated database checked
by `open_context`, the app factory under uvicorn), with Argon2 at its smallest cost, so that a
second of load makes dozens of writes instead of two.

    python tests/reliability/server.py PORT
"""

from __future__ import annotations

import sys

import uvicorn
from argon2 import PasswordHasher

from guardpath.cli.runtime import open_context
from guardpath.services import cases as cases_service
from guardpath.web.app import create_app


def main(port: int) -> None:
    cases_service.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    app = create_app(ctx=open_context())
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))

"""The server the crash test kills: what `guardpath serve` runs (the migrated database checked
by `open_context`, the app factory under uvicorn).

    python tests/reliability/server.py PORT
"""

from __future__ import annotations

import sys

import uvicorn

from guardpath.cli.runtime import open_context
from guardpath.web.app import create_app


def main(port: int) -> None:
    app = create_app(ctx=open_context())
    uvicorn.run(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]))

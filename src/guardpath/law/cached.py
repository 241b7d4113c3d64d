"""The shipped legislation, pickled once it is built and read back on the next start.

Parsing and checking the YAML files takes a few hundred milliseconds; reading a pickle, a few
tens. The file's name is a hash of the legislation files' bytes, of the engine's own source
(every module of guardpath.law) and of the Python version, so a changed law, engine or
interpreter never reads an old pickle: it builds afresh and writes a new one. The cache lives in
$XDG_CACHE_HOME/guardpath (by default ~/.cache/guardpath), holds only what the legislation files
already say (no personal data), and may be deleted at any time. A cache that cannot be read or
written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from guardpath.law.model import Legislation

ENGINE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guardpath"


@cache
def _engine_hash() -> bytes:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(ENGINE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def cache_key(sources: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(_engine_hash())
    for relative, raw in sources:
        digest.update(relative.encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()[:32]


def cached_build(
    sources: list[tuple[str, bytes]], build: Callable[[list[tuple[str, bytes]]], Legislation]
) -> Legislation:
    """`build(sources)`, or the pickle of an earlier build of exactly these sources."""
    path = cache_dir() / f"legislation-{cache_key(sources)}.pickle"
    try:
        found = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        found = None
    if isinstance(found, Legislation):
        return found
    legislation = build(sources)
    _write(path, legislation)
    return legislation


def _write(path: Path, legislation: Legislation) -> None:
    """Write atomically (a whole file or none), so a reader never sees half a pickle."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(legislation, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        return

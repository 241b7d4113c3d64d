"""Whether this process can serve: the database answers, its schema is at head, the keys still
load and are the ones in memory (a key rotation asks for a restart), and the newest audit entry
verifies under them.

What is not ready is named by a short word only (`database`, `migrations`, `keys`, `audit`):
a probe is public, so it says nothing of versions, paths or counts.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from guardpath.adapters.crypto import Keyring, KeyringError
from guardpath.services.ports import Ports

DATABASE, MIGRATIONS, KEYS, AUDIT = "database", "migrations", "keys", "audit"


def _keys_on_disk(ctx: Ports) -> Keyring | None:
    """The keys as a restart would load them, or None; a missing key file is never created."""
    settings = ctx.settings
    try:
        if settings.keys is not None:
            data = json.loads(settings.keys.get_secret_value())
            return Keyring.from_json(data, "GUARDPATH_KEYS")
        return Keyring.from_json(json.loads(settings.key_path.read_text()), "key file")
    except (OSError, ValueError, KeyringError):
        return None


def _keys_ready(ctx: Ports) -> bool:
    """The keys load, and they are the ones this process holds: after a rotation began, a
    process still on the old file can open none of the values moved under the new key."""
    found = _keys_on_disk(ctx)
    held = ctx.keyring
    return (
        found is not None
        and found.index_key == held.index_key
        and found.audit_key == held.audit_key
        and found.active_id == held.active_id
    )


def not_ready(ctx: Ports) -> list[str]:
    """The parts that are not ready, in a fixed order; empty when the process can serve."""
    health = ctx.store().health()
    if not health.reachable:
        failing = [DATABASE]
    elif not health.schema_current:
        failing = [MIGRATIONS]
    else:
        failing = [] if health.chain_verifies else [AUDIT]
    if not _keys_ready(ctx):
        failing.append(KEYS)
    return failing


@dataclass
class Readiness:
    """`not_ready`, remembered for `ttl` seconds, so that a flood of probes costs the database
    one look per interval; while one look is under way, other probes get the last answer."""

    ctx: Ports
    ttl: float = 1.0
    now: Callable[[], float] = time.monotonic
    _last: tuple[float, list[str]] | None = None
    _looking: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def failing(self) -> list[str]:
        with self._lock:
            last = self._last
            if last is not None and (self._looking or self.now() - last[0] < self.ttl):
                return list(last[1])
            self._looking = True
        try:
            found = not_ready(self.ctx)
        finally:
            with self._lock:
                self._looking = False
        with self._lock:
            self._last = (self.now(), found)
        return list(found)

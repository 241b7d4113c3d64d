"""A bound on the password hashes computed at once: each Argon2 verification takes 64 MiB, so
forty logins at once would take 2.5 GB. Past the bound a request waits a little, then is
refused as busy (503) rather than queueing without end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

CONCURRENT_HASHES = 2
"""Per worker process: 128 MiB of Argon2 memory at most, and the machine's cores stay free."""
WAIT_SECONDS = 5.0
"""How long a login waits for a free slot before it is answered 503."""
RETRY_AFTER = 5

_slots = threading.BoundedSemaphore(CONCURRENT_HASHES)


class HashingBusy(Exception):
    """Every hashing slot stayed taken for WAIT_SECONDS; try again after `retry_after`."""

    retry_after = RETRY_AFTER


@contextmanager
def bounded_hashing(wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold one of the CONCURRENT_HASHES slots while hashing; HashingBusy if none frees up."""
    if not _slots.acquire(timeout=wait):
        raise HashingBusy
    try:
        yield
    finally:
        _slots.release()

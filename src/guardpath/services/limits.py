"""Every limit and throttle, with its numbers, counted in the database so that it holds across
worker processes and hosts.

A limit allows `count` hits per subject in a fixed window of `period` (at most twice that across
a window's edge); the counters expire with their window. Subjects are kept as keyed blind
indexes, so the table names no client address, reference or username. Guesses are reserved
before they are checked and given back when right, so forty guesses sent at once count forty
and only the first `count` are checked.

The throttles of guesses count per client, or per target *and* client, never per target alone:
someone who knows a reference or a staff username cannot lock its rightful owner out by
guessing wrong on purpose; they only use up their own address's allowance. This is safe because
a resume code has 80 random bits and a staff login needs a TOTP code on top of the password:
the guesses all of the internet's addresses could make within these limits find neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from guardpath.services.ports import Ports
from guardpath.services.unit_of_work import Work


@dataclass(frozen=True)
class Limit:
    rule: str
    count: int
    period: timedelta

    @property
    def seconds(self) -> int:
        return int(self.period.total_seconds())


STATUS_GUESSES_PER_CLIENT = Limit("status_client", 30, timedelta(minutes=15))
"""Generous: the clients behind one address (a unit's network, a proxy) share it."""
STATUS_GUESSES_PER_REFERENCE = Limit("status_reference", 5, timedelta(minutes=15))
"""Per reference and client: a typo or two on one's own application, not a search."""
LOGINS_PER_CLIENT = Limit("login_client", 20, timedelta(minutes=15))
LOGINS_PER_USERNAME = Limit("login_username", 5, timedelta(minutes=15))
"""Per username and client: the account stays open to its owner, from their own address."""
DRAFTS_PER_CLIENT = Limit("drafts", 20, timedelta(days=1))
"""New applications started per client address and day."""
SUBMISSIONS_PERIOD = timedelta(hours=1)
"""Submissions per client address and hour; the count is a setting
(GUARDPATH_SUBMISSIONS_PER_HOUR)."""


def submissions_limit(ctx: Ports) -> Limit:
    return Limit("submissions", ctx.settings.submissions_per_hour, SUBMISSIONS_PERIOD)


class TooMany(Exception):
    """Over a limit; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Taken:
    """One hit counted, which `give_back` can take back."""

    limit: Limit
    subject: str
    window: int


def take(ctx: Ports, *wanted: tuple[Limit, str]) -> list[Taken]:
    """Count one hit of each (limit, subject), in one short transaction; raises TooMany (with
    the longest wait) if any of them is over its count."""
    with ctx.unit_of_work() as uow:
        taken, wait = _hit(uow, ctx, wanted)
        uow.commit()
    if wait:
        raise TooMany(wait)
    return taken


def refuse_if_over(ctx: Ports, *wanted: tuple[Limit, str]) -> None:
    """Before costly work that `counted` will limit: if a (limit, subject) has already used its
    count in this window, count this hit too (a flood stays counted) and raise TooMany, so a
    refused request costs one read and one small write, not the work. A request that passes
    is counted by `counted`, in its own transaction; this look takes no lock."""
    now = int(ctx.clock().timestamp())
    with ctx.reading() as uow:
        over = [
            limit
            for limit, subject in wanted
            if uow.limits.hits(
                limit.rule,
                ctx.keyring.blind_index(f"limit:{limit.rule}", subject),
                now // limit.seconds,
            )
            >= limit.count
        ]
    if over:
        taken = take(ctx, *wanted)  # raises TooMany with the wait
        give_back(ctx, taken)  # a new window began meanwhile: `counted` counts this one


def counted(uow: Work, ctx: Ports, *wanted: tuple[Limit, str]) -> list[Taken]:
    """Count one hit of each (limit, subject) in `uow`'s transaction, to be committed with the
    work it limits (a submission): one commit for both. Over a count, raises TooMany and commits
    nothing: the caller's transaction rolls back whole, and the caller counts the refusal with
    `take` in a transaction of its own, so a flood is still counted and writes nothing else.

    On PostgreSQL the counter's row stays locked until the commit, on SQLite the write lock is
    held from the start: concurrent hits on one counter get consecutive counts, and no more
    than its count are committed with their work."""
    taken, wait = _hit(uow, ctx, wanted)
    if wait:
        raise TooMany(wait)
    return taken


def _hit(uow: Work, ctx: Ports, wanted: tuple[tuple[Limit, str], ...]) -> tuple[list[Taken], int]:
    """The hits, and the longest wait of those over their count (0: none is)."""
    now = int(ctx.clock().timestamp())
    taken, waits = [], [0]
    for limit, subject in wanted:
        window = now // limit.seconds
        expires = (window + 1) * limit.seconds
        hidden = ctx.keyring.blind_index(f"limit:{limit.rule}", subject)
        hits = uow.limits.hit(limit.rule, hidden, window, expires)
        if hits == 1:  # a new window: a good moment to drop the windows that are over
            uow.limits.purge(now)
        if hits > limit.count:
            waits.append(max(1, expires - now))
        taken.append(Taken(limit, hidden, window))
    return taken, max(waits)


def give_back(ctx: Ports, taken: list[Taken], forget: tuple[Limit, ...] = ()) -> None:
    """Take back hits that were only reserved: a right guess counts nothing. The counters of
    the limits in `forget` are cleared instead: a right guess on one's own target (a reference
    or a username, from one's own address) wipes the misses before it."""
    with ctx.unit_of_work() as uow:
        for hit in taken:
            if hit.limit in forget:
                uow.limits.clear(hit.limit.rule, hit.subject)
            else:
                uow.limits.give_back(hit.limit.rule, hit.subject, hit.window)
        uow.commit()


def subject(*parts: str) -> str:
    """One subject of several parts (a reference and a client address)."""
    return "\0".join(parts)

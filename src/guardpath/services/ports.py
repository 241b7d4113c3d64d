"""What the services are given: the ports the composition root (guardpath.bootstrap) fills.

A service takes `ctx: Ports` and asks it for a unit of work, the keys, the law, the settings and
the time; it never builds a connection or imports the root that wires it. `bootstrap.Context`
is the production implementation; tests may give any object with these members."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from guardpath.adapters.crypto import Keyring
    from guardpath.law.model import Legislation
    from guardpath.services.unit_of_work import Work
    from guardpath.settings import Settings


class Ports(Protocol):
    """The ports of one process: read them, never replace them."""

    @property
    def settings(self) -> Settings: ...
    @property
    def keyring(self) -> Keyring: ...
    @property
    def legislation(self) -> Legislation: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    def unit_of_work(self) -> Work:
        """A new transaction; reads take one too and simply do not commit."""
        ...

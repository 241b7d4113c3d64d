"""Polars, imported the first time one of its names is used.

One person's answer (`guardpath check`, the web pages) never touches Polars, yet the engine's
modules build Polars expressions for whole tables. They take `pl` from here: importing them costs
nothing, and the first `pl.<name>` imports Polars (about 0.3 s) and keeps the name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl
else:

    class _Polars:
        """Stands in for the `polars` module until a name of it is read."""

        def __getattr__(self, name: str) -> Any:
            value = getattr(importlib.import_module("polars"), name)
            setattr(self, name, value)
            return value

    pl = _Polars()

__all__ = ["pl"]

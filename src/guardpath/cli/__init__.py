"""guardpath's command line (Typer and Rich): commands parse, call the engine, render."""

from guardpath.cli.app import app

__all__ = ["app"]

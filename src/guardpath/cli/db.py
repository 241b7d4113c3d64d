"""`guardpath db upgrade`: apply the schema migrations to the configured database."""

from __future__ import annotations

import typer
from rich.console import Console

from guardpath.adapters.database import make_engine
from guardpath.adapters.migrate import head_revision, upgrade
from guardpath.cli.runtime import failing, revision_of, where
from guardpath.settings import load_settings

db = typer.Typer(
    name="db",
    help="The database's schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@db.command("upgrade", short_help="Apply the schema migrations; print the revision.")
def db_upgrade() -> None:
    """Apply the schema migrations to the database of GUARDPATH_DATABASE_URL, or to the SQLite
    file in GUARDPATH_DATA_DIR, and print its revision. Safe to run again: an up-to-date
    database is left as it is. Needs no keys.
    """
    with failing():
        settings = load_settings()
        engine = make_engine(settings)
        before = revision_of(engine, settings)
        upgrade(engine)
    after, head = revision_of(engine, settings), head_revision()
    engine.dispose()
    change = "already at" if before == after else f"upgraded from {before or 'empty'} to"
    Console(highlight=False).print(f"{where(settings)}: {change} revision {after} (head {head})")

"""`guardpath db upgrade`: apply the schema migrations to the configured database;
`guardpath db index-names`: write the name-search tokens of the people stored before them;
`guardpath db rebuild-screening-keys`: store every person's screening keys anew."""

from __future__ import annotations

import typer
from rich.console import Console

from guardpath.adapters.database import make_engine
from guardpath.adapters.migrate import head_revision, upgrade
from guardpath.cli.runtime import failing, open_context, revision_of, where
from guardpath.services.duplicates import rebuild_screening_keys
from guardpath.services.search import index_names, people_without_name_tokens
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


@db.command("index-names", short_help="Write the name-search tokens of people without them.")
def db_index_names(
    everyone: bool = typer.Option(
        False, "--all", help="Rewrite the tokens of every person, not only those missing."
    ),
) -> None:
    """Write the keyed name tokens the console's name search uses (each part of each name,
    folded across scripts, stored only as a blind index) for the people stored before
    revision 0009 or imported without them; print how many people were indexed. Needs the
    keys. Safe to run again.
    """
    with failing():
        ctx = open_context()
        done = index_names(ctx, everyone=everyone)
        left = people_without_name_tokens(ctx)
    ctx.engine.dispose()
    Console(highlight=False).print(f"name tokens written for {done:,} people; {left:,} without")


@db.command("rebuild-screening-keys", short_help="Store every person's screening keys anew.")
def db_rebuild_screening_keys() -> None:
    """Store anew the keyed blocking keys the duplicate and watch-list screening finds
    candidates by, for every person: once after an upgrade that changed how the keys are made
    (this release keys each name part with the full birth date, and adds sound keys), or after
    a bulk import. Needs the keys. Safe to run again; print how many people were keyed.
    """
    with failing():
        ctx = open_context()
        done = rebuild_screening_keys(ctx)
    ctx.engine.dispose()
    Console(highlight=False).print(f"screening keys stored anew for {done:,} people")

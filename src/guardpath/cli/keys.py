"""`guardpath keys rotate`: a new data key, and every sealed value moved under it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from guardpath.adapters.crypto import new_key_file
from guardpath.cli.errors import BadInput
from guardpath.cli.runtime import admin, failing, open_context, progress_bar
from guardpath.services.keys import DEFAULT_BATCH, rotate_keys

keys = typer.Typer(
    name="keys",
    help="The keys that seal personal data (kept outside the database).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@keys.command("rotate", short_help="Seal every value under a new data key; resumable.")
def keys_rotate(
    batch: Annotated[
        int, typer.Option(metavar="N", min=1, help="Values re-encrypted per transaction.")
    ] = DEFAULT_BATCH,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Only go on with an unfinished rotation; fail if there is none."
        ),
    ] = False,
) -> None:
    """Add a new data key to the key file and make it active, then re-encrypt every sealed
    value (people, reasons, documents) under it, N values per transaction.

    The key file is written before any row changes. An interrupted rotation is resumed, with the
    same key, by running the command again (or with --resume). When it is done the old keys
    stay in the key file, listed as retired: older backups need them. Blind indexes and the
    audit chain do not change. Restart running servers afterwards so they load the new key.
    """
    console = Console(highlight=False)
    with failing():
        ctx = open_context()
        with progress_bar("re-encrypting") as advance:
            rotation = rotate_keys(ctx, admin(), batch_size=batch, resume=resume, on_batch=advance)
    how = "resumed" if rotation.resumed else "rotated"
    console.print(
        f"{how}: {rotation.rows_this_run:,} values re-encrypted in {rotation.seconds:.1f} s "
        f"({rotation.rows_done:,} in all) under key {rotation.target_key_id}"
    )
    console.print(f"retired keys, kept in {ctx.settings.key_path}: {', '.join(rotation.retired)}")


@keys.command("new", short_help="Write fresh keys to a new key file.")
def keys_new(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The key file to create; it must not exist.")
    ],
) -> None:
    """Generate the data, index and audit keys into a new key file, readable by its owner only,
    for GUARDPATH_KEY_FILE. Keep it outside the data folder and outside backups. An existing
    file is never replaced: the data sealed under its keys would be lost."""
    with failing():
        if file.exists() or new_key_file(file) is None:
            raise BadInput("FILE", f"{file} exists; a key file is never replaced")
    Console(highlight=False).print(f"new keys written to {file} (readable by its owner only)")

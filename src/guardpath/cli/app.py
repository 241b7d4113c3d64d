"""The command-line application: each command is a small function in its own module."""

from __future__ import annotations

import typer

from guardpath.cli.audit import audit
from guardpath.cli.backup import backup, restore
from guardpath.cli.check import check
from guardpath.cli.db import db
from guardpath.cli.demo import demo_data
from guardpath.cli.evaluate import evaluate
from guardpath.cli.keys import keys
from guardpath.cli.law import law
from guardpath.cli.population import demo_population
from guardpath.cli.reform import reform
from guardpath.cli.roster import export_file, import_file
from guardpath.cli.screen import screen
from guardpath.cli.serve import serve
from guardpath.cli.staff import staff
from guardpath.cli.timeline import timeline

app = typer.Typer(
    name="guardpath",
    help=(
        "The Ukrainian law on foreign volunteers in the NGU, AFU and DSST and their route to "
        "citizenship: may this person enlist, may this serviceman become a citizen, on any "
        "date since 2014, with the reasons and their citations."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(short_help="Start the web application (--demo: with invented cases and logins).")(serve)
app.command(short_help="May this person enlist, or become a citizen? With the reasons.")(check)
app.command(short_help="When the answer changes for one person, since 2014.")(timeline)
app.command(short_help="The rules, parameters and open questions, with citations.")(law)
app.command(short_help="Answer one question for a whole table of people.")(evaluate)
app.command(short_help="What a draft amendment would change, over a table of people.")(reform)
app.command("demo-population", short_help="Write a synthetic table of people.")(demo_population)
app.add_typer(db, short_help="The database's schema: upgrade.")
app.add_typer(keys, short_help="The data keys: new, rotate.")
app.command(short_help="Write every row to a backup file, personal data still sealed.")(backup)
app.command(short_help="Load a backup file into an empty database.")(restore)
app.add_typer(audit, short_help="The audit chain: verify.")
app.command("demo-data", short_help="Fill an empty database with invented cases.")(demo_data)
app.add_typer(staff, short_help="Staff accounts for the console: add.")
app.command("import", short_help="Import a unit's roster of service members.")(import_file)
app.command("export", short_help="Export the roster of service members.")(export_file)
app.command(short_help="Screen a name against a watch-list, with scores and reasons.")(screen)

"""The command-line application: each command is a small function in its own module.

The table below names each command's module; a module is imported only when its command runs
(or its own help is shown), so `guardpath check` does not pay for the web application, the PDFs
and the database, and `guardpath --help` imports none of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import typer
from typer import _click as click  # the Click that Typer bundles and builds on
from typer.core import TyperGroup
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo


@dataclass(frozen=True)
class Entry:
    """One command: where its function (or sub-application) lives and its line in the help."""

    module: str
    attribute: str
    short_help: str


COMMANDS: dict[str, Entry] = {
    "serve": Entry(
        "serve", "serve", "Start the web application (--demo: with invented cases and logins)."
    ),
    "check": Entry(
        "check", "check", "May this person enlist, or become a citizen? With the reasons."
    ),
    "timeline": Entry(
        "timeline", "timeline", "When the answer changes for one person, since 2014."
    ),
    "law": Entry("law", "law", "The rules, parameters and open questions, with citations."),
    "evaluate": Entry("evaluate", "evaluate", "Answer one question for a whole table of people."),
    "reform": Entry(
        "reform", "reform", "What a draft amendment would change, over a table of people."
    ),
    "demo-population": Entry("population", "demo_population", "Write a synthetic table of people."),
    "backup": Entry(
        "backup", "backup", "Write every row to a backup file, personal data still sealed."
    ),
    "restore": Entry("backup", "restore", "Load a backup file into an empty database."),
    "demo-data": Entry("demo", "demo_data", "Fill an empty database with invented cases."),
    "import": Entry("roster", "import_file", "Import a unit's roster of service members."),
    "export": Entry("roster", "export_file", "Export the roster of service members."),
    "screen": Entry(
        "screen", "screen", "Screen a name against a watch-list, with scores and reasons."
    ),
    "db": Entry("db", "db", "The database's schema: upgrade."),
    "keys": Entry("keys", "keys", "The data keys: new, rotate."),
    "audit": Entry("audit", "audit", "The audit chain: verify."),
    "staff": Entry("staff", "staff", "Staff accounts for the console: add."),
}


def load(name: str) -> click.Command:
    """The click command NAME, its module imported now."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(f"guardpath.cli.{entry.module}"), entry.attribute)
    if isinstance(target, typer.Typer):
        info = TyperInfo(target, name=name, short_help=entry.short_help)
        return get_group_from_info(
            info, pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True
        )
    command = CommandInfo(name=name, callback=target, short_help=entry.short_help)
    return get_command_from_info(command, pretty_exceptions_short=True, rich_markup_mode=None)


class CommandTable(TyperGroup):
    """A group whose commands come from COMMANDS, each built the first time it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load(cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands from the table's short help, without importing any of them."""
        rows = [(name, entry.short_help) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="guardpath",
    cls=CommandTable,
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


@app.callback()
def main() -> None:
    """The commands are in COMMANDS; this group itself does nothing but dispatch."""

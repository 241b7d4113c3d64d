"""The CLI reference, docs/cli.md, generated from each command's --help and the facts contract.

Regenerate it with `python -m guardpath.cli.reference > docs/cli.md`; tests/test_docs.py fails
when the file and this output differ.
"""

from __future__ import annotations

import typer.main

from guardpath.cli.app import COMMANDS, app
from guardpath.law.facts import BOOL_FACTS, DATE_FACTS, ENUM_FACTS, FACT_NAMES

WIDTH = 88
HEADER = """# guardpath command-line reference

Generated from `guardpath --help` by `python -m guardpath.cli.reference > docs/cli.md`;
`tests/test_docs.py` fails when this file drifts from the commands.

Every command exits 0 with any outcome of a valid question (eligible, ineligible,
undetermined) and 2 on bad input, with a message on standard error naming the field and
what it accepts.
"""


def help_text(*path: str) -> str:
    """The --help of `guardpath PATH...`, at a fixed width."""
    command = typer.main.get_command(app)
    context = command.make_context(
        "guardpath", [], resilient_parsing=True, terminal_width=WIDTH, max_content_width=WIDTH
    )
    for name in path:
        assert isinstance(command, typer.core.TyperGroup)
        sub = command.get_command(context, name)
        assert sub is not None, name
        context = sub.make_context(name, [], parent=context, resilient_parsing=True)
        command = sub
    return command.get_help(context).rstrip() + "\n"


def command_names() -> list[str]:
    return list(COMMANDS)


def _accepted(name: str) -> str:
    if name in ENUM_FACTS:
        return ", ".join(f"`{value}`" for value in ENUM_FACTS[name])
    if name in DATE_FACTS:
        return "`YYYY-MM-DD`"
    if name in BOOL_FACTS:
        return "`true`, `false`"
    if name == "citizenships":
        return 'ISO 3166-1 alpha-2 codes, e.g. `["US"]`; `[]` is a stateless person; `UA` a citizen'
    return "list of `{formation, basis, start, end}` (`end` null while serving)"


def facts_section() -> str:
    rows = "\n".join(f"| `{name}` | {_accepted(name)} |" for name in FACT_NAMES)
    return (
        "## Facts (contract version 1)\n\n"
        "FACTS is one JSON object; a key that is missing or null is unknown, and a decision that\n"
        "needs it is *undetermined* and lists it as missing. Examples are in `examples/`.\n"
        "Tables of people (`evaluate`, `demo-population`) have the same columns, plus an\n"
        "optional `id`; in CSV the two list columns are JSON texts.\n\n"
        "| key | values |\n|---|---|\n" + rows + "\n"
    )


def render() -> str:
    parts = [HEADER, "## guardpath\n", "```\n" + help_text() + "```\n"]
    for name in command_names():
        parts += [f"## guardpath {name}\n", "```\n" + help_text(name) + "```\n"]
    parts.append(facts_section())
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")

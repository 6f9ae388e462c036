"""The ``koers`` command: a thin click layer over functions in ``koers.stats``.

Each subcommand lives in its own module in this package and registers itself
on :data:`main`; :data:`COMMANDS` below is the single place that wires them up.
A command's module is imported only when that command runs (or for ``--help``):
``koers paygap`` does not pay for the imports of ``koers lpa``.
"""

from __future__ import annotations

import importlib

import click

# Command name -> the module that defines it.
COMMANDS = {
    "manage": "manage",
    "lpa": "lpa",
    "paygap": "paygap",
    "flows": "flows",
    "funnel": "funnel",
    "target-path": "target_path",
    "backup": "backup",
    "restore": "backup",
}


class _LazyGroup(click.Group):
    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"koers.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="koers")
def main() -> None:
    """Koers command-line tools (pay gap, flows, latent profile analysis, admin)."""


def _register() -> None:
    # Imported for their side effect of adding commands to ``main``.
    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"koers.cli.{module}")

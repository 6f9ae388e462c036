"""The ``koers`` command: a thin click layer over functions in ``koers.stats``.

Each subcommand lives in its own module in this package and registers itself
on :data:`main`; the import list below is the single place that wires them up.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="koers")
def main() -> None:
    """Koers command-line tools (pay gap, flows, latent profile analysis, admin)."""


def _register() -> None:
    # Imported for their side effect of adding commands to ``main``.
    import importlib

    for name in ("manage", "lpa", "paygap", "flows", "backup"):
        importlib.import_module(f"koers.cli.{name}")


_register()

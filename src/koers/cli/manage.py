"""``koers manage …``: Django's manage.py under the koers command."""

from __future__ import annotations

import os
import sys

import click

from koers.cli import main


@main.command(
    "manage",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, runserver, createsuperuser, …)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["koers manage", *args])
    sys.exit(0)

"""``koers backup FILE`` and ``koers restore FILE``: the whole installation in one archive.

The work is in :mod:`koers.lib.backup` (the format and why it was chosen are in
its docstring); docs/operations.md is the operator's guide. Exit status: 0
done; 2 a bad path, a damaged or incompatible archive, or a target database
that is not empty (without ``--force``), with the reason on stderr; 1 when the
database itself fails.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from koers.cli import main

EXIT_INVALID = 2
EXIT_DATABASE = 1


def _fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except (ImproperlyConfigured, ValueError) as exc:
        _fail(f"the configuration is incomplete: {exc}")


def _size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"  # pragma: no cover


def _table_lines(tables: dict[str, int]) -> list[str]:
    shown = [(label, rows) for label, rows in tables.items() if rows]
    width = max((len(label) for label, _ in shown), default=0)
    return [f"  {label:<{width}}  {rows:>9,}" for label, rows in shown]


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.option("--no-media", is_flag=True, help="Leave the uploads (MEDIA_ROOT) out.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
def backup_command(file: Path, force: bool, no_media: bool, quiet: bool) -> None:
    """Write a consistent backup of the database and the uploads to FILE (.tar.gz).

    Every table of the configured database (DATABASE_URL, or the SQLite
    default) is read in one transaction, so the backup is one moment in time
    even while people answer. The file is readable by its owner only.
    """
    _setup_django()
    from django.db import DatabaseError

    from koers.lib.backup import BackupError, backup, describe_database

    try:
        summary = backup(file, include_media=not no_media, overwrite=force)
    except BackupError as exc:
        _fail(str(exc))
    except DatabaseError as exc:
        _fail(f"the database failed: {exc}", EXIT_DATABASE)
    n_tables = sum(1 for rows in summary.tables.values() if rows)
    click.echo(
        f"Backed up {describe_database()}: {len(summary.tables)} tables ({n_tables} with data), "
        f"{summary.rows:,} rows, {summary.media_files} upload(s) ({_size(summary.media_bytes)}) "
        f"to {summary.path} ({_size(summary.size)}, {summary.seconds:.1f} s)."
    )
    if not quiet:
        for line in _table_lines(summary.tables):
            click.echo(line)


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace the data of a database (and MEDIA_ROOT) that is not empty.",
)
@click.option("--no-media", is_flag=True, help="Leave MEDIA_ROOT as it is.")
@click.option(
    "--check", "check_only", is_flag=True, help="Only check FILE (checksums); change nothing."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
def restore_command(file: Path, force: bool, no_media: bool, check_only: bool, quiet: bool) -> None:
    """Restore a backup made by `koers backup` into the configured database.

    An empty database (a new server, with or without `koers manage migrate`)
    is filled; a database with data is refused unless --force, which replaces
    ALL its data with the backup. Everything happens in one transaction: a
    damaged archive changes nothing.
    """
    _setup_django()
    from django.db import DatabaseError

    from koers.lib.backup import BackupError, describe_database, open_manifest, restore

    try:
        if check_only:
            manifest = open_manifest(file)
            rows = sum(int(t["rows"]) for t in manifest["tables"])
            click.echo(
                f"{file} is a sound Koers backup of {manifest['created']} (Koers "
                f"{manifest['koers_version']}, {manifest['engine']}): {len(manifest['tables'])} "
                f"tables, {rows:,} rows, {len(manifest['media'])} upload(s)."
            )
            return
        summary = restore(file, force=force, include_media=not no_media)
    except BackupError as exc:
        _fail(str(exc))
    except DatabaseError as exc:
        _fail(f"the database failed (nothing was restored): {exc}", EXIT_DATABASE)
    if summary.prepared:
        click.echo(
            f"Gave the empty database the backup's schema first ({len(summary.prepared)} "
            "migration step(s))."
        )
    n_tables = sum(1 for rows in summary.tables.values() if rows)
    click.echo(
        f"Restored {summary.path} (made {summary.created} on {summary.source_engine}) into "
        f"{describe_database()}: {len(summary.tables)} tables ({n_tables} with data), "
        f"{summary.rows:,} rows, {summary.media_files} upload(s) "
        f"({_size(summary.media_bytes)}) in {summary.seconds:.1f} s."
    )
    if summary.upgraded:
        click.echo(
            f"The backup came from Koers {summary.koers_version}: applied "
            f"{len(summary.upgraded)} newer migration(s) to the restored data: "
            + ", ".join(summary.upgraded)
        )
    if summary.media_moved_to is not None:
        click.echo(f"The uploads that were there before are now in {summary.media_moved_to}.")
    if not quiet:
        for line in _table_lines(summary.tables):
            click.echo(line)

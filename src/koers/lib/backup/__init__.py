"""Backups of a whole Koers installation: every database table plus the uploads.

``koers backup FILE`` / ``koers restore FILE`` (:mod:`koers.cli.backup`) call
:func:`backup` and :func:`restore`; docs/operations.md is the operator's guide.

The format
----------
A ``.tar.gz`` archive::

    manifest.json                      format, Koers/Django versions, engine, migrations,
                                       per table: model, rows, file, sha256
    data/0001-organisations.organisation.jsonl
    data/0002-…                        one JSON object per row (Django's JSON Lines
                                       serialisation of the model), in dependency order
    media/…                            every regular file under settings.MEDIA_ROOT

Why this format and not ``pg_dump`` + the sqlite3 backup API:

* **One format for both engines, restorable across them.** A backup of the
  embedded SQLite installation can be restored into PostgreSQL when an
  organisation outgrows it (and back, for a local copy). ``pg_dump`` output
  does not load into SQLite, a SQLite file does not load into PostgreSQL, and
  ``pg_dump`` must be at least as new as the server, which ties backups to the
  client package installed on the web machine.
* **Model-level, so the rules live in one place.** Rows are written through
  the models' own fields (JSON, binary, dates), read back through them and
  checked against the migrations the backup was made with. The archive also
  holds the uploads, which a database dump cannot.
* **Exact.** Primary keys are kept (content types and permissions included),
  so a restore is the same database row for row; datetimes keep their
  microseconds (Django's stock JSON encoder cuts them to milliseconds).
* **Consistent.** Every table is read in one transaction: ``REPEATABLE READ,
  READ ONLY`` on PostgreSQL (the snapshot ``pg_dump`` uses), one read
  transaction on SQLite (a WAL snapshot), so a backup taken while respondents
  are answering is a single moment in time.
* **Streaming.** Rows are written and read line by line (server-side cursor on
  PostgreSQL, batched inserts on restore), so memory stays flat for a large
  campaign.

``pg_dump`` stays the better tool for a database of many gigabytes or for
point-in-time recovery; Koers's data is far smaller than that.

A restore runs in one transaction: every table is emptied (TRUNCATE on
PostgreSQL) and refilled, the sequences are reset, foreign keys are checked and
the row counts compared with the manifest before it commits, so a damaged or
incompatible archive leaves the database as it was. Every file's sha256 is
checked before anything is touched. The uploads are put in place after the
commit; uploads that were there before (``--force``) are moved aside, not
deleted.
"""

from __future__ import annotations

from koers.lib.backup.archive import (
    BackupError,
    BackupSummary,
    DatabaseNotEmpty,
    RestoreSummary,
    open_manifest,
)
from koers.lib.backup.dumping import backup
from koers.lib.backup.restoring import restore
from koers.lib.backup.schema import describe_database, non_empty_tables

__all__ = [
    "BackupError",
    "BackupSummary",
    "DatabaseNotEmpty",
    "RestoreSummary",
    "backup",
    "describe_database",
    "non_empty_tables",
    "open_manifest",
    "restore",
]

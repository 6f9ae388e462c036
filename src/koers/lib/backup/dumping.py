"""Making a backup: every table in one read transaction, plus the uploads."""

from __future__ import annotations

import datetime as dt
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core import serializers
from django.db import (
    DEFAULT_DB_ALIAS,
    connections,
    transaction,
)
from django.db.models import Model

from koers.lib.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    BackupSummary,
    _add_bytes,
    _FullPrecisionEncoder,
    _koers_version,
    _sha256,
)
from koers.lib.backup.schema import (
    _backed_up_models,
    _code_migrations,
    _media_files,
    _media_root,
    _registry,
    _schema_of,
)


def _check_target(path: Path, overwrite: bool) -> None:
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} is a directory; give the name of the backup file to write")
    if not path.parent.is_dir():
        raise BackupError(f"cannot write {path}: the directory {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        raise BackupError(f"cannot write {path}: the directory {path.parent} is not writable")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; use --force to replace it")


def _dump_tables(
    workdir: Path, using: str
) -> tuple[list[dict[str, Any]], set[tuple[str, str]], str]:
    """Write one JSON Lines file per table inside one consistent read transaction."""
    connection = connections[using]
    connection.ensure_connection()
    entries: list[dict[str, Any]] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            # The first statement of the transaction: one snapshot for every table, as
            # pg_dump takes it. (Inside a caller's transaction its isolation applies.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        loader = _code_migrations()
        migrations = _schema_of(using, loader)
        registry = _registry(migrations, loader)
        for number, model in enumerate(_backed_up_models(using, registry), start=1):
            label = model._meta.label_lower
            name = f"data/{number:04d}-{label}.jsonl"
            target = workdir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            rows = model._base_manager.using(using).order_by("pk")
            counter = _Counter(rows.iterator(chunk_size=2000))
            with target.open("w", encoding="utf-8", newline="\n") as out:
                serializers.serialize(
                    "jsonl",
                    counter,
                    stream=out,
                    cls=_FullPrecisionEncoder,
                    # Only this table's own columns: many-to-many rows are their own tables.
                    fields=[f.name for f in model._meta.local_fields],
                )
            entries.append(
                {
                    "model": label,
                    "table": model._meta.db_table,
                    "file": name,
                    "rows": counter.count,
                    "sha256": _sha256(target),
                }
            )
    return entries, migrations, connection.vendor


class _Counter:
    """Iterate and count."""

    def __init__(self, rows: Iterator[Model]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Model]:
        for row in self.rows:
            self.count += 1
            yield row


def backup(
    path: str | os.PathLike[str],
    *,
    using: str = DEFAULT_DB_ALIAS,
    include_media: bool = True,
    overwrite: bool = False,
) -> BackupSummary:
    """Write a backup of database ``using`` and MEDIA_ROOT to ``path`` (a .tar.gz).

    The file appears only when complete (written next to it and renamed) and is
    readable by its owner only: it holds everything Koers knows.
    """
    started = time.monotonic()
    target = Path(path).expanduser().resolve()
    _check_target(target, overwrite)
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix="koers-backup-") as tmp:
        workdir = Path(tmp)
        entries, migrations, vendor = _dump_tables(workdir, using)
        media: list[dict[str, Any]] = []
        if include_media:
            for file in _media_files(media_root):
                rel = file.relative_to(media_root).as_posix()
                media.append({"path": rel, "size": file.stat().st_size, "sha256": _sha256(file)})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "koers_version": _koers_version(),
            "engine": vendor,
            "migrations": sorted([app, name] for app, name in migrations),
            "tables": entries,
            "media": media,
        }
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(
                    fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
                ) as tar,
            ):
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                members = [(workdir / e["file"], e["file"]) for e in entries]
                members += [(media_root / m["path"], f"media/{m['path']}") for m in media]
                for file, arcname in members:
                    info = tar.gettarinfo(file, arcname=arcname)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mode = 0o600
                    with file.open("rb") as fh:
                        tar.addfile(info, fh)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupSummary(
        path=target,
        engine=vendor,
        tables={e["model"]: e["rows"] for e in entries},
        media_files=len(media),
        media_bytes=sum(int(m["size"]) for m in media),
        size=target.stat().st_size,
        seconds=time.monotonic() - started,
    )

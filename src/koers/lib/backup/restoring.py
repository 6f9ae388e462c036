"""Restoring a backup: one transaction that empties and refills every table."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.apps.registry import Apps
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.jsonl import Deserializer as JSONLDeserializer
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    transaction,
)
from django.db.models import Model

from koers.lib.backup.archive import (
    BackupError,
    DatabaseNotEmpty,
    RestoreSummary,
    _extract,
)
from koers.lib.backup.schema import (
    _applied_migrations,
    _code_migrations,
    _media_files,
    _media_root,
    _migrate_to,
    _registry,
    _schema_of,
    non_empty_tables,
)

INSERT_BATCH = 500


class _Deserializer(JSONLDeserializer):
    """Django's JSON Lines deserializer, looking models up in a given registry."""

    def __init__(self, stream: Any, registry: Apps, **options: Any) -> None:
        super().__init__(stream, **options)
        self.registry = registry

    def _get_model_from_node(self, model_identifier: str) -> type[Model]:
        try:
            model: type[Model] = self.registry.get_model(model_identifier)
        except (LookupError, TypeError, ValueError):
            raise DeserializationError(f"Invalid model identifier: {model_identifier}") from None
        return model


def _load_table(path: Path, model: type[Model], using: str, registry: Apps) -> int:
    """Insert the rows of one JSON Lines file as they are (raw: no signals, no auto_now)."""
    connection = connections[using]
    manager = model._base_manager.using(using)
    fields = list(model._meta.local_concrete_fields)
    count = 0
    batch: list[Model] = []

    def flush() -> None:
        if batch:
            size = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, batch)))
            for start in range(0, len(batch), size):
                rows = batch[start : start + size]
                manager._insert(rows, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
            batch.clear()

    with path.open("r", encoding="utf-8") as stream:
        for obj in _Deserializer(stream, registry, using=using):
            if type(obj.object) is not model:
                raise BackupError(
                    f"{path.name} holds a {obj.object._meta.label_lower} row, "
                    f"expected {model._meta.label_lower}"
                )
            batch.append(obj.object)
            count += 1
            if len(batch) >= INSERT_BATCH * 4:
                flush()
    flush()
    return count


def _empty_all_tables(using: str) -> None:
    connection = connections[using]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=False
    )
    connection.ops.execute_sql_flush(statements)


def _move_media_into_place(source: Path, root: Path, force: bool) -> Path | None:
    """Put the restored uploads at MEDIA_ROOT; move what was there aside (only with force)."""
    moved = None
    if root.exists() and any(root.iterdir()):
        if not force:  # checked before the database was touched; a race is still refused
            raise BackupError(f"{root} is not empty; nothing of the uploads was restored")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 (a local name)
        moved = root.with_name(f"{root.name}.before-restore-{stamp}")
        root.rename(moved)
    root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, root, dirs_exist_ok=True)
    return moved


def restore(
    path: str | os.PathLike[str],
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    include_media: bool = True,
) -> RestoreSummary:
    """Replace database ``using`` (and MEDIA_ROOT) with the backup at ``path``.

    Refuses a target that holds data (:class:`DatabaseNotEmpty`) unless
    ``force``. Raises :class:`BackupError` for a missing, damaged or
    incompatible archive, before anything is changed.

    Schemas: an empty database is first migrated to exactly the backup's
    migrations (a new server needs no ``migrate`` of its own), the rows are
    loaded into that schema, and then the migrations this code has beyond the
    backup run, converting the restored data as an upgrade would. A database
    with data must already have the backup's schema.
    """
    started = time.monotonic()
    source = Path(path).expanduser().resolve()
    connection = connections[using]
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix="koers-restore-") as tmp:
        workdir = Path(tmp)
        manifest = _extract(source, workdir)
        loader = _code_migrations()
        wanted = {(str(app), str(name)) for app, name in manifest["migrations"]}
        unknown = wanted - set(loader.graph.nodes)
        if unknown:
            shown = ", ".join(f"{a}.{n}" for a, n in sorted(unknown)[:5])
            raise BackupError(
                f"the backup was made by a newer Koers ({manifest.get('koers_version')}): this "
                f"version does not know its migrations {shown}. Install that version (or newer) "
                "and restore with it."
            )
        busy = non_empty_tables(using)
        media_busy = len(_media_files(media_root)) if include_media else 0
        if not force and (busy or media_busy):
            raise DatabaseNotEmpty(busy, media_busy)
        prepared: list[str] = []
        if _schema_of(using, loader) != wanted:
            if busy:
                raise BackupError(
                    "the database holds data and its schema (migrations) differs from the "
                    f"backup's (Koers {manifest.get('koers_version')}); restore into a new, empty "
                    "database, or empty this one first with `koers manage flush` (after a "
                    "backup of it)"
                )
            prepared = _migrate_to(wanted, using)
        registry = _registry(wanted, loader)
        models: list[tuple[dict[str, Any], type[Model]]] = []
        for entry in manifest["tables"]:
            try:
                models.append((entry, registry.get_model(entry["model"])))
            except (LookupError, ValueError) as exc:
                raise BackupError(
                    f"the backup holds table {entry['model']!r}, which its own migrations do "
                    "not create: the archive is not consistent"
                ) from exc
        counts: dict[str, int] = {}
        try:
            with transaction.atomic(using=using):
                _empty_all_tables(using)
                for entry, model in models:
                    try:
                        counts[entry["model"]] = _load_table(
                            workdir / entry["file"], model, using, registry
                        )
                    except (DatabaseError, IntegrityError) as exc:
                        raise BackupError(
                            f"the database refused a row of {entry['model']} (the restore was "
                            f"rolled back, nothing changed): {exc}"
                        ) from exc
                    if counts[entry["model"]] != entry["rows"]:
                        raise BackupError(
                            f"{entry['file']}: {counts[entry['model']]} rows, the manifest "
                            f"says {entry['rows']}"
                        )
                loaded = [model for _, model in models]
                sequences = connection.ops.sequence_reset_sql(no_style(), loaded)
                if sequences:
                    with connection.cursor() as cursor:
                        for sql in sequences:
                            cursor.execute(sql)
                connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
                if registry is apps:
                    _add_missing_content_types(using)
        except BaseException as exc:
            if prepared:  # leave the empty database at this code's schema, as it was
                _migrate_forward_quietly(using)
            if isinstance(exc, DeserializationError):
                raise BackupError(f"{source} holds a row this Koers cannot read: {exc}") from exc
            if isinstance(exc, DatabaseError | IntegrityError):
                raise BackupError(
                    f"the database refused the backup's rows (the restore was rolled back): {exc}"
                ) from exc
            raise
        upgraded: list[str] = []
        if registry is not apps:
            from django.core.management import call_command

            before = _applied_migrations(using)
            call_command("migrate", database=using, interactive=False, verbosity=0)
            upgraded = sorted(f"{a}.{n}" for a, n in _applied_migrations(using) - before)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        moved = None
        media = manifest.get("media", []) if include_media else []
        if include_media:
            moved = _move_media_into_place(workdir / "media", media_root, force)
    return RestoreSummary(
        path=source,
        engine=connection.vendor,
        source_engine=str(manifest.get("engine")),
        created=str(manifest.get("created")),
        koers_version=str(manifest.get("koers_version")),
        tables=counts,
        media_files=len(media),
        media_bytes=sum(int(m["size"]) for m in media),
        seconds=time.monotonic() - started,
        prepared=prepared,
        upgraded=upgraded,
        media_moved_to=moved,
    )


def _migrate_forward_quietly(using: str) -> None:
    from django.core.management import call_command

    # The original error is the one to report; a failure here must not replace it.
    with contextlib.suppress(Exception):
        call_command("migrate", database=using, interactive=False, verbosity=0)


def _add_missing_content_types(using: str) -> None:
    """Content types and permissions of models the backup has none for (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

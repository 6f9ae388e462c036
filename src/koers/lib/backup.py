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

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.apps.registry import Apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as JSONLDeserializer
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    router,
    transaction,
)
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model

FORMAT = "koers-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Filled by `migrate` itself (post_migrate): a database holding only these is empty.
MIGRATE_FILLED_TABLES = frozenset({"django_content_type", "auth_permission"})
INSERT_BATCH = 500
Migration = tuple[str, str]
_DATA_NAME = re.compile(r"^data/[0-9]{4}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl$")

__all__ = [
    "BackupError",
    "BackupSummary",
    "DatabaseNotEmpty",
    "RestoreSummary",
    "backup",
    "describe_database",
    "non_empty_tables",
    "restore",
]


class BackupError(Exception):
    """A bad path, a damaged or foreign archive, or an incompatible database (exit 2)."""


class DatabaseNotEmpty(BackupError):
    """The target holds data and ``force`` was not given."""

    def __init__(self, tables: dict[str, int], media_files: int) -> None:
        self.tables = tables
        self.media_files = media_files
        parts = [f"{table} ({rows} rows)" for table, rows in sorted(tables.items())]
        if media_files:
            parts.append(f"{media_files} file(s) under MEDIA_ROOT")
        shown = ", ".join(parts[:8]) + (f" and {len(parts) - 8} more" if len(parts) > 8 else "")
        super().__init__(
            f"the target is not empty: {shown}. A restore replaces ALL of it with the backup; "
            "run again with --force to do that (make a backup of it first)."
        )


@dataclass
class BackupSummary:
    path: Path
    engine: str
    tables: dict[str, int]  # model label -> rows
    media_files: int
    media_bytes: int
    size: int
    seconds: float

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class RestoreSummary:
    path: Path
    engine: str
    source_engine: str
    created: str
    tables: dict[str, int]
    media_files: int
    media_bytes: int
    seconds: float
    koers_version: str = ""
    # Migrations run to give an empty database the backup's schema before loading,
    # and those run after loading (the backup came from an older Koers).
    prepared: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)
    media_moved_to: Path | None = None  # where the uploads that were there before went

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its cut of datetimes and times to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


# --- which tables, in which order ----------------------------------------------------------


def _backed_up_models(using: str, registry: Apps = apps) -> list[type[Model]]:
    """Every table Django manages in this database, parents before the rows that point to them.

    ``registry`` is the app registry of the database's schema: the code's own
    when it is fully migrated, else the historical models of its migrations.
    Auto-created many-to-many tables (user groups, permissions) are tables of
    their own here, so their rows keep their ids like every other row.
    """
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    candidates = [
        model
        for model in registry.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
        and model._meta.db_table in existing
    ]
    return _dependency_order(candidates)


def _dependency_order(models: list[type[Model]]) -> list[type[Model]]:
    """Topological order on foreign keys (ties and cycles by label: stable output)."""
    by_label = {m._meta.label_lower: m for m in models}
    needs: dict[str, set[str]] = {}
    for label, model in by_label.items():
        deps = set()
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is not None and not isinstance(target, str):
                concrete = target._meta.concrete_model or target
                dep = concrete._meta.label_lower
                if dep != label and dep in by_label:
                    deps.add(dep)
        needs[label] = deps
    ordered: list[str] = []
    remaining = dict(needs)
    while remaining:
        ready = sorted(label for label, deps in remaining.items() if not deps - set(ordered))
        if not ready:  # a cycle (nullable FKs both ways): constraints are deferred anyway
            ready = [min(remaining)]
        for label in ready:
            ordered.append(label)
            del remaining[label]
    return [by_label[label] for label in ordered]


def _row_count(model: type[Model], using: str) -> int:
    return int(model._base_manager.using(using).count())


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Tables holding rows, by table name (the ones ``migrate`` fills itself left out)."""
    found = {}
    for model in _backed_up_models(using):
        table = model._meta.db_table
        if table in MIGRATE_FILLED_TABLES:
            continue
        rows = _row_count(model, using)
        if rows:
            found[table] = rows
    return found


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    """Regular files under ``root`` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def describe_database(using: str = DEFAULT_DB_ALIAS) -> str:
    """``postgresql database "koers" on 127.0.0.1`` / ``sqlite3 database /path/koers.sqlite3``."""
    conf = connections[using].settings_dict
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return f"SQLite database {conf['NAME']}"
    host = conf.get("HOST") or "localhost"
    return f'{vendor} database "{conf["NAME"]}" on {host}'


def _applied_migrations(using: str) -> set[tuple[str, str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return set()
    return set(recorder.applied_migrations())


def _code_migrations() -> MigrationLoader:
    """The migration graph of this code (no database needed)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def _schema_of(using: str, loader: MigrationLoader) -> set[Migration]:
    """The database's applied migrations that this code knows."""
    return _applied_migrations(using) & set(loader.graph.nodes)


def _targets(state: set[Migration], loader: MigrationLoader) -> list[tuple[str, str | None]]:
    """Per app, the last migration of ``state`` (``None``: none of that app's)."""
    graph = loader.graph
    targets: list[tuple[str, str | None]] = []
    for app in sorted({app for app, _ in graph.nodes}):
        nodes = {node for node in state if node[0] == app}
        if not nodes:
            targets.append((app, None))
            continue
        last = next((n for n in sorted(nodes) if nodes <= set(graph.forwards_plan(n))), None)
        if last is None:
            raise BackupError(f"the applied migrations of {app} are not one history: {nodes}")
        targets.append(last)
    return targets


def _registry(state: set[Migration], loader: MigrationLoader) -> Apps:
    """The models as they are at ``state``: this code's own when it is fully migrated."""
    if state >= set(loader.graph.nodes):
        return apps
    nodes = [(app, name) for app, name in _targets(state, loader) if name is not None]
    registry: Apps = loader.project_state(nodes, at_end=True).apps
    return registry


def _migrate_to(state: set[Migration], using: str) -> list[str]:
    """Apply or unapply migrations until the database's schema is ``state`` (empty databases)."""
    from django.db.migrations.exceptions import IrreversibleError
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    targets = _targets(state, executor.loader)
    plan = executor.migration_plan(targets)
    try:
        executor.migrate(targets, plan=plan)
    except IrreversibleError as exc:
        raise BackupError(
            f"cannot take this database back to the backup's schema ({exc}); restore into a "
            "new, empty database instead"
        ) from exc
    return [f"{'unapplied' if back else 'applied'} {m.app_label}.{m.name}" for m, back in plan]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _koers_version() -> str:
    from koers import __version__

    return __version__


# --- backup --------------------------------------------------------------------------------


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


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# --- restore -------------------------------------------------------------------------------


def _safe_media_name(name: str) -> str | None:
    """The path under media/ of an archive member, or None when it would leave media/."""
    pure = PurePosixPath(name)
    parts = pure.parts
    if len(parts) < 2 or parts[0] != "media" or pure.is_absolute():
        return None
    rest = parts[1:]
    if any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in rest):
        return None
    return "/".join(rest)


def _extract(path: Path, workdir: Path) -> dict[str, Any]:
    """Unpack the archive into ``workdir`` member by member and check it against its manifest."""
    if not path.exists():
        raise BackupError(f"{path} does not exist")
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    damaged = f"{path} is not a Koers backup or is damaged"
    hashes: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"{damaged}: {name!r} is not a regular file")
                if name == MANIFEST:
                    source = tar.extractfile(member)
                    assert source is not None
                    manifest = json.loads(source.read(10 * 1024 * 1024).decode("utf-8"))
                    continue
                if _DATA_NAME.match(name):
                    dest = workdir / name
                elif (rel := _safe_media_name(name)) is not None:
                    dest = workdir / "media" / rel
                else:
                    raise BackupError(f"{damaged}: unexpected member {name!r}")
                if name in hashes:
                    raise BackupError(f"{damaged}: {name!r} appears twice")
                dest.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                digest = hashlib.sha256()
                with dest.open("wb") as out:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                hashes[name] = digest.hexdigest()
    except BackupError:
        raise
    except (tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"{damaged}: {exc or type(exc).__name__}") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{damaged}: the manifest is not valid JSON ({exc})") from exc
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{damaged}: no Koers manifest in it")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a Koers backup of format version {manifest.get('format_version')}; "
            f"this Koers reads version {FORMAT_VERSION}"
        )
    expected = {e["file"]: e["sha256"] for e in manifest["tables"]}
    expected |= {f"media/{m['path']}": m["sha256"] for m in manifest.get("media", [])}
    if set(expected) != set(hashes):
        missing = sorted(set(expected) - set(hashes))
        extra = sorted(set(hashes) - set(expected))
        raise BackupError(f"{damaged}: missing {missing[:3]} / not in the manifest {extra[:3]}")
    for name, digest in expected.items():
        if hashes[name] != digest:
            raise BackupError(f"{damaged}: {name} does not match its checksum")
    return manifest


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

    try:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    except Exception:  # the original error is the one to report
        pass


def _add_missing_content_types(using: str) -> None:
    """Content types and permissions of models the backup has none for (idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)


def open_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a backup, checked (for ``koers restore --check``)."""
    with tempfile.TemporaryDirectory(prefix="koers-check-") as tmp:
        return _extract(Path(path).expanduser().resolve(), Path(tmp))

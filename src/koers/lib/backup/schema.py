"""Which tables a backup holds, in which order, and the migrations that shape them."""

from __future__ import annotations

import os
from pathlib import Path

from django.apps import apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    connections,
    router,
)
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model

from koers.lib.backup.archive import MIGRATE_FILLED_TABLES, BackupError, Migration


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

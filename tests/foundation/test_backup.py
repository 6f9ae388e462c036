"""`koers backup` / `koers restore` (koers.lib.backup): a round trip that compares every table.

Runs on SQLite and on PostgreSQL (`make test`). The round trip fills several
apps with the demo (organisations, users, 2FA devices, the Gender Scan
snapshot, a Compass campaign with 321 responses, scores, profiles and a shared report), backs
up, flushes, restores and compares every table row by row, plus the uploads.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from koers.cli import main
from koers.compass.demo import N_DEMO_RESPONDENTS
from koers.lib.backup import BackupError, DatabaseNotEmpty, backup, non_empty_tables, restore

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

Snapshot = dict[str, list[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview | bytearray) else value


def snapshot() -> Snapshot:
    """Every row of every table (many-to-many tables included), all concrete fields, sorted."""
    tables: Snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = [tuple(_plain(v) for v in row) for row in model._base_manager.values_list(*fields)]
        tables[model._meta.label_lower] = sorted(rows, key=repr)
    return tables


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "uploads"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def demo() -> None:
    call_command("load_demo")


def _write_media(root: Path) -> dict[str, bytes]:
    files = {
        "scan/2026/hr-export.xlsx": b"PK\x03\x04 not really a workbook \x00\xff",
        "reports/rapport é.pdf": b"%PDF-1.7 " + bytes(range(256)) * 20,
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def _read_media(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_round_trip_restores_every_table_row_by_row_and_the_uploads(
    demo: None, media: Path, tmp_path: Path
) -> None:
    files = _write_media(media)
    before = snapshot()
    filled = {label for label, rows in before.items() if rows}
    # The demo fills several apps; the comparison below is only worth something if it did.
    assert {
        "organisations.organisation",
        "organisations.membership",
        "auth.user",
        "surveys.campaign",
        "surveys.response",
        "surveys.answer",
        "compass.responsescores",
        "compass.profileassignment",
        "compass.profilemodel",
        "compass.reportshare",
        "scan.snapshot",
    } <= filled
    # the generated Compass respondents, the demo's partial report shared with HR, and the
    # inclusion survey's two demo rounds
    assert len(before["surveys.response"]) > N_DEMO_RESPONDENTS + 1
    assert len(before["surveys.answer"]) > 10_000

    archive = tmp_path / "koers.tar.gz"
    summary = backup(archive)
    assert summary.rows == sum(len(rows) for rows in before.values())
    assert summary.media_files == 2
    assert archive.stat().st_mode & 0o077 == 0  # owner only: it holds everything

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert non_empty_tables() == {}

    result = restore(archive)  # an empty database needs no --force
    assert result.rows == summary.rows
    after = snapshot()
    for label in sorted(before):
        assert after[label] == before[label], f"{label} differs after the restore"
    assert after == before
    assert _read_media(media) == files

    # The restored database works: new rows get fresh ids (sequences were reset).
    from koers.organisations.models import Organisation

    new = Organisation.objects.create(name="Na herstel", slug="na-herstel")
    assert new.pk > max(pk for pk, *_ in before["organisations.organisation"])


def test_restore_refuses_a_database_with_data_and_force_replaces_it(
    org_a: Any, alice: Any, media: Path, tmp_path: Path
) -> None:
    from koers.organisations.models import Organisation

    archive = tmp_path / "a.tar.gz"
    backup(archive)
    before = snapshot()
    Organisation.objects.create(name="Later", slug="later")
    org_a.name = "Renamed"
    org_a.save()

    with pytest.raises(DatabaseNotEmpty) as refused:
        restore(archive)
    assert "--force" in str(refused.value)
    assert "organisations_organisation" in str(refused.value)
    assert Organisation.objects.filter(slug="later").exists()  # untouched

    runner = CliRunner()
    cli = runner.invoke(main, ["restore", str(archive)])
    assert cli.exit_code == 2
    assert "not empty" in cli.output
    assert "--force" in cli.output

    (media / "old.txt").parent.mkdir(parents=True, exist_ok=True)
    (media / "old.txt").write_text("was here")
    cli = runner.invoke(main, ["restore", "--force", str(archive)])
    assert cli.exit_code == 0, cli.output
    assert "Restored" in cli.output
    assert snapshot() == before
    assert not (media / "old.txt").exists()
    moved = list(media.parent.glob("uploads.before-restore-*"))
    assert [p.name for p in moved[0].iterdir()] == ["old.txt"]  # moved aside, not deleted


def test_cli_backup_prints_a_summary_and_refuses_bad_paths(
    org_a: Any, media: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    target = tmp_path / "b.tar.gz"
    result = runner.invoke(main, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert "rows" in result.output
    assert "organisations.organisation" in result.output

    again = runner.invoke(main, ["backup", str(target)])
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert runner.invoke(main, ["backup", "--force", "-q", str(target)]).exit_code == 0

    missing_dir = runner.invoke(main, ["backup", str(tmp_path / "nope" / "b.tar.gz")])
    assert missing_dir.exit_code == 2
    assert "does not exist" in missing_dir.output

    missing = runner.invoke(main, ["restore", str(tmp_path / "nope.tar.gz")])
    assert missing.exit_code == 2
    assert "does not exist" in missing.output

    check = runner.invoke(main, ["restore", "--check", str(target)])
    assert check.exit_code == 0, check.output
    assert "sound Koers backup" in check.output


def _rewrite(
    archive: Path, target: Path, change: Any = None, extra: dict[str, bytes] | None = None
) -> None:
    """Copy a backup, letting ``change(name, data)`` alter members (None drops one)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        members = [(m.name, (src.extractfile(m) or io.BytesIO()).read()) for m in src]
        for name, data in [*members, *(extra or {}).items()]:
            changed = change(name, data) if change else data
            if changed is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(changed)
            dst.addfile(info, io.BytesIO(changed))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("garbage", "not a gzip file"),
        ("truncated", "damaged"),
        ("plain-gzip", "damaged"),
        ("edited-row", "does not match its checksum"),
        ("dropped-table", "missing"),
        ("traversal", "unexpected member"),
        ("foreign-manifest", "no Koers manifest"),
    ],
)
def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(
    org_a: Any, media: Path, tmp_path: Path, damage: str, message: str
) -> None:
    archive = tmp_path / "good.tar.gz"
    backup(archive)
    bad = tmp_path / "bad.tar.gz"
    if damage == "garbage":
        bad.write_bytes(b"this is not a backup\n" * 10)
    elif damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "plain-gzip":
        bad.write_bytes(gzip.compress(b'{"format": "koers-backup"}'))
    elif damage == "edited-row":
        _rewrite(
            archive,
            bad,
            lambda name, data: (
                data.replace(b"Alpha", b"Omega") if "organisation." in name else data
            ),
        )
    elif damage == "dropped-table":
        _rewrite(archive, bad, lambda name, data: None if "membership" in name else data)
    elif damage == "traversal":
        _rewrite(archive, bad, extra={"media/../../escaped.txt": b"evil"})
    elif damage == "foreign-manifest":
        _rewrite(
            archive,
            bad,
            lambda name, data: (
                json.dumps({"format": "other"}).encode() if name == "manifest.json" else data
            ),
        )
    before = snapshot()
    with pytest.raises(BackupError) as refused:
        restore(bad, force=True)
    assert message in str(refused.value)
    assert snapshot() == before
    assert not (tmp_path.parent / "escaped.txt").exists()

    cli = CliRunner().invoke(main, ["restore", "--force", str(bad)])
    assert cli.exit_code == 2
    assert message in cli.output


def test_backup_is_one_consistent_snapshot_on_postgresql(org_a: Any, tmp_path: Path) -> None:
    """The dump runs in one REPEATABLE READ, READ ONLY transaction (pg_dump's snapshot)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: one read transaction is a snapshot by itself (WAL)")
    from django.db import connections

    seen: list[str] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(spy):
        backup(tmp_path / "c.tar.gz")
    assert seen[0] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def _droppable_leaf_migration() -> tuple[str, str, list[str]] | None:
    """A newest migration of a Koers app that only creates models: (app, name, model labels)."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import CreateModel

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app, name in sorted(graph.leaf_nodes()):
        operations = graph.nodes[(app, name)].operations
        if app in {"auth", "contenttypes", "sessions", "admin"} or not operations:
            continue
        if all(isinstance(op, CreateModel) for op in operations):  # a leaf: nothing needs it
            return app, name, [f"{app}.{op.name.lower()}" for op in operations]
    return None


def test_a_backup_from_an_older_version_is_loaded_into_its_schema_then_upgraded(
    org_a: Any, alice: Any, media: Path, tmp_path: Path
) -> None:
    """Restore into an empty database takes it to the backup's migrations, loads, migrates on."""
    leaf = _droppable_leaf_migration()
    if leaf is None:
        pytest.skip("no newest migration that only creates models, to pretend it is newer")
    app, name, labels = leaf
    archive = tmp_path / "now.tar.gz"
    backup(archive)
    before = snapshot()
    assert not any(before[label] for label in labels)

    def as_older_version(member: str, data: bytes) -> bytes | None:
        if member == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"] = [m for m in manifest["migrations"] if m != [app, name]]
            manifest["tables"] = [t for t in manifest["tables"] if t["model"] not in labels]
            return json.dumps(manifest).encode()
        return None if any(f"-{label}.jsonl" in member for label in labels) else data

    older = tmp_path / "older.tar.gz"
    _rewrite(archive, older, as_older_version)
    call_command("flush", interactive=False, verbosity=0)

    result = restore(older)
    assert f"unapplied {app}.{name}" in result.prepared
    assert result.upgraded == [f"{app}.{name}"]
    assert snapshot() == before

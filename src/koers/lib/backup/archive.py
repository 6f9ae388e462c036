"""The backup archive: its format constants, errors, summaries, manifest and extraction."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "koers-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# Filled by `migrate` itself (post_migrate): a database holding only these is empty.
MIGRATE_FILLED_TABLES = frozenset({"django_content_type", "auth_permission"})
Migration = tuple[str, str]
_DATA_NAME = re.compile(r"^data/[0-9]{4}-[a-z0-9_]+\.[a-z0-9_]+\.jsonl$")


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _koers_version() -> str:
    from koers import __version__

    return __version__


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


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


def open_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a backup, checked (for ``koers restore --check``)."""
    with tempfile.TemporaryDirectory(prefix="koers-check-") as tmp:
        return _extract(Path(path).expanduser().resolve(), Path(tmp))

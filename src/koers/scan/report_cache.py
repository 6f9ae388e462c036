"""The Gender Scan dashboard's figures, kept per snapshot, period, variant and language.

A snapshot never changes (a new upload for the same date is a new snapshot), so its
figures can be kept; they leave the cache with the snapshot: every key is listed under the
snapshot, and deleting the snapshot (by hand, by retention or with its organisation)
deletes them all (DESIGN.md: deleted data leaves every aggregate).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete

SECONDS = 24 * 3600


def _index(snapshot_pk: int) -> str:
    return f"scan-report-keys:{snapshot_pk}"


def cached(snapshot_pk: int, params: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    key = f"scan-report:{snapshot_pk}:" + hashlib.sha256(repr(params).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        keys = set(cache.get(_index(snapshot_pk)) or ())
        keys.add(key)
        cache.set(_index(snapshot_pk), sorted(keys), SECONDS)
        cache.set(key, value, SECONDS)
    return value


def forget(snapshot_pk: int) -> None:
    keys = list(cache.get(_index(snapshot_pk)) or ())
    cache.delete_many([*keys, _index(snapshot_pk)])


def _snapshot_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget(instance.pk)


def watch_deletions() -> None:
    post_delete.connect(_snapshot_deleted, sender="scan.Snapshot", dispatch_uid="koers.scan.cache")

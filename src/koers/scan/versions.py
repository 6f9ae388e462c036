"""Versions of a snapshot: a second file for a date replaces the first only when confirmed.

The life of a version (``Snapshot.status``)::

    first import for a date ─────────────────────────────► current
    later import for that date ─► pending ─ confirm ─────► current   (the old one: replaced)
                                          └ cancel ──────► deleted
    replaced ─ undo (within KOERS_SNAPSHOT_UNDO_DAYS) ───► current   (the newer one: replaced)
    replaced ─ retention rule "hr_replaced_snapshots" ───► removed   (rows wiped, record kept)

A removed version keeps its file name, dates and row count, so its old page can say what
happened and point to the current version of the date instead of answering "not found".
:func:`koers.scan.services.store_snapshot` decides between current and pending.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from koers.organisations.models import Organisation
from koers.scan import report_cache
from koers.scan.models import Snapshot

# A version never confirmed is dropped after this many days (as unfinished uploads are).
PENDING_DAYS = 7


class UndoRefused(ValueError):
    """The version is not replaced, or its undo period is over."""


def undo_days() -> int:
    return int(settings.KOERS_SNAPSHOT_UNDO_DAYS)


def current_version(organisation: Organisation, reference_date: dt.date) -> Snapshot | None:
    """The current version of ``reference_date`` (without its rows), if any."""
    found: Snapshot | None = (
        Snapshot.objects.current_for(organisation).filter(reference_date=reference_date).first()
    )
    return found


def undo_deadline(snapshot: Snapshot) -> dt.datetime | None:
    """Until when a replaced version can be brought back (None: not replaced)."""
    if snapshot.status != Snapshot.Status.REPLACED or snapshot.replaced_at is None:
        return None
    return snapshot.replaced_at + dt.timedelta(days=undo_days())


def can_undo(snapshot: Snapshot, now: dt.datetime | None = None) -> bool:
    deadline = undo_deadline(snapshot)
    return deadline is not None and (now or timezone.now()) < deadline


def confirm_replacement(pending: Snapshot, user: Any = None) -> Snapshot | None:
    """Make ``pending`` the current version; returns the version it replaced (kept)."""
    with transaction.atomic():
        pending = Snapshot.objects.select_for_update().defer("data").get(pk=pending.pk)
        if pending.status != Snapshot.Status.PENDING:
            raise ValueError("only a pending version can be confirmed")
        old = current_version(pending.organisation, pending.reference_date)
        if old is not None:
            # The old version leaves "current" first: one current version per date.
            _retire(old, by=pending)
        pending.status = Snapshot.Status.CURRENT
        pending.save(update_fields=["status"])
    return old


def cancel_pending(pending: Snapshot) -> None:
    """Drop a version that was never confirmed (its rows with it)."""
    if pending.status != Snapshot.Status.PENDING:
        raise ValueError("only a pending version can be cancelled")
    pending.delete()


def undo_replacement(replaced: Snapshot, user: Any = None) -> Snapshot:
    """Bring ``replaced`` back as the current version; the newer one becomes replaced.

    The newer version is kept for the undo period in turn, so the undo can itself be
    undone. Refused (:class:`UndoRefused`) after the undo period.
    """
    with transaction.atomic():
        replaced = Snapshot.objects.select_for_update().defer("data").get(pk=replaced.pk)
        if not can_undo(replaced):
            raise UndoRefused("the undo period of this version is over")
        newer = current_version(replaced.organisation, replaced.reference_date)
        if newer is not None:
            _retire(newer, by=replaced)
        replaced.status = Snapshot.Status.CURRENT
        replaced.replaced_at = None
        replaced.replaced_by = None
        replaced.save(update_fields=["status", "replaced_at", "replaced_by"])
    return replaced


def _retire(snapshot: Snapshot, *, by: Snapshot) -> None:
    snapshot.status = Snapshot.Status.REPLACED
    snapshot.replaced_at = timezone.now()
    snapshot.replaced_by = by
    snapshot.save(update_fields=["status", "replaced_at", "replaced_by"])


def remove_replaced_before(cutoff: dt.date) -> int:
    """Retention (``KOERS_SNAPSHOT_UNDO_DAYS``): wipe versions replaced before ``cutoff``.

    Their rows go (and every cached figure of them); the record stays as *removed*, so
    its page still answers. Versions left pending for :data:`PENDING_DAYS` are deleted.
    """
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    expired = list(
        Snapshot.objects.filter(status=Snapshot.Status.REPLACED, replaced_at__lt=start)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    Snapshot.objects.filter(pk__in=expired).update(status=Snapshot.Status.REMOVED, data=b"")
    for pk in expired:
        report_cache.forget(pk)
    stale = timezone.now() - dt.timedelta(days=PENDING_DAYS)
    n_pending = Snapshot.objects.filter(status=Snapshot.Status.PENDING, created__lt=stale).delete()
    return len(expired) + int(n_pending[0])

"""Retention periods per data kind, enforced by a scheduled job.

Defaults (issue 7, docs/privacy.md): raw answers 24 months after a campaign
closes, HR snapshots 7 years, the audit log 2 years, reporting-box reports 12
months after closing. Each is configurable with an environment variable (in
months). Apps register a rule in the hook :data:`koers.lib.hooks.retention_rules`: a
function that deletes what is older than a cut-off date and returns how many records it
removed.

Run it daily: Celery beat runs ``koers.retention`` (see ``koers.celery``), or
cron runs ``koers manage enforce_retention``.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from koers.lib import hooks


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last_day))


def enforce(today: dt.date | None = None) -> dict[str, int]:
    """Delete everything past its retention period; returns removed counts per kind."""
    today = today or timezone.localdate()
    removed = {}
    for kind, rule in hooks.retention_rules.items():
        period = int(getattr(settings, rule.setting))
        if rule.unit == "days":
            cutoff = today - dt.timedelta(days=period)
        else:
            cutoff = months_before(today, period)
        removed[kind] = rule.delete_before(cutoff)
    if any(removed.values()):
        # Deleted rows leave SQLite's write-ahead log only at a checkpoint (gdpr.py).
        from koers.organisations.gdpr import checkpoint_after_commit

        checkpoint_after_commit()
    return removed


@shared_task(name="koers.retention")  # type: ignore[untyped-decorator]
def enforce_task() -> dict[str, int]:
    return enforce()


def delete_old_audit_events(cutoff: dt.date) -> int:
    from koers.organisations.models import AuditEvent

    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return AuditEvent.objects.filter(created__lt=start).delete()[0]


def delete_old_invitations(cutoff: dt.date) -> int:
    """Invitations (an e-mail address each) last sent before the cut-off: by then they were
    used, revoked or expired long ago; the audit log keeps who invited whom as long."""
    from koers.organisations.models import MemberInvitation

    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return MemberInvitation.objects.filter(sent__lt=start).delete()[0]

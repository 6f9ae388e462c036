from __future__ import annotations

import datetime as dt

from django.utils import timezone


def delete_old_access_log(cutoff: dt.date) -> int:
    from koers.research.models import AccessLog

    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return AccessLog.objects.filter(created__lt=start).delete()[0]

"""The organisation's own figure on the public cost-of-choices page (``/keuzes/``).

The calculator itself stores nothing and shows nothing about an organisation to an
anonymous visitor. A signed-in member whose role may open the Gender Scan (``scan.view``)
also sees, for each of their organisations with a current snapshot
(``Snapshot.objects.current_for``, the scan's one public way in) that has promotion dates,
the promotion rates of part-time and full-time staff over the scan's default period (the
most recent complete calendar year): suppressed under k for everyone outside HR
(:mod:`koers.dialogue.promotions`), planned together with the scan's own figures
for the same viewer (:func:`koers.scan.history.shown_sets`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from koers.dialogue.promotions import promotion_by_hours
from koers.organisations.models import Membership
from koers.organisations.permissions import allows
from koers.scan import history
from koers.scan.models import Snapshot
from koers.scan.periods import default_fixed_period


def k() -> int:
    return int(settings.KOERS_MIN_GROUP_SIZE)


def part_time_promotions(user: Any) -> list[dict[str, Any]]:
    """For the calculator: per organisation of ``user`` whose role may open the Gender
    Scan and which has a current snapshot with promotion dates, the promotion rates of
    part-time and full-time staff (suppressed outside HR). Nothing for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = []
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    for membership in memberships.order_by("organisation__name"):
        if not allows(membership.role, "scan.view"):
            continue
        org = membership.organisation
        snapshot = Snapshot.objects.current_for(org).first()
        if snapshot is None or not snapshot.has_column("last_promotion_date"):
            continue
        full = Snapshot.objects.current_for(org).defer(None).get(pk=snapshot.pk)
        period = default_fixed_period(snapshot.reference_date)
        frame = full.frame()
        hr = allows(membership.role, "scan.view_all_figures")
        rates = promotion_by_hours(
            frame,
            period.start,
            period.end,
            hr=hr,
            k=k(),
            # What the same viewer sees on the scan: planned together, so that no
            # subtraction across the two pages isolates a small group.
            published=None if hr else history.shown_sets(full, frame),
        )
        if rates is not None:
            found.append({"organisation": org, "period": period.code, **rates})
    return found

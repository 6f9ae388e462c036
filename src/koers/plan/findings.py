"""An organisation's findings, for the recommendations: the ONE place the plan reads them.

Today these are the Gender Scan's improvement areas on the latest snapshot. A finding
(strong evidence) counts 1, a signal worth watching ½; a group too small to judge is
no finding at all (koers.scan.improvement). When the Compass, the reporting box or
recruitment report the signals named in :data:`koers.plan.catalogue.OTHER_FINDINGS`,
they are added here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

from koers.organisations.models import Organisation
from koers.plan.recommend import scan_strengths
from koers.scan import report_cache
from koers.scan.models import Snapshot
from koers.scan.periods import default_fixed_period
from koers.scan.report import build_context, default_period
from koers.scan.services import latest_snapshot


@dataclass(frozen=True)
class Findings:
    strengths: dict[str, float] = field(default_factory=dict)  # code -> strength
    snapshot: Snapshot | None = None  # the scan they come from (None: no scan yet)


def _previous(snapshot: Snapshot) -> tuple[pd.DataFrame, dt.date] | None:
    earlier = (
        Snapshot.objects.for_org(snapshot.organisation)
        .filter(reference_date__lt=snapshot.reference_date)
        .order_by("-reference_date")
        .first()
    )
    return None if earlier is None else (earlier.frame(), earlier.reference_date)


def findings_of(organisation: Organisation, *, full: bool = True) -> Findings:
    """The organisation's current findings.

    ``full`` is True for viewers who may see every Gender Scan figure
    (``scan.view_all_figures``); for everyone else the improvement areas are evaluated on
    the figures they may see (small groups suppressed, a calendar-year period), exactly as
    their Gender Scan page shows them, so a recommendation never hints at a hidden figure.
    """
    snapshot = latest_snapshot(organisation)
    if snapshot is None:
        return Findings()
    k = settings.KOERS_MIN_GROUP_SIZE

    def build() -> dict[str, float]:
        frame = Snapshot.objects.get(pk=snapshot.pk).frame()
        if full:
            context = build_context(
                frame, snapshot.reference_date, period=default_period(snapshot.reference_date), k=k
            )
        else:
            context = build_context(
                frame,
                snapshot.reference_date,
                period=default_fixed_period(snapshot.reference_date),
                hr=False,
                k=k,
                previous=_previous(snapshot),
            )
        return scan_strengths(context["findings"])

    strengths = report_cache.cached(snapshot.pk, ("plan.findings", full, k), build)
    return Findings(dict(strengths), snapshot)

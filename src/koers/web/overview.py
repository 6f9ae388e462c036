"""The state of an organisation for its HR people: what the home page shows them.

The latest Gender Scan baseline, the uploads still being worked on, the open
Career Compass campaigns with how many people finished, and what to do next.
Nothing here is meant for developers (job queues live on their own pages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from koers.organisations.models import Organisation

STALE_AFTER = dt.timedelta(days=365)  # a baseline older than a year asks for a new one


@dataclass(frozen=True)
class NextStep:
    code: str  # "first_scan", "new_scan", "finish_upload", "read_findings", "start_campaign"
    url_name: str
    pk: int | None = None


@dataclass(frozen=True)
class Overview:
    snapshot: Any | None
    stale: bool
    open_uploads: list[Any]
    campaigns: list[Any]  # open campaigns, each with .n_finished
    steps: list[NextStep] = field(default_factory=list)


def hr_overview(org: Organisation, today: dt.date | None = None) -> Overview:
    from koers.scan.models import Snapshot, Upload
    from koers.surveys.models import Campaign

    today = today or timezone.localdate()
    snapshot = Snapshot.objects.current_for(org).first()
    stale = snapshot is not None and today - snapshot.reference_date > STALE_AFTER
    working = [Upload.Status.MAPPING, Upload.Status.CHECKING, Upload.Status.INVALID]
    open_uploads = list(Upload.objects.for_org(org).filter(status__in=working).order_by("-pk")[:3])
    campaigns = [
        c
        for c in Campaign.objects.for_org(org)
        .filter(closed=False)
        .annotate(n_finished=Count("responses", filter=Q(responses__finished_on__isnull=False)))
        .order_by("-opens_on")
        if c.is_open(today)
    ]
    steps: list[NextStep] = []
    if open_uploads:
        steps.append(NextStep("finish_upload", "scan_upload", open_uploads[0].pk))
    if snapshot is None:
        steps.append(NextStep("first_scan", "scan_upload_new"))
    else:
        steps.append(NextStep("read_findings", "scan_snapshot", snapshot.pk))
        if stale:
            steps.append(NextStep("new_scan", "scan_upload_new"))
    if not campaigns:
        steps.append(NextStep("start_campaign", "campaign_list"))
    return Overview(snapshot, stale, open_uploads, campaigns, steps)

"""The yearly monitor, the annual diversity report (SER) and the programme-day view."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.targets.monitor import build_monitor


def _lang() -> str:
    return (get_language() or "nl")[:2]


@org_view("targets.view")
def monitor(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    context = build_monitor(org, hr=can(request, "scan.view_all_figures"), lang=_lang())
    audit.record(org, request.user, "targets.monitor")
    return render(request, "targets/monitor.html", {"m": context})

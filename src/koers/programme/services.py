"""Invitations, joining, choosing what to share, stopping, and the office's query log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from koers.organisations import audit
from koers.organisations.models import Organisation
from koers.programme import extract
from koers.programme.models import Participation, Programme, QueryLog

SHARE_FIELDS = ("share_scan", "share_targets", "share_measures", "share_compass")


def invite(programme: Programme, organisation: Organisation) -> Participation:
    participation: Participation = Participation.objects.get_or_create(
        programme=programme, organisation=organisation
    )[0]
    return participation


def participations_of(organisation: Organisation) -> list[Participation]:
    return list(
        Participation.objects.for_org(organisation)
        .select_related("programme")
        .order_by("programme__name")
    )


@transaction.atomic
def choose(
    participation: Participation, user: Any, *, sector: str, shares: dict[str, bool]
) -> Participation:
    """The admin joins (or changes what is shared); the shared figures are copied at once."""
    participation.sector = sector
    for name in SHARE_FIELDS:
        setattr(participation, name, bool(shares.get(name)))
    if not any(shares.get(name) for name in SHARE_FIELDS):
        return stop(participation, user)
    if participation.status != Participation.Status.ACTIVE:
        participation.accepted = timezone.now()
    participation.status = Participation.Status.ACTIVE
    participation.stopped = None
    participation.save()
    extract.refresh(participation)
    audit.record(
        participation.organisation,
        user,
        "programme.share",
        participation.programme.name,
        {name: getattr(participation, name) for name in SHARE_FIELDS},
    )
    return participation


@transaction.atomic
def stop(participation: Participation, user: Any) -> Participation:
    """Stop sharing: the copies are deleted, so the organisation is in no later figure."""
    participation.status = Participation.Status.STOPPED
    participation.stopped = timezone.now()
    for name in SHARE_FIELDS:
        setattr(participation, name, False)
    participation.save()
    extract.refresh(participation)  # deletes every shared year and measure
    audit.record(participation.organisation, user, "programme.stop", participation.programme.name)
    return participation


def log_query(programme: Programme, user: Any, figure: str, filters: dict[str, str]) -> None:
    QueryLog.objects.create(
        programme=programme,
        user=user if getattr(user, "is_authenticated", False) else None,
        figure=figure,
        filters=filters,
    )


def query_log(programme: Programme, limit: int = 50) -> list[QueryLog]:
    return list(QueryLog.objects.filter(programme=programme).select_related("user")[:limit])

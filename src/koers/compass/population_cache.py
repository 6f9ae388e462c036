"""The Compass aggregate pages' population frame, kept between views.

``releases.population`` reads every member's filter answers, profile and career scores:
at 20,000 responses 0.6-0.9 s per view of the profile check or the team scan
(docs/performance.md), most of it SQLite handing over the rows. The frame depends only on
the members (finished answers cannot change), their profile assignments and their scores,
so it is kept under a key made of the members and a fingerprint of the assignments and
scores (one aggregate statement each: a new fit, a re-scoring or a new assignment is a new
key, never a stale frame).

The kept frames hold answers of respondents, so they leave the cache with them: every key
is listed under its campaign, and deleting any of the campaign's responses (by the
respondent, by retention, with the campaign or the organisation) deletes them all
(DESIGN.md: deleted data leaves every aggregate at once).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.db.models.signals import post_delete

from koers.compass.models import ProfileAssignment, ResponseScores
from koers.surveys.models import Campaign

SECONDS = 6 * 3600
log = logging.getLogger(__name__)


def _index(campaign_pk: int) -> str:
    return f"compass-population-keys:{campaign_pk}"


def fingerprint(campaign: Campaign) -> tuple[Any, ...]:
    """What the profile and score columns are computed from, in two aggregate statements."""
    finished = {"response__campaign": campaign, "response__finished_on__isnull": False}
    assigned = ProfileAssignment.objects.filter(**finished).aggregate(
        n=Count("pk"),
        top=Max("pk"),
        model_high=Max("model_id"),
        model_low=Min("model_id"),
        label_high=Max("model_label"),
        label_low=Min("model_label"),
    )
    scored = ResponseScores.objects.filter(**finished).aggregate(
        n=Count("pk"), top=Max("pk"), key_high=Max("fingerprint"), key_low=Min("fingerprint")
    )
    return (tuple(sorted(assigned.items())), tuple(sorted(scored.items())))


def kept_population(
    campaign: Campaign, members: list[int], items: bool, build: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """``build()`` (the population of ``members``), kept until its inputs change."""
    digest = hashlib.sha256(repr((members, items, fingerprint(campaign))).encode())
    key = f"compass-population:{campaign.pk}:{digest.hexdigest()}"
    try:
        found = cache.get(key)
    except Exception:  # an unreachable cache: compute, as without one
        log.warning("cache unreachable: Compass population computed without it")
        return build()
    if isinstance(found, pd.DataFrame):
        return found.copy()
    frame = build()
    try:
        keys = set(cache.get(_index(campaign.pk)) or ())
        keys.add(key)
        cache.set(_index(campaign.pk), sorted(keys), SECONDS)
        cache.set(key, frame, SECONDS)
    except Exception:
        log.warning("cache unreachable: Compass population not kept")
    return frame


def forget(campaign_pk: int) -> None:
    """Delete every kept population of the campaign."""
    try:
        keys = list(cache.get(_index(campaign_pk)) or ())
        cache.delete_many([*keys, _index(campaign_pk)])
    except Exception:
        log.warning(
            "cache unreachable: Compass population of campaign %s not forgotten", campaign_pk
        )


def _response_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget(instance.campaign_id)


def watch_deletions() -> None:
    post_delete.connect(
        _response_deleted, sender="surveys.Response", dispatch_uid="koers.compass.population"
    )

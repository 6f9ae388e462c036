"""A campaign's norm group kept as counts, so finishing costs the same at any campaign size.

The percentiles of the personal report (``norms.norm_position``: the share of the *others*
at most as high) read the finished respondents' scores of a campaign. They need only how
many respondents have each score, and a scale score is a mean of a few 1–7 answers, so it
takes a few hundred values at most. (The reference model once also standardised facet
scores against the campaign; it now uses the signatures' own scale, see
``services.estimate_assignments``.) :class:`~koers.compass.models.CampaignNorm` keeps those
counts;
``services.score_responses`` updates them in the transaction that writes the scores
(``ResponseScores.counted`` says which rows are in). The first use after a deletion or a
change of scoring key rebuilds the counts from the stored scores, once.

The counts give the percentiles exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete

from koers.compass.models import CampaignNorm, ResponseScores
from koers.compass.norms import MIN_NORM_OTHERS, NormPosition, clopper_pearson
from koers.surveys.models import Campaign, Response

Scores = Mapping[str, float | None]


def _key(value: float) -> str:
    return repr(float(value))


def _bump(counts: dict[str, int], value: float, sign: int) -> None:
    key = _key(value)
    left = counts.get(key, 0) + sign
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)


def change(norm: CampaignNorm, values: Scores, sign: int) -> None:
    """Add (sign 1) or remove (sign −1) one respondent's scores."""
    for scale, score in values.items():
        if score is not None:
            _bump(norm.scale_counts.setdefault(scale, {}), score, sign)


def _rebuild(campaign: Campaign, fingerprint: str, facets: list[str]) -> CampaignNorm:
    """Counts from the stored scores of the finished responses (current scoring key only)."""
    norm = CampaignNorm(campaign=campaign, fingerprint=fingerprint, facets=facets)
    counted = ResponseScores.objects.filter(
        response__campaign=campaign, response__finished_on__isnull=False, fingerprint=fingerprint
    )
    for values in counted.values_list("values", flat=True):
        change(norm, values or {}, 1)
    # Which rows are in, in two statements (the transaction holds them still).
    ResponseScores.objects.filter(response__campaign=campaign).exclude(
        pk__in=counted.values("pk")
    ).update(counted=False)
    counted.update(counted=True)
    return norm


def locked(campaign: Campaign, fingerprint: str, facets: list[str]) -> CampaignNorm:
    """The campaign's counts, locked for update until the surrounding transaction ends."""
    norm = CampaignNorm.objects.select_for_update().filter(campaign=campaign).first()
    if norm is not None and norm.fingerprint == fingerprint and norm.facets == facets:
        return norm
    if norm is not None:
        norm.delete()
    norm = _rebuild(campaign, fingerprint, facets)
    try:
        with transaction.atomic():
            norm.save()
    except IntegrityError:  # another finish built it first: use theirs
        return CampaignNorm.objects.select_for_update().get(campaign=campaign)
    return norm


def current(campaign: Campaign, fingerprint: str, facets: list[str]) -> CampaignNorm:
    """The counts for reading (built once when missing or stale)."""
    norm = CampaignNorm.objects.filter(campaign=campaign).first()
    if norm is not None and norm.fingerprint == fingerprint and norm.facets == facets:
        return norm
    with transaction.atomic():
        return locked(campaign, fingerprint, facets)


def position(
    score: float | None,
    counts: Mapping[str, int],
    *,
    own: float | None = None,
    min_others: int = MIN_NORM_OTHERS,
) -> NormPosition | None:
    """``norms.norm_position`` on counts: ``own`` (the person's counted score) is left out."""
    if score is None or math.isnan(score):
        return None
    n = sum(counts.values())
    k = sum(c for v, c in counts.items() if float(v) <= score)
    if own is not None:
        n -= 1
        k -= int(own <= score)
    if n < min_others:
        return None
    low, high = clopper_pearson(k, n)
    return NormPosition(n, k, k / n, low, high)


def _response_deleted(sender: Any, instance: Response, using: str, **kwargs: Any) -> None:
    """A deleted response leaves the counts: they are dropped and rebuilt on next use.

    One indexed DELETE per deleted response, in the deleting transaction (a rollback keeps
    the counts). No on-commit hook: the deletion's SQLite checkpoint stays the only one.
    """
    CampaignNorm.objects.using(using).filter(campaign_id=instance.campaign_id).delete()


def watch_deletions() -> None:
    post_delete.connect(_response_deleted, sender=Response, dispatch_uid="koers.compass.norm")

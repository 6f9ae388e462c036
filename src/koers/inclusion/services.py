"""Load the rounds of the inclusion survey, freeze and plan their figures, build the page."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from koers.inclusion import results
from koers.inclusion.models import RoundRelease
from koers.instruments import scoring_key
from koers.organisations.models import Organisation
from koers.stats.inclusion import InclusionResult, compare_genders
from koers.stats.release import PriorRelease, ReleasePlan
from koers.stats.scales import ScaleKey, scoring_key_fingerprint
from koers.surveys.answers import answer_values
from koers.surveys.models import Answer, Campaign

INSTRUMENT_KEY = "inclusion"


def rounds_of(org: Organisation) -> list[Campaign]:
    """The organisation's inclusion-survey campaigns, oldest first."""
    return list(
        Campaign.objects.for_org(org)
        .filter(instrument_key=INSTRUMENT_KEY)
        .order_by("opens_on", "pk")
    )


def breakdowns_allowed(campaign: Campaign) -> bool:
    """Breakdowns only where nobody can add made-up answers: invitation campaigns (as the
    Compass, ``koers.compass.releases.breakdowns_allowed``; docs/privacy.md)."""
    return bool(campaign.mode == Campaign.Mode.INVITATIONS)


def _finished_ids(campaign: Campaign) -> list[int]:
    return list(
        campaign.responses.filter(finished_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def round_frame(campaign: Campaign, ids: list[int], key: dict[str, ScaleKey]) -> pd.DataFrame:
    """One row per response in ``ids``: scale items as floats, background and open answers."""
    instrument = campaign.instrument()
    columns = [item.id for item in instrument.items]
    rows: dict[int, dict[str, Any]] = {rid: {} for rid in ids}
    answers = Answer.objects.filter(
        response__campaign=campaign, response__finished_on__isnull=False, item_id__in=columns
    )
    for rid, item_id, value in answer_values(answers):
        if rid in rows and value not in (None, ""):
            rows[rid][item_id] = value
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    frame = frame.reindex(pd.Index(ids, name="response"))
    for scale_key in key.values():
        for item in scale_key.items:
            frame[item] = pd.to_numeric(frame[item], errors="coerce").astype(float)
    for column in ("gender", *results.BREAKDOWNS):
        if column not in frame.columns:
            frame[column] = None
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _plan(campaign: Campaign, frame: pd.DataFrame, release: RoundRelease | None) -> ReleasePlan:
    k = settings.KOERS_MIN_GROUP_SIZE
    breakdowns = results.BREAKDOWNS if breakdowns_allowed(campaign) else ()
    frame = results.plan_population(frame)
    if release is None:
        return results.plan_round(frame, k, breakdowns=breakdowns)
    # A re-plan after deletions: what the first plan showed counts as seen (restricted to the
    # people still present), and nothing new may appear.
    members = frame.index.isin(release.response_ids)
    return results.plan_round(
        frame,
        k,
        breakdowns=breakdowns,
        prior=[PriorRelease(members, release.planned)],
        keep=release.planned,
    )


def load_round(campaign: Campaign) -> results.Round | None:
    """The round's flagged frame and plan; None while the campaign is open (its figures are
    made once, after closing, so nobody can watch them move as answers come in)."""
    if campaign.is_open():
        return None
    key = scoring_key(campaign.instrument())
    release = RoundRelease.objects.filter(campaign=campaign).first()
    ids = _finished_ids(campaign)
    if release is not None:
        ids = [rid for rid in ids if rid in set(release.response_ids)]
    frame = round_frame(campaign, ids, key)
    if release is None:
        plan = _plan(campaign, frame, None)
        try:
            with transaction.atomic():
                RoundRelease.objects.create(
                    campaign=campaign,
                    response_ids=ids,
                    planned=list(plan.order),
                    figures=list(plan.order),
                    n_planned=len(ids),
                )
        except IntegrityError:  # another request froze the round first: use theirs
            return load_round(campaign)
    elif release.n_planned != len(ids):
        plan = _plan(campaign, frame, release)
        release.figures, release.n_planned = list(plan.order), len(ids)
        release.save(update_fields=["figures", "n_planned"])
    else:
        k = settings.KOERS_MIN_GROUP_SIZE
        plan = ReleasePlan(k, len(ids), frozenset(release.figures), tuple(release.figures))
    return results.Round(label=campaign.display_name, frame=frame, plan=plan)


COMPARE_CACHE_SECONDS = 7 * 24 * 3600
log = logging.getLogger(__name__)


def cached_compare(
    frame: pd.DataFrame, key: Mapping[str, ScaleKey], *, label: str, details: bool
) -> InclusionResult:
    """``compare_genders``, kept in the cache under a hash of the answers themselves.

    The figures of a round are a function of its answers and the scoring key, so the key
    of the cache is their hash: a deletion or a new scoring rule is a new key, never a
    stale figure. Omega's factor fits made the page take about 4 s on the demo (24 fits
    of 0.09 s each); from the second view on it takes the time of the disclosure checks.
    """
    answers = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    digest = hashlib.sha256(answers)
    digest.update(f"|{scoring_key_fingerprint(key)}|{int(details)}|{label}".encode())
    name = f"inclusion:compare:{digest.hexdigest()}"
    try:
        found = cache.get(name)
    except Exception:  # an unreachable cache: compute, as without one
        log.warning("cache unreachable: inclusion figures computed without it")
        found = None
    if isinstance(found, InclusionResult):
        return found
    result = compare_genders(frame, key, label=label, details=details)
    try:
        cache.set(name, result, COMPARE_CACHE_SECONDS)
    except Exception:
        log.warning("cache unreachable: inclusion figures not kept")
    return result


def results_context(org: Organisation, upto: Campaign | None = None) -> dict[str, Any]:
    """The page's context: closed rounds up to ``upto`` (default: all), the last in detail."""
    campaigns = rounds_of(org)
    if upto is not None:
        campaigns = campaigns[: campaigns.index(upto) + 1]
    loaded = [(c, load_round(c)) for c in campaigns]
    closed = [(c, r) for c, r in loaded if r is not None]
    if not closed:
        return {"campaigns": campaigns, "rounds": [], "latest": None, "trend": [], "open": []}
    instrument = closed[-1][0].instrument()
    key = scoring_key(instrument)
    context = results.build_context(
        [r for _, r in closed],
        key,
        k=settings.KOERS_MIN_GROUP_SIZE,
        breakdowns=breakdowns_allowed(closed[-1][0]),
        compare=cached_compare,
    )
    context["campaigns"] = campaigns
    context["campaign"] = closed[-1][0]
    context["instrument"] = instrument
    context["still_open"] = [c for c, r in loaded if r is None]
    return context

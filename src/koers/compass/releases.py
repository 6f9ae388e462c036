"""Releases of a campaign's group figures: when they advance, and the frame they are shown on.

A release freezes the population that every viewer's figures are computed on (docs/privacy.md,
"Disclosure across queries"). This module is the loader of the Compass aggregate pages: it
makes a release when one is due, re-plans a release after deletions, and returns the frame and
the :class:`~koers.stats.disclosure.Discloser` that ``koers.compass.teamscan.build_context`` takes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from koers.compass import teamscan
from koers.compass.models import ProfileAssignment, Release, ResponseScores
from koers.compass.population_cache import kept_population
from koers.stats.disclosure import Discloser
from koers.stats.release import PriorRelease, ReleasePlan, conditions_key, plan_release
from koers.surveys.answers import answer_values
from koers.surveys.models import Answer, Campaign

# Planning runs once per release, inside the request that makes it; past this many seconds of
# rank tests only figures needing none are admitted (measured: 320 responses plan in < 1 s).
PLAN_BUDGET_SECONDS = 8.0
ITEMS = ["department", "job_category", "organisation_type", "gender", "future_sector"]


def breakdowns_allowed(campaign: Campaign) -> bool:
    """Breakdowns by a respondent attribute only where a viewer cannot add respondents.

    Anyone with an open link can add made-up responses (attack (d) in docs/privacy.md), so
    open-link campaigns get whole-campaign figures only; invitation campaigns get breakdowns.
    """
    return bool(campaign.mode == Campaign.Mode.INVITATIONS)


def _finished_ids(campaign: Campaign) -> list[int]:
    return list(
        campaign.responses.filter(finished_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _category(value: object) -> str | None:
    """An answer as a filter value; no answer (None, NaN from the join, "") is None."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return str(value)


def population(campaign: Campaign, ids: list[int], *, items: bool = False) -> pd.DataFrame:
    """One row per response in ``ids``: filter columns, profile, career scales, leave wish,
    subgroup flags; with ``items`` also the complete-case flags of every scale."""
    frame = pd.DataFrame(index=pd.Index(ids, name="response"))
    # Over the campaign's finished responses by a join, not a list of every id: the same
    # statements at 20 or 20,000 responses; rows outside ``ids`` drop out in the joins below.
    finished = {"response__campaign": campaign, "response__finished_on__isnull": False}
    answers = pd.DataFrame(
        answer_values(Answer.objects.filter(item_id__in=ITEMS, **finished)),
        columns=["response", "item", "value"],
    )
    if not answers.empty:
        frame = frame.join(answers.pivot(index="response", columns="item", values="value"))
    for column in ITEMS:
        if column not in frame.columns:
            frame[column] = None
        frame[column] = frame[column].map(_category)
    # The stored key of the assigned profile; its name only for a profile without a key.
    key_of = dict(
        ProfileAssignment.objects.filter(**finished)
        .exclude(profile_key="")
        .values_list("response_id", "profile_key")
    )
    for rid, i, n in (
        ProfileAssignment.objects.filter(profile_key="", **finished)
        .values_list("response_id", "profile_index", "names")
        .iterator()
    ):
        key_of[rid] = n[i].get("key") or n[i].get("nl")
    wanted = set(ids)
    frame[teamscan.BREAKDOWN] = pd.Series(
        {rid: key for rid, key in key_of.items() if rid in wanted}, dtype="object"
    )
    scales = list(teamscan.CAREER_SCALES)
    rows = ResponseScores.objects.filter(**finished).values_list(
        "response_id", *[f"values__{scale}" for scale in scales]
    )
    scores = pd.DataFrame(list(rows), columns=["response", *scales]).set_index("response")
    scores = scores.apply(pd.to_numeric, errors="coerce").astype(float)
    for scale in scales:
        frame[scale] = scores[scale].reindex(frame.index)
    frame = teamscan.derive_columns(frame)
    if items:
        for scale_id, complete in _complete_cases(campaign, ids).items():
            frame[teamscan.complete(scale_id)] = complete.map(lambda v: "1" if v else None)
    return frame


def _complete_cases(campaign: Campaign, ids: list[int]) -> dict[str, pd.Series]:
    from koers.compass.services import answers_frame
    from koers.instruments import scoring_key

    instrument = campaign.instrument()
    responses = list(campaign.responses.filter(pk__in=ids).order_by("pk"))
    table = answers_frame(responses, instrument).reindex(ids)
    return {
        scale_id: table[list(key.items)].notna().all(axis=1)
        for scale_id, key in scoring_key(instrument).items()
    }


def reliability_scales(campaign: Campaign) -> list[str]:
    return [scale.id for scale in campaign.instrument().scales]


def _with_release_column(frame: pd.DataFrame, releases: list[Release]) -> pd.DataFrame:
    first = {rid: r.number for r in releases for rid in r.response_ids}
    frame = frame.copy()
    frame["_release"] = [first[rid] for rid in frame.index]
    return frame


def _plan(
    campaign: Campaign, frame: pd.DataFrame, releases: list[Release], release: Release
) -> ReleasePlan:
    """Plan ``release`` on its members in ``frame`` with the earlier releases as already shown.

    A release planned before only keeps figures it showed: after a deletion it may lose some,
    never gain.
    """
    members = frame[frame["_release"] <= release.number]
    prior = [
        PriorRelease(members["_release"].to_numpy() <= r.number, r.planned)
        for r in releases
        if r.number < release.number
    ]
    figures, groups, parents = teamscan.candidates(
        members,
        breakdowns=breakdowns_allowed(campaign),
        reliability_scales=reliability_scales(campaign),
    )
    if release.pk is not None:
        kept = set(release.figures)
        figures = [f for f in figures if conditions_key(f) in kept]
    return plan_release(members, figures, settings.KOERS_MIN_GROUP_SIZE, prior=prior, groups=groups)


def _due(campaign: Campaign, n_new: int, today: dt.date) -> bool:
    if n_new < settings.KOERS_MIN_GROUP_SIZE:
        return False
    if breakdowns_allowed(campaign):
        return True
    # Open link: one fixed moment, the close, so padding cannot time a release (docs/privacy.md).
    return not campaign.is_open(today)


def make_release(campaign: Campaign) -> Release | None:
    """Freeze the finished responses not yet in a release into a new one and plan its figures.

    The caller decides that it is due (``current_releases``, or the demo loader at load time).
    None when there are no new responses or another request made the release first.
    """
    releases = list(campaign.releases.order_by("number"))
    known = {rid for r in releases for rid in r.response_ids}
    finished = _finished_ids(campaign)
    new = [rid for rid in finished if rid not in known]
    if not new:
        return None
    release = Release(
        campaign=campaign,
        number=(releases[-1].number + 1) if releases else 1,
        created=timezone.now(),
        response_ids=new,
    )
    # Every finished response is in an earlier release or in this one.
    frame = _with_release_column(population(campaign, finished, items=True), [*releases, release])
    plan = _plan(campaign, frame, releases, release)
    release.planned = release.figures = list(plan.order)
    release.n_planned = plan.n
    try:
        with transaction.atomic():
            release.save()
    except IntegrityError:  # a concurrent request made this release number first
        return None
    return release


@dataclass
class Loaded:
    """What every Compass aggregate page is built from."""

    frame: pd.DataFrame
    discloser: Discloser
    releases: list[Release]
    breakdowns: bool
    n_pending: int  # finished responses not yet in a release
    k: int

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


def load(campaign: Campaign, *, items: bool = False, today: dt.date | None = None) -> Loaded:
    """Make a release if one is due, re-plan releases that lost members, return the frame.

    Only finished responses that still exist are in the frame; a deleted response is gone from
    every figure at once (DESIGN.md), and the releases it was in are re-planned without it.
    """
    k = settings.KOERS_MIN_GROUP_SIZE
    today = today or timezone.localdate()
    finished = _finished_ids(campaign)
    releases = list(campaign.releases.order_by("number"))
    known = {rid for r in releases for rid in r.response_ids}
    n_new = sum(1 for rid in finished if rid not in known)
    if _due(campaign, n_new, today):
        make_release(campaign)
        releases = list(campaign.releases.order_by("number"))
        known = {rid for r in releases for rid in r.response_ids}
    members = [rid for rid in finished if rid in known]
    frame = _with_release_column(
        kept_population(
            campaign, members, items, lambda: population(campaign, members, items=items)
        ),
        releases,
    )
    stale = [r for r in releases if int((frame["_release"] <= r.number).sum()) != r.n_planned]
    if stale:
        full = (
            frame
            if items
            else _with_release_column(population(campaign, members, items=True), releases)
        )
        for release in stale:
            plan = _plan(campaign, full, releases, release)
            release.figures = list(plan.order)
            release.n_planned = plan.n
            release.save(update_fields=["figures", "n_planned"])
    plans = [ReleasePlan(k, r.n_planned, frozenset(r.figures), tuple(r.figures)) for r in releases]
    return Loaded(
        frame=frame,
        discloser=Discloser(False, k, releases=plans),
        releases=releases,
        breakdowns=breakdowns_allowed(campaign),
        n_pending=len(finished) - len(members),
        k=k,
    )

"""The Career Compass profile mix a member shares, and the programme's pooled mix.

**What a member shares** (:func:`compass_years`, called by :func:`koers.programme.extract.refresh`):
per campaign year (the year the campaign opened; of two campaigns in one year the later
one) the number of respondents per reference profile, read from the Compass's own released
figures: :func:`koers.compass.releases.load` and the whole-campaign summary of
:func:`koers.compass.teamscan.summarise`, the figures the team scan shows. So the person
threshold k (``KOERS_MIN_GROUP_SIZE``) and the complementary suppression that
:func:`koers.stats.disclosure.plan_release` plans for the whole family of the campaign's
figures are applied inside the organisation before anything leaves it; no response is read
here. A count the release withholds is NULL, as is a reference profile the campaign's fitted
model does not separate (its people are counted under a merged profile): the member then
does not contribute to that profile's figure. The release used is the latest one made at
least the publication lag (3 months) ago, so a year's counts change only when a release has
aged, and the member's row never leaves a figure because a newer release appeared.

**What the office sees** (:func:`mix`): per year and profile the share of respondents with
that profile, pooled over the members that contribute it (``SUM(count) / SUM(respondents)``,
one grouped aggregate per group of members, as :mod:`koers.programme.aggregates` does), under
rules 1–4 of :mod:`koers.stats.orgdisclosure` with the respondents as the base (≥ 5
organisations, none above 25 % of the figure's respondents, filters and their complements
through :func:`koers.programme.aggregates._decide_filtered`), and then rule 4 for parts of a
whole (:func:`koers.stats.orgdisclosure.check_parts`): the six shares add up to about
100 %, so if one is refused none is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from koers.programme import aggregates, figures, release
from koers.programme.models import PROFILE_FIELDS, Participation, Programme, SharedProfiles
from koers.stats import orgdisclosure as od
from koers.stats.orgrelease import Contribution

ALL = "profile:all"  # the year's respondents, a figure of its own (its base: respondents)


def key_of(profile: str) -> str:
    """The figure key of a profile (``profile:nerd``), distinct from the scan's figures."""
    return f"profile:{profile}"


def _name(profile: str, lang: str) -> str:
    from koers.compass.teamscan import profile_name

    return profile_name(profile, "en" if lang.startswith("en") else "nl")


# --- what a member shares -------------------------------------------------------------------


def compass_years(
    participation: Participation,
    size_classes: dict[int, str] | None = None,
    *,
    today: dt.date | None = None,
) -> dict[int, dict[str, Any]]:
    """Per campaign year the released whole-campaign profile counts (fields of
    :class:`SharedProfiles`); ``size_classes`` (year -> size class, from the shared Gender
    Scan) lets the office filter by size."""
    from koers.compass import releases, teamscan
    from koers.compass.models import ProfileModel
    from koers.compass.services import COMPASS_KEY
    from koers.surveys.models import Campaign

    today = today or timezone.localdate()
    cutoff = od.latest_publishable(today, figures.policy())
    sizes = size_classes or {}
    latest_size = sizes[max(sizes)] if sizes else ""
    out: dict[int, dict[str, Any]] = {}
    campaigns = (
        Campaign.objects.for_org(participation.organisation)
        .filter(instrument_key=COMPASS_KEY, releases__isnull=False)
        .distinct()
        .order_by("opens_on", "pk")
    )
    for campaign in campaigns:
        loaded = releases.load(campaign, today=today)
        aged = [
            i
            for i, release in enumerate(loaded.releases)
            if timezone.localdate(release.created) <= cutoff
        ]
        if not aged:
            continue
        index = aged[-1]
        frame = teamscan.in_release(loaded.frame, loaded.discloser, index)
        summary = teamscan.summarise(frame, (), loaded.discloser, index)
        if summary.suppressed or not summary.n:
            continue
        model = ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()
        # A reference profile counts only when the model has it on its own (not merged).
        single = None if model is None else {str(n.get("key") or "") for n in model.names} - {""}
        row: dict[str, Any] = {
            "reference_date": timezone.localdate(loaded.releases[index].created),
            "respondents": summary.n,
        }
        for profile, field in PROFILE_FIELDS.items():
            separated = single is None or profile in single
            row[field] = summary.profile_counts.get(profile) if separated else None
        year = campaign.opens_on.year
        row["size_class"] = sizes.get(year, latest_size)
        out[year] = row
    return out


def shared_by(participation: Participation, lang: str = "nl") -> list[dict[str, Any]]:
    """What the member shares of its profile mix, per year (its own programme page)."""
    rows = SharedProfiles.objects.for_org(participation.organisation).filter(
        participation=participation
    )
    return [
        {
            "year": r.year,
            "reference_date": r.reference_date,
            "respondents": r.respondents,
            "profiles": [
                {"name": _name(profile, lang), "count": getattr(r, field)}
                for profile, field in PROFILE_FIELDS.items()
            ],
        }
        for r in rows.order_by("year")
    ]


# --- what the office sees -------------------------------------------------------------------


def shared_profiles(programme: Programme, today: dt.date | None = None) -> QuerySet[SharedProfiles]:
    """The shared profile years the programme may use today: active members, past the lag."""
    cutoff = od.latest_publishable(today or timezone.localdate(), figures.policy())
    return SharedProfiles.objects.filter(
        participation__programme=programme,
        participation__status=Participation.Status.ACTIVE,
        reference_date__lte=cutoff,
    )


def _aggregate(qs: QuerySet[SharedProfiles]) -> dict[int, dict[str, Any]]:
    """One query: per year and profile the contributing members, their respondents (sum and
    largest) and the profile's respondents; and the year's members and respondents."""
    annotations: dict[str, Any] = {}
    for profile, field in PROFILE_FIELDS.items():
        key = key_of(profile)
        q = Q(respondents__gt=0, **{f"{field}__isnull": False})
        annotations[f"{key}__n"] = Count("pk", filter=q)
        annotations[f"{key}__total"] = Sum("respondents", filter=q)
        annotations[f"{key}__largest"] = Max("respondents", filter=q)
        annotations[f"{key}__num"] = Sum(field, filter=q)
        annotations[f"{key}__pid"] = Sum("participation_id", filter=q)
        annotations[f"{key}__pid2"] = Sum(aggregates.PID2, filter=q)
    q = Q(respondents__gt=0)
    annotations |= {
        f"{ALL}__n": Count("pk", filter=q),
        f"{ALL}__total": Sum("respondents", filter=q),
        f"{ALL}__largest": Max("respondents", filter=q),
        f"{ALL}__num": Sum("respondents", filter=q),
        f"{ALL}__pid": Sum("participation_id", filter=q),
        f"{ALL}__pid2": Sum(aggregates.PID2, filter=q),
    }
    rows = qs.order_by().values("year").annotate(**annotations)
    return {row["year"]: row for row in rows}


@dataclass(frozen=True)
class ProfileGroup:
    """The profile aggregates of one group of members, per year (as ``aggregates.Group``)."""

    rows: dict[int, dict[str, Any]]

    def counts(self, year: int, key: str) -> od.Summary:
        row = self.rows.get(year)
        if not row or not row[f"{key}__n"]:
            return od.Summary(0, 0.0, 0.0)
        return od.Summary(
            row[f"{key}__n"], float(row[f"{key}__total"]), float(row[f"{key}__largest"])
        )

    def decide(self, year: int, key: str, p: od.Policy) -> od.Decision:
        return od.check_summary(self.counts(year, key), p)

    def value(self, year: int, key: str) -> float | None:
        row = self.rows.get(year)
        if not row or not row[f"{key}__total"]:
            return None
        return float(row[f"{key}__num"]) / float(row[f"{key}__total"])

    def fingerprint(self, year: int, key: str) -> str:
        """The contributors and sums of one figure (``release``: unchanged, no rows)."""
        row = self.rows.get(year) or {}
        return release.fingerprint(
            *(row.get(f"{key}__{name}") for name in ("n", "pid", "pid2", "total", "num"))
        )


def _contributions(
    qs: QuerySet[SharedProfiles], wanted: dict[tuple[int, str], release.Candidate]
) -> dict[str, dict[str, Contribution]]:
    """One query: the rows of the years whose figures changed, as contributions (base: the
    member's respondents; detail: its count of the profile)."""
    out: dict[str, dict[str, Contribution]] = {c.key: {} for c in wanted.values()}
    years = sorted({year for year, _ in wanted})
    fields = ["participation_id", "year", "respondents", *PROFILE_FIELDS.values()]
    for row in qs.filter(year__in=years).order_by().values(*fields):
        respondents = row["respondents"]
        if not respondents:
            continue
        org = str(row["participation_id"])
        c = wanted.get((row["year"], ALL))
        if c is not None:
            out[c.key][org] = Contribution(float(respondents), (), (float(respondents),))
        for profile, field in PROFILE_FIELDS.items():
            c = wanted.get((row["year"], key_of(profile)))
            if c is not None and row[field] is not None:
                out[c.key][org] = Contribution(float(respondents), (), (float(row[field]),))
    return out


def profile_group(qs: QuerySet[Any]) -> ProfileGroup:
    return ProfileGroup(_aggregate(qs))


def mix(
    programme: Programme,
    filters: Sequence[tuple[str, str]] = (),
    *,
    lang: str = "nl",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The pooled profile mix per year, every share through rules 1–4 and :func:`check_parts`.

    A fixed number of statements whatever the number of members: one grouped aggregate per
    group of members the filters need (one without a filter, three with one, nine with two)."""
    p = figures.policy()
    today = today or timezone.localdate()
    filters = list(filters)[: od.MAX_FILTERS]
    qs = shared_profiles(programme, today)
    selected, decide = aggregates._decide_filtered(qs, filters, p, profile_group)
    assert isinstance(selected, ProfileGroup)
    years = sorted(selected.rows)
    labels = {key_of(profile): _name(profile, lang) for profile in PROFILE_FIELDS}
    labels[ALL] = "respondenten" if not lang.startswith("en") else "respondents"
    # Rule 6 (differencing over time, koers.programme.release): each share and the year's
    # respondents is a figure with its own key, compared with every earlier publication of the
    # same year and profile under any filter.
    fkey = figures._filter_key(filters)
    register = release.Register.load(
        programme, Q(key__startswith="m|", key__endswith=f"|{fkey}"), p
    )
    candidates: dict[tuple[int, str], release.Candidate] = {}
    for year in years:
        decisions: dict[str, od.Decision] = {key: decide(year, key) for key in labels}
        for key, decision in od.check_parts(decisions, labels).items():
            candidates[(year, key)] = release.Candidate(
                f"m|{year}|{key}|{fkey}",
                decision,
                [
                    selected.value(year, key) if decision.allowed else None,
                    float(selected.rows[year][f"{ALL}__total"] or 0) if key == ALL else None,
                ],
                selected.fingerprint(year, key),
                f"m|{year}|{key}|",
            )
    shown, changed = release.split(register, candidates.values())
    if changed:
        combined = Q()
        for _label, q in aggregates._filter_q(filters):
            combined &= q
        keys = {c.key for c in changed}
        wanted = {yk: c for yk, c in candidates.items() if c.key in keys}
        contributions = _contributions(qs.filter(combined), wanted)
        shown |= register.resolve([(c, contributions[c.key]) for c in changed])
        register.save()
    # Parts of a whole once more: a share withheld by rule 6 would follow from the others.
    final: dict[tuple[int, str], release.Shown] = {}
    for year in years:
        year_shown = {key: shown[candidates[(year, key)].key] for key in labels}
        missing = [key for key, s in year_shown.items() if s.value is None]
        for key, s in year_shown.items():
            if missing and s.value is not None:
                first = year_shown[missing[0]]
                s = release.Shown(None, s.n, od.Decision(False, s.n, first.decision.refusals))
            final[(year, key)] = s
    rows = []
    for profile in PROFILE_FIELDS:
        key = key_of(profile)
        cells = []
        for year in years:
            s = final[(year, key)]
            cells.append(
                {
                    "year": year,
                    "value": s.first(),
                    "n": s.n,
                    "reason": s.reason(lang),
                    "frozen": s.published is not None,
                    "withdrawn": s.withdrawn,
                }
            )
        rows.append({"key": key, "label": labels[key], "cells": cells})
    totals = []
    for year in years:
        s = final[(year, ALL)]
        totals.append(
            {
                "year": year,
                "organisations": s.n if s.value is not None else None,
                "respondents": round(s.value[1] or 0) if s.value is not None else None,
                "reason": s.reason(lang),
            }
        )
    return {"years": years, "rows": rows, "totals": totals}

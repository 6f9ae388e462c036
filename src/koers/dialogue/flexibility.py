"""The fair-flexibility register: record decided requests, show them in aggregate.

A manager or HR records each decided request for flexibility in hours, place or schedule
for a team: the kind, granted or refused, the reason as a category, an optional note and
the gender of who asked (for the women-versus-men comparison). No name and no employee
number is stored (docs/dialogue.md says why). Everyone who may see the register (the
team through its manager, the works council, HR) sees the same aggregates:
:func:`koers.stats.flexibility.register_figures` with small cells suppressed, per calendar
year of the decision. The recorder alone sees the rows they recorded (to correct them);
the note is shown to nobody else and the organisation's export counts the rows only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from koers.dialogue.models import FlexReason, FlexRelease, FlexRequest
from koers.lib import hooks
from koers.organisations.models import Organisation
from koers.stats.disclosure import suppress_breakdown
from koers.stats.flexibility import RegisterFigures, Request, register_figures

GRANT_REASONS = (
    FlexReason.FITS_WORK,
    FlexReason.CARE,
    FlexReason.HEALTH,
    FlexReason.STUDY,
    FlexReason.PARTLY,
    FlexReason.OTHER,
)
REFUSAL_REASONS = (
    FlexReason.OPERATIONS,
    FlexReason.NATURE_OF_WORK,
    FlexReason.COLLEAGUES,
    FlexReason.COST,
    FlexReason.OTHER,
)


def k() -> int:
    return int(settings.KOERS_MIN_GROUP_SIZE)


def years_of(org: Organisation) -> list[int]:
    """Calendar years with decided requests, newest first (this year when there are none)."""
    years = (
        FlexRequest.objects.for_org(org)
        .annotate(y=ExtractYear("decided_on"))
        .values_list("y", flat=True)
        .distinct()
    )
    found = sorted({int(y) for y in years}, reverse=True)
    return found or [timezone.localdate().year]


def published(org: Organisation, year: int) -> list[list[Any]]:
    """The requests the year's figures are computed from: the last published version.

    A new version is published (here, when the figures are asked for) only when at least
    k requests of the year were added or removed since the last one. Someone who looks
    before and after one decision is recorded sees the same figures, so no figure ever
    moves by one request; each published step covers at least k requests.
    """
    live = list(
        FlexRequest.objects.for_org(org)
        .filter(decided_on__year=year)
        .order_by("pk")
        .values_list("pk", "kind", "team", "gender", "outcome", "reason")
    )
    release = FlexRelease.objects.for_org(org).filter(year=year).first()
    before = {int(row[4]) for row in release.rows} if release is not None else set()
    now = {row[0] for row in live}
    if release is None or len(before ^ now) >= k():
        rows: list[list[Any]] = [
            [kind, team, gender, outcome == "granted", pk, reason]
            for pk, kind, team, gender, outcome, reason in live
        ]
        FlexRelease.objects.update_or_create(organisation=org, year=year, defaults={"rows": rows})
        return rows
    return list(release.rows)


def figures(org: Organisation, year: int) -> tuple[RegisterFigures, dict[str, int | None]]:
    """The year's suppressed tables from the published version (:func:`published`), and
    the refusal reasons (None = hidden). Teams are those of the published version."""
    rows = published(org, year)
    requests = [Request(str(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]
    result = register_figures(requests, k())
    reasons: dict[str, int | None] = {}
    if result.by_kind.total.refused is not None:
        # A breakdown of the refusals: its total is the refused margin, shown already.
        counts = Counter(str(r[5]) for r in rows if not r[3])
        cells: dict[Hashable, int] = {
            str(reason): counts.get(reason, 0) for reason in REFUSAL_REASONS
        }
        reasons = {str(key): n for key, n in suppress_breakdown(cells, k()).counts.items()}
    return result, reasons


def register_context(org: Organisation, year: int) -> dict[str, Any]:
    result, reasons = figures(org, year)
    kind_label = dict(FlexRequest._meta.get_field("kind").flatchoices)
    gender_label = dict(FlexRequest._meta.get_field("gender").flatchoices)
    reason_label = dict(FlexReason.choices)
    return {
        "year": year,
        "k": result.k,
        "total": result.by_kind.total,
        "by_kind": [(kind_label.get(r.key, r.key), r) for r in result.by_kind.rows],
        "by_team": [(r.key, r) for r in result.by_team.rows],
        "by_gender": [(gender_label.get(r.key, r.key), r) for r in result.by_gender.rows],
        "comparison": result.comparison,
        "reasons": [(reason_label.get(key, key), n) for key, n in reasons.items()],
    }


def record(org: Organisation, user: Any, data: dict[str, Any]) -> FlexRequest:
    created: FlexRequest = FlexRequest.objects.create(
        organisation=org,
        team=data["team"].strip(),
        kind=data["kind"],
        outcome=data["outcome"],
        reason=data["reason"],
        note=data.get("note", "").strip(),
        gender=data["gender"],
        decided_on=data["decided_on"],
        recorded_by=user,
    )
    return created


def recorded_by(org: Organisation, user: Any) -> list[FlexRequest]:
    """The rows this user recorded (they know them already; nobody else sees rows)."""
    return list(FlexRequest.objects.for_org(org).filter(recorded_by=user))


def delete_old_requests(cutoff: dt.date) -> int:
    """Retention (KOERS_RETAIN_FLEXIBILITY_MONTHS): a calendar year goes whole, with its
    published figures, once all of it lies before ``cutoff`` (deleting request by request
    would move an old year's figures by one request a day)."""
    first_kept = dt.date(cutoff.year, 1, 1)
    deleted, _ = FlexRequest.objects.filter(decided_on__lt=first_kept).delete()
    FlexRelease.objects.filter(year__lt=cutoff.year).delete()
    return int(deleted)


def flexibility_grants(org: Organisation, on: dt.date) -> hooks.FlexibilityGrants | None:
    """The register's figures for the calendar year of ``on`` (the same ones the register
    page shows for that year, so nothing new can be derived), or None without requests."""
    year = on.year
    if not FlexRequest.objects.for_org(org).filter(decided_on__year=year).exists():
        return None
    result, _reasons = figures(org, year)
    comparison = result.comparison
    return hooks.FlexibilityGrants(
        year=year,
        n=result.by_kind.total.n,
        rate_all=result.by_kind.total.rate,
        rate_female=comparison.rate_female if comparison.shown else None,
        rate_male=comparison.rate_male if comparison.shown else None,
        difference=comparison.difference,
        url=reverse("dialogue_flex", kwargs={"org": org.slug}) + f"?jaar={year}",
    )

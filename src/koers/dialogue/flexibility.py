"""The fair-flexibility register: record decided requests, show them in aggregate.

A manager or HR records each decided request for flexibility in hours, place or schedule
for a team: the kind, granted or refused, the reason as a category, an optional note and
the gender of who asked (for the women-versus-men comparison). No name and no employee
number is stored (docs/dialogue.md says why). Everyone who may see the register (the
team through its manager, the works council, HR) sees the same aggregates:
:func:`koers.stats.flexibility.register_figures` with small cells suppressed, per *closed*
calendar year of the decision, published once after the year ended and planned as a whole
(:func:`published`); the open year shows no figures. The recorder alone sees the rows
they recorded (to correct them); the note is shown to nobody else and the organisation's
export counts the rows only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from koers.dialogue.models import FlexReason, FlexRelease, FlexRequest
from koers.lib import hooks
from koers.organisations.models import Organisation
from koers.stats.flexibility import (
    RegisterFigures,
    Request,
    Unit,
    entry_ids,
    hide_entries,
    plan_version,
    shown_entries,
    version_figures,
)

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


def this_year() -> int:
    return timezone.localdate().year


def appears_on(year: int) -> dt.date:
    """The day a year's figures can first be published: 1 January of the next year."""
    return dt.date(year + 1, 1, 1)


def years_of(org: Organisation) -> list[int]:
    """The closed calendar years the register has figures for, newest first: every year
    from the first year with a decided request up to last year (a year without requests
    in between is listed too, so the list does not move with one backdated request)."""
    first = (
        FlexRequest.objects.for_org(org)
        .annotate(y=ExtractYear("decided_on"))
        .order_by("y")
        .values_list("y", flat=True)
        .first()
    )
    if first is None:
        return []
    return list(range(this_year() - 1, int(first) - 1, -1))


def _units(rows: list[list[Any]]) -> list[Unit]:
    return [
        Unit(int(r[4]), Request(str(r[0]), str(r[1]), str(r[2]), bool(r[3])), str(r[5]))
        for r in rows
    ]


def plan(rows: list[list[Any]]) -> list[list[str]]:
    """The entries of a closed year's one version to hide on top of the table rule, so that
    no sum or difference of its own shown counts (the three tables, the margin, the refusal
    reasons) singles out fewer than k requests (:func:`plan_version` with no earlier
    version; deterministic, no time budget: about 0.02 s for 500 requests in 10 teams)."""
    units = _units(rows)
    result, reasons = version_figures(units, k(), [str(r) for r in REFUSAL_REASONS])
    shown = [(e, entry_ids(e, units)) for e in shown_entries(result, reasons)]
    hidden = plan_version(shown, [], k(), budget_seconds=None)
    return sorted([list(e) for e in hidden])


def published(org: Organisation, year: int) -> FlexRelease | None:
    """The one version of a closed year's figures, or None while the year is open.

    Made on the first request for the figures on or after 1 January of the next year, from
    the year's requests at that moment, planned as a whole (:func:`plan`) and frozen: rows
    of that year added or removed later change nothing. An open year has no figures at all,
    so nothing on the page moves with one decision; a year before the register's first
    year has none either (None).
    """
    if year >= this_year():
        return None
    release: FlexRelease | None = FlexRelease.objects.for_org(org).filter(year=year).first()
    if release is not None and release.hidden is not None:
        return release
    if release is not None and timezone.localtime(release.created).year > year:
        # Published under the old step rule after the year had ended: its rows are the
        # figures viewers last saw; keep them (no new version) and plan them once.
        release.hidden = plan(list(release.rows))
        release.save(update_fields=["hidden"])
        return release
    if release is None and year not in years_of(org):
        return None  # before the register's first year: nothing to publish
    live = (
        FlexRequest.objects.for_org(org)
        .filter(decided_on__year=year)
        .order_by("pk")
        .values_list("pk", "kind", "team", "gender", "outcome", "reason")
    )
    rows: list[list[Any]] = [
        [kind, team, gender, outcome == "granted", pk, reason]
        for pk, kind, team, gender, outcome, reason in live
    ]
    if release is not None:  # an old-rule version made while the year was still open
        release.rows, release.hidden = rows, plan(rows)
        release.save(update_fields=["rows", "hidden", "created"])
        return release
    made: FlexRelease
    # get_or_create: when two first requests race, the first version stays.
    made, _ = FlexRelease.objects.get_or_create(
        organisation=org, year=year, defaults={"rows": rows, "hidden": plan(rows)}
    )
    return made


def figures(org: Organisation, year: int) -> tuple[RegisterFigures, dict[str, int | None]] | None:
    """A closed year's figures from its one version (:func:`published`): the suppressed
    tables with the plan's entries hidden too, and the refusal reasons (None = hidden).
    None for the open year."""
    release = published(org, year)
    if release is None:
        return None
    units = _units(list(release.rows))
    result, reasons = version_figures(units, k(), [str(r) for r in REFUSAL_REASONS])
    hidden = [(str(t), str(key), str(c)) for t, key, c in release.hidden or []]
    return hide_entries(result, reasons, hidden)


def register_context(org: Organisation, year: int | None) -> dict[str, Any]:
    """The page: a closed year's figures, and always when this year's figures appear."""
    now = this_year()
    context: dict[str, Any] = {"k": k(), "open_year": now, "appears_on": appears_on(now)}
    found = figures(org, year) if year is not None else None
    if found is None:
        return {**context, "year": None}
    result, reasons = found
    kind_label = dict(FlexRequest._meta.get_field("kind").flatchoices)
    gender_label = dict(FlexRequest._meta.get_field("gender").flatchoices)
    reason_label = dict(FlexReason.choices)
    return {
        **context,
        "year": year,
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
    """The register's figures for the calendar year of ``on``: those of the year's one
    version, the same the register page shows (so nothing new can be derived). For the open
    year no figures, only the day they appear. None when the organisation has no register
    (no request in any year)."""
    year = on.year
    if not FlexRequest.objects.for_org(org).exists():
        return None
    url = reverse("dialogue_flex", kwargs={"org": org.slug})
    found = figures(org, year)
    if found is None:
        if year < this_year():
            return None
        return hooks.FlexibilityGrants(
            year=year,
            n=None,
            rate_all=None,
            rate_female=None,
            rate_male=None,
            difference=False,
            url=url,
            appears_on=appears_on(year),
        )
    result, _reasons = found
    comparison = result.comparison
    return hooks.FlexibilityGrants(
        year=year,
        n=result.by_kind.total.n,
        rate_all=result.by_kind.total.rate,
        rate_female=comparison.rate_female if comparison.shown else None,
        rate_male=comparison.rate_male if comparison.shown else None,
        difference=comparison.difference,
        url=url + f"?jaar={year}",
    )

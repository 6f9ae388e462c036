"""Workflows over targets: their assessments for a viewer, sub-top versions, seats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from koers.organisations.models import Organisation
from koers.stats.disclosure import Discloser
from koers.targets.data import population_inputs
from koers.targets.models import SubTopDefinition, Target
from koers.targets.progress import Assessment, assess
from koers.targets.projection import Seat


def seats_of(target: Target) -> list[Seat]:
    """The seats stored with a board target (see ``Target.seats``)."""
    return [
        Seat(
            seat.get("holder"),
            dt.date.fromisoformat(seat["term_ends"]) if seat.get("term_ends") else None,
        )
        for seat in target.seats
    ]


def assessments(org: Organisation, targets: Sequence[Target], *, hr: bool) -> list[Assessment]:
    """Each target's progress, with figures for HR (``hr=True``) or, for everyone else,
    only where no gender group is under k (DESIGN.md)."""
    discloser = Discloser(hr, settings.KOERS_MIN_GROUP_SIZE)
    cache: dict[str, Any] = {}
    return [
        assess(
            population=target.population,
            target_share=target.share,
            target_year=target.target_year,
            inputs=population_inputs(org, target, cache=cache),
            discloser=discloser,
            seats=seats_of(target),
        )
        for target in targets
    ]


def latest_subtop_definitions(org: Organisation) -> list[SubTopDefinition]:
    latest: dict[str, SubTopDefinition] = {}
    for definition in SubTopDefinition.objects.for_org(org).order_by("name", "-version"):
        latest.setdefault(definition.name, definition)
    return list(latest.values())


@transaction.atomic
def save_subtop_definition(
    org: Organisation,
    name: str,
    job_levels: list[str],
    job_families: list[str],
    user: Any,
    valid_from: dt.date | None = None,
) -> tuple[SubTopDefinition, bool]:
    """Store the definition of sub-top category ``name``: a new version when it differs from
    the latest (never an edit in place), counting from ``valid_from`` (see
    ``SubTopDefinition.applies_from``). Returns the definition and whether it is new."""
    latest = (
        SubTopDefinition.objects.for_org(org)
        .select_for_update()
        .filter(name=name)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.same_definition(job_levels, job_families):
        return latest, False
    definition = SubTopDefinition.objects.create(
        organisation=org,
        name=name,
        version=1 if latest is None else latest.version + 1,
        job_levels=job_levels,
        job_families=job_families,
        valid_from=valid_from,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return definition, True

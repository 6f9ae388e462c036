"""Demo: a sector programme of 12 generated organisations plus the demo organisation.

The generated members get their shared yearly figures and Compass profile mix written
directly (no HR files, no snapshots, no responses: ``load_demo`` stays fast); the demo
organisation shares through the real path (:func:`koers.programme.extract.refresh` on its
Gender Scan, targets, plan and Compass releases). Idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from koers.compass.profiles import load_profiles
from koers.organisations.demo import DEMO_PASSWORD
from koers.organisations.models import Organisation
from koers.programme import extract, services
from koers.programme.models import (
    PROFILE_FIELDS,
    Invitation,
    OfficeMember,
    Participation,
    Programme,
    Sector,
    SharedMeasure,
    SharedProfiles,
    SharedYear,
    SizeClass,
    set_first_shares,
)

SLUG = "techniek-in-balans"
OFFICE_USER = "programma@techniekinbalans.nl"
N_GENERATED = 12
INVITED = "Jansen Techniek BV"  # an open invitation (the office's own name for it)
YEARS = (2024, 2025, 2026)  # as the demo organisation's snapshots (30 June)
# Measures the generated members choose from (Dutch titles, as the plan shows them).
MEASURES = (
    "Mentorprogramma voor vrouwen",
    "Genderneutrale vacatureteksten",
    "Diverse selectiecommissies",
    "Flexibel werken en deeltijd in alle functies",
    "Exitgesprekken met vervolg",
    "Loonkloof jaarlijks analyseren en dichten",
)


def _generated(programme: Programme, measures: list[str]) -> None:
    rng = np.random.default_rng(2026)
    sectors = [Sector.ICT, Sector.INDUSTRY, Sector.ENGINEERING, Sector.ENERGY]
    for i in range(N_GENERATED):
        slug = f"pilot-{i + 1:02d}"
        org, _created = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": f"Pilotbedrijf {i + 1:02d}"}
        )
        part, created = Participation.objects.get_or_create(
            programme=programme,
            organisation=org,
            defaults={
                "status": Participation.Status.ACTIVE,
                "sector": sectors[i % len(sectors)],
                "share_scan": True,
                "share_targets": True,
                "share_measures": True,
                "share_compass": True,
            },
        )
        if not created:
            continue
        chosen = [m for m in measures if rng.random() < 0.55]
        SharedMeasure.objects.bulk_create(
            SharedMeasure(organisation=org, participation=part, measure=m) for m in chosen
        )
        n = int(rng.integers(80, 700))
        share = float(rng.uniform(0.12, 0.3))
        lift = 0.004 + 0.006 * len(chosen) / len(measures)  # planted: more measures, more lift
        rows = []
        for year in YEARS:
            n = max(40, int(n * rng.uniform(0.97, 1.06)))
            share = min(0.5, share + lift + float(rng.normal(0, 0.004)))
            hires = int(n * rng.uniform(0.08, 0.14))
            leavers = int(n * rng.uniform(0.06, 0.11))
            women = round(share * n)
            men = n - women
            hourly_w, hourly_m = float(rng.uniform(27, 33)), float(rng.uniform(30, 37))
            rows.append(
                SharedYear(
                    organisation=org,
                    participation=part,
                    year=year,
                    reference_date=dt.date(year, 6, 30),
                    size_class=SizeClass.LARGE if n >= extract.LARGE else SizeClass.SMALL,
                    headcount=n,
                    women=women,
                    hires=hires,
                    hires_women=round(hires * min(0.6, share + 0.05)),
                    leavers=leavers,
                    leavers_women=round(leavers * share),
                    pay_n_women=women,
                    pay_n_men=men,
                    pay_sum_women=hourly_w * women,
                    pay_sum_men=hourly_m * men,
                    targets_n=4,
                    targets_met=int(rng.integers(0, 3)) + (year - YEARS[0]) // 2,
                    actions_n=len(chosen),
                )
            )
        SharedYear.objects.bulk_create(set_first_shares(rows))
        SharedProfiles.objects.bulk_create(_profile_years(rng, org, part, n, rows))


def _profile_years(
    rng: np.random.Generator, org: Organisation, part: Participation, n: int, years: list[Any]
) -> list[SharedProfiles]:
    """A Compass campaign each year with a fifth to a third of the staff responding; counts
    from the reference shares (5 % without a profile), withheld as a release would: a count
    under k is NULL, and when that hides one profile alone the next smallest goes too."""
    k = settings.KOERS_MIN_GROUP_SIZE
    profiles = load_profiles()
    shares = np.array([profiles.get(key).share for key in PROFILE_FIELDS])
    probabilities = np.append(shares / shares.sum() * 0.95, 0.05)
    out = []
    for shared in years:
        respondents = int(shared.headcount * rng.uniform(0.2, 0.35))
        counts = rng.multinomial(respondents, probabilities)[: len(PROFILE_FIELDS)]
        kept: list[int | None] = [None if 0 < c < k else int(c) for c in counts]
        if sum(c is None for c in kept) == 1:
            rest = [(c, i) for i, c in enumerate(kept) if c]
            if rest:
                kept[min(rest)[1]] = None
        out.append(
            SharedProfiles(
                organisation=org,
                participation=part,
                year=shared.year,
                reference_date=dt.date(shared.year, 5, 31),
                size_class=shared.size_class,
                respondents=respondents,
                **dict(zip(PROFILE_FIELDS.values(), kept, strict=True)),
            )
        )
    return out


def _earlier_view(programme: Programme) -> None:
    """The office looked once before the last generated member joined: the figures it saw
    then stay as published (marked "*" on the dashboard, docs/programme.md rule 6), since
    one member more is too few to show new ones. Only when nothing was published yet."""
    from koers.programme import figures
    from koers.programme.models import PublishedFigure

    if PublishedFigure.objects.filter(programme=programme).exists():
        return
    last = Participation.objects.filter(
        programme=programme, organisation__slug=f"pilot-{N_GENERATED:02d}"
    ).first()
    if last is None or not last.is_active:
        return
    Participation.objects.filter(pk=last.pk).update(status=Participation.Status.INVITED)
    figures.dashboard(programme)
    Participation.objects.filter(pk=last.pk).update(status=Participation.Status.ACTIVE)


def load_demo_programme(org: Organisation) -> str:
    programme, _ = Programme.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Techniek in balans",
            "description": (
                "Een pilot van een brancheorganisatie: de deelnemers maken een plan en "
                "komen elk jaar terug om de voortgang te vergelijken."
            ),
        },
    )
    user_model = get_user_model()
    user = user_model.objects.filter(username=OFFICE_USER).first()
    if user is None:
        user = user_model.objects.create_user(
            username=OFFICE_USER, email=OFFICE_USER, password=DEMO_PASSWORD
        )
    OfficeMember.objects.get_or_create(programme=programme, user=user)
    mine, created = Participation.objects.get_or_create(
        programme=programme,
        organisation=org,
        defaults={
            "status": Participation.Status.ACTIVE,
            "sector": Sector.ENGINEERING,
            "share_scan": True,
            "share_targets": True,
            "share_measures": True,
            "share_compass": True,
        },
    )
    if created:
        extract.refresh(mine)
    # The generated members choose among the demo organisation's measures and a few more,
    # so the titles group across members.
    theirs = list(SharedMeasure.objects.for_org(org).values_list("measure", flat=True))
    _generated(programme, sorted(set(theirs) | set(MEASURES)))
    # One open invitation on the office's invitation page; its code is not kept anywhere.
    if not Invitation.objects.filter(programme=programme, name=INVITED).exists():
        services.create_invitation(programme, INVITED, user)
    _earlier_view(programme)
    url = reverse("programme_dashboard", kwargs={"slug": SLUG})
    return (
        f"Sector programme: {OFFICE_USER} / {DEMO_PASSWORD} (programme office) at {url}; "
        f"{N_GENERATED} generated members and {org.slug}; one open invitation"
    )

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest


@pytest.fixture
def programme(db: Any) -> Any:
    from koers.programme.models import Programme

    return Programme.objects.create(name="Pilot", slug="pilot")


@pytest.fixture
def office(programme: Any) -> Any:
    from django.contrib.auth import get_user_model

    from koers.programme.models import OfficeMember

    user = get_user_model().objects.create_user(
        username="bureau@sector.example", email="bureau@sector.example", password="x"
    )
    OfficeMember.objects.create(programme=programme, user=user)
    return user


Member = Callable[..., Any]


@pytest.fixture
def member(programme: Any) -> Member:
    """Factory: a generated member with shared years written directly."""
    from koers.organisations.models import Organisation
    from koers.programme.models import (
        Participation,
        SharedMeasure,
        SharedYear,
        set_first_shares,
    )

    counter = iter(range(1, 10_000))

    def make(
        headcount: int = 100,
        women: int = 25,
        *,
        years: Sequence[int] = (2024,),
        day: tuple[int, int] = (6, 30),
        size: str = "small",
        sector: str = "ict",
        pay: tuple[float, float] = (30.0, 33.0),
        measures: Sequence[str] = (),
        organisation: Any = None,
        lift: int = 0,
    ) -> Any:
        i = next(counter)
        org = organisation or Organisation.objects.create(name=f"Lid {i}", slug=f"lid-{i}")
        part = Participation.objects.create(
            programme=programme,
            organisation=org,
            status=Participation.Status.ACTIVE,
            sector=sector,
            share_scan=True,
            share_measures=True,
        )
        rows = []
        for k, year in enumerate(years):
            w = women + lift * k
            rows.append(
                SharedYear(
                    organisation=org,
                    participation=part,
                    year=year,
                    reference_date=dt.date(year, *day),
                    size_class=size,
                    headcount=headcount,
                    women=w,
                    hires=10,
                    hires_women=3,
                    leavers=8,
                    leavers_women=2,
                    pay_n_women=w,
                    pay_n_men=headcount - w,
                    pay_sum_women=pay[0] * w,
                    pay_sum_men=pay[1] * (headcount - w),
                )
            )
        SharedYear.objects.bulk_create(set_first_shares(rows))
        for m in measures:
            SharedMeasure.objects.create(organisation=org, participation=part, measure=m)
        return part

    return make

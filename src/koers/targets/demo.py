"""Demo content: a sub-top definition in two versions (a break in the trend) and targets for
the board, supervisory board, sub-top, a job level, inflow and promotion, on the demo Gender
Scan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from koers.organisations.models import Organisation
from koers.targets.models import SubTopDefinition, Target, TargetExplanation
from koers.targets.reporting import default_year

SUBTOP = "Leidinggevenden"


def load_demo_targets(org: Organisation) -> str:
    if Target.objects.for_org(org).exists():
        return ""
    SubTopDefinition.objects.get_or_create(
        organisation=org,
        name=SUBTOP,
        version=1,
        defaults={"job_levels": ["12", "13"], "job_families": []},
    )
    # From 2026 the sub-top also counts level 11: the monitor shows the break in the trend
    # and the years before it recounted with today's definition.
    SubTopDefinition.objects.get_or_create(
        organisation=org,
        name=SUBTOP,
        version=2,
        defaults={
            "job_levels": ["11", "12", "13"],
            "job_families": [],
            "valid_from": dt.date(2026, 1, 1),
        },
    )
    rows = [
        # population, split, subtop/level, share %, year, seats
        ("board", "all", "", "", 40, 2028,
         [{"holder": "F", "term_ends": "2029-06-30"}, {"holder": "M", "term_ends": "2027-03-31"},
          {"holder": "M", "term_ends": "2028-06-30"}, {"holder": "M", "term_ends": "2030-01-01"}]),
        ("supervisory_board", "all", "", "", 40, 2027, []),
        ("subtop", "all", SUBTOP, "", 30, 2028, []),
        ("subtop", "core", SUBTOP, "", 25, 2029, []),
        ("job_level", "all", "", "10", 30, 2029, []),
        ("inflow", "core", "", "", 35, 2027, []),
        ("promotion", "all", "", "", 30, 2027, []),
    ]  # fmt: skip
    for population, split, subtop, level, share, year, seats in rows:
        target = Target.objects.create(
            organisation=org,
            population=population,
            split=split,
            subtop_name=subtop,
            job_level=level,
            target_share=Decimal(share),
            target_year=year,
            seats=seats,
        )
        if population == "board":
            # The annual diversity report's "why not" for the last financial year.
            TargetExplanation.objects.create(
                organisation=org,
                target=target,
                year=default_year(org),
                text="In het boekjaar kwam geen bestuurszetel vrij; de eerste termijn loopt af "
                "in maart 2027 en de profielschets vraagt dan om een vrouw.",
            )
    return f"Streefcijfers demo: {len(rows)} streefcijfers en de subtopdefinitie {SUBTOP}"

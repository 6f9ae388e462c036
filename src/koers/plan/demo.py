"""Demo content: a plan of six actions (two late), a comment and the works council's advice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from koers.organisations.models import Organisation
from koers.plan import services
from koers.plan.models import Action

# (measure, owner, start and due in days from today, status, budget, indicator)
ACTIONS = (
    ("inclusive_appraisal", "Hoofd HR", -300, -60, "in_progress", 4000, "promotiekans vrouwen"),
    (
        "woman_on_selection_committee",
        "Recruitment",
        -200,
        -30,
        "planned",
        None,
        "aandeel vrouwen bij instroom",
    ),
    ("part_time_work", "Hoofd HR", -250, -20, "done", 1500, "vertrek deeltijders"),
    ("gender_bias_training", "L&D", -90, 120, "in_progress", 12000, "aandeel vrouwen in de subtop"),
    ("confidential_adviser", "Directie", -30, 60, "planned", 2500, "vertrek vrouwen"),
    ("work_clothing", "Facilitair", -10, 90, "planned", 3000, ""),
)


def load_demo_plan(org: Organisation) -> str:
    if Action.objects.for_org(org).exists():
        return ""
    today = timezone.localdate()
    created = []
    for measure, owner, start, due, status, budget, indicator in ACTIONS:
        created.append(
            services.save_action(
                org,
                Action(organisation=org),
                {
                    "measure": measure,
                    "owner": owner,
                    "start": today + dt.timedelta(days=start),
                    "due": today + dt.timedelta(days=due),
                    "status": status,
                    "budget": None if budget is None else Decimal(budget),
                    "indicator": indicator,
                },
                None,
            )
        )
    services.add_comment(
        created[0],
        "De criteria per functie zijn klaar; de teksten van de beoordelingen volgen na de zomer.",
        None,
    )
    services.record_advice(
        org,
        "De OR steunt het plan en vraagt de genderbiastraining eerst aan leidinggevenden "
        "te geven, en jaarlijks te rapporteren over de voortgang.",
        today - dt.timedelta(days=14),
        "de ondernemingsraad",
        None,
    )
    n_late = sum(a.is_late(today) for a in created)
    return f"Plan van aanpak: {len(created)} acties, waarvan {n_late} te laat"

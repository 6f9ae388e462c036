"""Demo content: two closed rounds of the inclusion survey with generated answers.

Planted: in round 1 (2025) women score 0.9 SD lower on psychological safety and 0.9 SD
higher on masculine culture than men; in round 2 (2026) the safety gap has narrowed to 0.15
SD while the culture gap stays. Every other scale has no gap. 70 women, 200 men and 8 people
who gave another gender or none; invitation campaigns, so breakdowns by department and
function type are possible where groups are large enough.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from koers.inclusion.generate import DEPARTMENTS, generate_answers
from koers.organisations.models import Organisation
from koers.surveys import links
from koers.surveys.models import Answer, Campaign, Response

N_WOMEN, N_MEN, N_OTHER = 70, 200, 8
# Seeds chosen so that no scale without a planted gap shows a chance gap in the demo (with
# twelve scales one in two rounds would: tests/inclusion/test_generate.py measures it).
ROUNDS = (
    # name, name_en, opens, closes, seed, planted gaps (women − men, in SD of the trait)
    (
        "Inclusiemonitor 2025 (demo)",
        "Inclusion survey 2025 (demo)",
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 31),
        26,
        {"psych_safety": -0.9, "masculine_culture": 0.9},
    ),
    (
        "Inclusiemonitor 2026 (demo)",
        "Inclusion survey 2026 (demo)",
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        27,
        {"psych_safety": -0.15, "masculine_culture": 0.9},
    ),
)


def load_demo_inclusion(org: Organisation) -> str:
    made = []
    for name, name_en, opens, closes, seed, gaps in ROUNDS:
        campaign, created = Campaign.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={
                "name_en": name_en,
                "instrument_key": "inclusion",
                "instrument_version": 1,
                "mode": Campaign.Mode.INVITATIONS,
                "opens_on": opens,
                "closes_on": closes,
                "closed": True,
                "closed_on": closes,
                "departments": DEPARTMENTS,
            },
        )
        if not created or campaign.responses.exists():
            continue
        people = generate_answers(N_WOMEN, N_MEN, N_OTHER, gaps, seed)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                [
                    Response(
                        campaign=campaign,
                        access_hash=links.response_hash(links.new_secret()),
                        instrument_version=1,
                        started_on=opens,
                        finished_on=opens,
                    )
                    for _ in people
                ]
            )
            Answer.objects.bulk_create(
                [
                    Answer(response=response, item_id=item_id, value=value)
                    for response, answers in zip(responses, people, strict=True)
                    for item_id, value in answers.items()
                ],
                batch_size=5000,
            )
        made.append(name)
    if not made:
        return ""
    return f"Inclusion survey demo: {', '.join(made)} (results at /o/{org.slug}/inclusie/)"

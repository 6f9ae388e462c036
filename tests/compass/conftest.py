from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from koers.compass.generate import generate_respondents
from koers.compass.services import assign_profiles, score_responses
from koers.surveys import links, services
from koers.surveys.models import Answer, Campaign, Response


@pytest.fixture
def campaign(org_a: Any) -> Campaign:
    from koers.instruments import get_instrument

    compass = get_instrument("career_compass")
    return Campaign.objects.create(
        organisation=org_a,
        name="Kompas",
        instrument_key=compass.key,
        instrument_version=compass.version,
        departments=["R&D", "Productie", "Staf"],
    )


def add_generated(campaign: Campaign, n: int, seed: int = 7, **overrides: Any) -> list[Response]:
    """n finished generated respondents (answers from the reference profiles)."""
    instrument = campaign.instrument()
    people = generate_respondents(instrument, n, seed=seed, departments=list(campaign.departments))
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(
                    campaign=campaign,
                    access_hash=links.response_hash(links.new_secret()),
                    instrument_version=campaign.instrument_version,
                    finished_on=campaign.opens_on,
                )
                for _ in people
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(response=r, item_id=item, value=overrides.get(item, value))
                for r, p in zip(responses, people, strict=True)
                for item, value in p.answers.items()
            ]
        )
    responses = list(Response.objects.filter(pk__in=[r.pk for r in responses]))
    score_responses(responses)
    assign_profiles(responses)
    return responses


def finished_respondent(campaign: Campaign, seed: int = 99) -> services.Started:
    """One respondent who answered through the service and finished (holds the secret)."""
    instrument = campaign.instrument()
    person = generate_respondents(instrument, 1, seed=seed)[0]
    started = services.start_open_response(campaign, "nl")
    for item_id, value in person.answers.items():
        services.save_answer(started.response, instrument, item_id, value, 0)
    services.finish_response(started.response, started.secret)
    return started

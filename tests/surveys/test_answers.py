"""Reading many answers at once gives what Django's JSONField gives, one row at a time."""

from __future__ import annotations

from typing import Any

import pytest

from koers.surveys.answers import answer_values
from koers.surveys.models import Answer, Campaign, Response


@pytest.mark.django_db
def test_bulk_decoded_values_equal_the_fields_own_and_cleared_answers_are_left_out(
    campaign: Campaign,
) -> None:
    values: list[Any] = [
        4,
        "R&D",
        3.5,
        ["a", "b"],
        {"x": 1, "y": [True, None]},
        'tekst met "aanhalingstekens", komma\'s en é',
        0,
        False,
        None,
    ]
    response = Response.objects.create(
        campaign=campaign, access_hash="a" * 64, instrument_version=1
    )
    for index, value in enumerate(values):
        Answer.objects.create(response=response, item_id=f"q{index}", value=value)
    answers = Answer.objects.filter(response=response).order_by("item_id")
    fields = [(a.response_id, a.item_id, a.value) for a in answers if a.value is not None]
    bulk = answer_values(answers)
    assert bulk == fields
    assert len(bulk) == len(values) - 1  # the cleared answer (SQL NULL) is not read
    assert bulk[7][1:] == ("q7", False)
    assert answer_values(Answer.objects.none()) == []

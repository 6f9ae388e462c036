"""The inclusion survey runs through the ordinary campaigns: a respondent fills it in and
finishes on the thank-you page (no Compass scores, profile or personal report)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.compass.models import ProfileAssignment, ResponseScores
from koers.surveys import links, services
from koers.surveys.models import Campaign


@pytest.mark.django_db
def test_a_respondent_fills_in_every_page_and_finishes_on_the_thank_you_page(
    org_a: Any, client: Any
) -> None:
    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Inclusiemonitor",
        instrument_key="inclusion",
        instrument_version=1,
        public_token="incl-open",
        departments=["R&D", "Productie"],
    )
    started = services.start_open_response(campaign, "nl")
    slot = links.slot_of(started.secret)
    client.cookies[links.cookie_name(slot)] = started.secret
    instrument = campaign.instrument()
    for section in instrument.sections:
        page = client.get(reverse("respond_section", kwargs={"slot": slot, "section": section.id}))
        assert page.status_code == 200, section.id
        for item in section.items:
            if item.type == "scale":
                services.save_answer(started.response, instrument, item.id, 4, 0)
    services.save_answer(started.response, instrument, "gender", "woman", 0)
    services.save_answer(started.response, instrument, "department", "R&D", 0)
    finished = client.post(reverse("respond_finish", kwargs={"slot": slot}))
    assert finished.status_code == 302
    assert finished["Location"] == reverse("respond_done", kwargs={"slot": slot})
    assert client.get(finished["Location"]).status_code == 200
    # The Compass's report and hooks leave it alone.
    report = client.get(reverse("compass_report", kwargs={"slot": slot}))
    assert report["Location"] == reverse("respond_done", kwargs={"slot": slot})
    assert not ResponseScores.objects.exists()
    assert not ProfileAssignment.objects.exists()
    own = client.get(reverse("respond_my_data", kwargs={"slot": slot})).json()
    assert own["answers"]["psych_safety_1"] == 4
    assert "profile" not in own

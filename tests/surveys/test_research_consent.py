"""Consent to research use: asked on the last page of a Career Compass (optional, default
no), stored on the response, shown and changeable beside the report, in the data download."""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from koers.surveys import services
from koers.surveys.models import Campaign, Response
from tests.surveys.conftest import open_link


def test_the_last_page_asks_an_optional_question_that_starts_unticked(
    client: Any, campaign: Any
) -> None:
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    html = client.get(reverse("respond_review", kwargs={"slot": slot})).content.decode()
    assert "Wetenschappelijk onderzoek (optioneel)" in html
    box = html.split('name="research_consent"')[1].split(">")[0]
    assert "checked" not in box
    assert "required" not in box
    client.cookies["django_language"] = "en"
    english = client.get(reverse("respond_review", kwargs={"slot": slot})).content.decode()
    assert "Scientific research (optional)" in english


def test_finishing_without_ticking_stores_no_and_ticking_stores_yes(
    client: Any, campaign: Any
) -> None:
    for posted, stored in (({}, False), ({"research_consent": "yes"}, True)):
        started = services.start_open_response(campaign, "nl")
        slot = open_link(client, started.secret)
        client.post(reverse("respond_finish", kwargs={"slot": slot}), posted)
        response = Response.objects.get(pk=started.response.pk)
        assert response.is_finished
        assert response.research_consent is stored


def test_the_respondent_sees_and_changes_it_beside_the_report(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    client.post(reverse("respond_finish", kwargs={"slot": slot}), {"research_consent": "yes"})
    report = client.get(reverse("compass_report", kwargs={"slot": slot})).content.decode()
    assert "Je hebt toestemming gegeven." in report
    assert "Toestemming intrekken" in report
    url = reverse("respond_research_consent", kwargs={"slot": slot})
    assert client.post(url, {"research_consent": "no"}).status_code == 302
    assert Response.objects.get(pk=started.response.pk).research_consent is False
    report = client.get(reverse("compass_report", kwargs={"slot": slot})).content.decode()
    assert "Je hebt geen toestemming gegeven." in report
    data = json.loads(client.get(reverse("respond_my_data", kwargs={"slot": slot})).content)
    assert data["research_consent"] is False
    client.post(url, {"research_consent": "yes"})
    assert Response.objects.get(pk=started.response.pk).research_consent is True


def test_another_questionnaire_never_asks_or_stores_it(client: Any, org_a: Any) -> None:
    from koers.instruments import get_instrument

    inclusion = get_instrument("inclusion")
    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Inclusie",
        instrument_key=inclusion.key,
        instrument_version=inclusion.version,
    )
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    html = client.get(reverse("respond_review", kwargs={"slot": slot})).content.decode()
    assert "research_consent" not in html
    client.post(reverse("respond_finish", kwargs={"slot": slot}), {"research_consent": "yes"})
    assert Response.objects.get(pk=started.response.pk).research_consent is False
    client.post(
        reverse("respond_research_consent", kwargs={"slot": slot}), {"research_consent": "yes"}
    )
    assert Response.objects.get(pk=started.response.pk).research_consent is False


def test_an_unfinished_response_cannot_consent_yet(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    client.post(
        reverse("respond_research_consent", kwargs={"slot": slot}), {"research_consent": "yes"}
    )
    assert Response.objects.get(pk=started.response.pk).research_consent is False

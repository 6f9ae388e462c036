"""Web hardening: user text is escaped everywhere it is shown; uploads are never served."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import Resolver404, resolve, reverse
from tests.surveys.conftest import open_link

from koers.organisations.models import Role
from koers.surveys.models import Campaign

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_campaign(org_a: Any) -> Campaign:
    return Campaign.objects.create(
        organisation=org_a,
        name=PAYLOAD,
        instrument_key="career_compass",
        instrument_version=1,
        departments=[PAYLOAD, "Staf"],
        public_token="hostile",
    )


def test_a_hostile_campaign_name_is_escaped_for_staff_and_respondents(
    client: Any, member_of: Any, hostile_campaign: Campaign
) -> None:
    client.force_login(member_of(Role.HR_ANALYST))
    pages = [
        client.get(reverse("campaign_list", kwargs={"org": "alpha"})),
        client.get(reverse("campaign_detail", kwargs={"org": "alpha", "pk": hostile_campaign.pk})),
        client.get(reverse("campaign_landing", kwargs={"token": "hostile"})),
    ]
    for page in pages:
        html = page.content.decode()
        assert PAYLOAD not in html
        assert "&lt;script&gt;" in html


def test_a_hostile_department_option_is_escaped_in_the_questionnaire(
    client: Any, hostile_campaign: Campaign
) -> None:
    from koers.surveys import services

    started = services.start_open_response(hostile_campaign, "nl")
    instrument = hostile_campaign.instrument()
    section = instrument.item("department").section
    for item_id, value in (("work_status", "yes"),):
        services.save_answer(started.response, instrument, item_id, value, 0)
    url = reverse(
        "respond_section", kwargs={"slot": open_link(client, started.secret), "section": section}
    )
    html = client.get(url).content.decode()
    assert "&lt;script&gt;" in html
    assert PAYLOAD not in html


def test_uploads_have_no_url() -> None:
    for path in ("/media/anything.csv", "/uploads/anything.csv", "/var/uploads/x"):
        with pytest.raises(Resolver404):
            resolve(path)


def test_responses_deny_framing_and_sniffing(client: Any, db: Any) -> None:
    response = client.get(reverse("privacy"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

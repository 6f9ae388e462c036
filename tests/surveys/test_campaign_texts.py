"""A campaign's own texts (name, welcome text) in Dutch and English, with fallback."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from koers.organisations.texts import localised
from koers.surveys.models import Campaign


def test_localised_falls_back_to_the_other_language() -> None:
    assert localised("Hallo", "Hello", "nl") == "Hallo"
    assert localised("Hallo", "Hello", "en") == "Hello"
    assert localised("Hallo", "", "en") == "Hallo"
    assert localised("", "Hello", "nl") == "Hello"
    assert localised("  ", "", "nl") == ""


def test_the_landing_page_shows_the_campaign_texts_in_the_page_language(
    client: Any, alice: Any, compass: Any
) -> None:
    client.force_login(alice)
    created = client.post(
        reverse("campaign_list", kwargs={"org": "alpha"}),
        {
            "name": "Loopbaanpeiling",
            "name_en": "Career survey",
            "intro": "Doe mee tot vrijdag.",
            "intro_en": "Take part until Friday.",
            "mode": "open",
            "opens_on": "2026-01-01",
            "instrument": f"{compass.key}:{compass.version}",
            "departments_text": "",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    campaign = Campaign.objects.get(name="Loopbaanpeiling")
    client.logout()
    landing = reverse("campaign_landing", kwargs={"token": campaign.public_token})
    dutch = client.get(landing).content.decode()
    assert "Loopbaanpeiling" in dutch
    assert "Doe mee tot vrijdag." in dutch
    client.cookies["django_language"] = "en"
    english = client.get(landing).content.decode()
    assert "Career survey" in english
    assert "Take part until Friday." in english
    assert "Doe mee tot vrijdag." not in english
    Campaign.objects.filter(pk=campaign.pk).update(intro_en="", name_en="")
    fallback = client.get(landing).content.decode()
    assert "Doe mee tot vrijdag." in fallback
    assert 'lang="nl"' in fallback


def test_a_refused_campaign_field_keeps_its_input_and_is_linked_to_its_message(
    client: Any, alice: Any, compass: Any
) -> None:
    """Issue 14: the error is read with the field (aria-describedby, aria-invalid), the help
    text too, and a field without an error is not marked invalid."""
    import re

    client.force_login(alice)
    refused = client.post(
        reverse("campaign_list", kwargs={"org": "alpha"}),
        {
            "name": "Peiling",
            "mode": "open",
            "opens_on": "2026-06-01",
            "closes_on": "2026-05-01",
            "instrument": f"{compass.key}:{compass.version}",
            "departments_text": "Alleen één",
        },
    )
    html = refused.content.decode()
    assert not Campaign.objects.filter(name="Peiling").exists()

    def tag(field_id: str) -> str:
        found = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
        assert found, field_id
        return found.group(0)

    closes = tag("id_closes_on")
    assert 'aria-invalid="true"' in closes
    assert 'aria-describedby="id_closes_on-error"' in closes
    assert 'value="2026-05-01"' in closes
    assert 'id="id_closes_on-error"' in html
    departments = tag("id_departments_text")
    assert 'aria-describedby="id_departments_text-help id_departments_text-error"' in departments
    assert 'id="id_departments_text-help"' in html
    assert "aria-invalid" not in tag("id_name")
    assert 'href="#id_closes_on"' in html  # the error summary links to the field

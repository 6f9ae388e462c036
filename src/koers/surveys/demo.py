"""Demo content: an open Career Compass campaign for the demo organisation."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from koers.instruments import get_instrument
from koers.organisations.models import Organisation
from koers.surveys.models import Campaign

DEMO_CAMPAIGN = "Carrière Kompas 2026 (demo)"
DEMO_TOKEN = "demo-kompas-2026"


def load_demo_campaign(org: Organisation) -> str:
    compass = get_instrument("career_compass")
    campaign, _ = Campaign.objects.get_or_create(
        organisation=org,
        name=DEMO_CAMPAIGN,
        defaults={
            "instrument_key": compass.key,
            "instrument_version": compass.version,
            "public_token": DEMO_TOKEN,
            "departments": ["Engineering", "Productie", "Service", "Staf"],
        },
    )
    if not campaign.intro:  # the organisation's own words, in both languages
        campaign.name_en = "Career Compass 2026 (demo)"
        campaign.intro = (
            "Voorbeeld Techniek wil weten wat technici drijft, zodat we loopbanen beter "
            "ondersteunen. Doe mee tot 31 december."
        )
        campaign.intro_en = (
            "Voorbeeld Techniek wants to learn what drives its engineers, so that we can "
            "support careers better. Take part until 31 December."
        )
        campaign.save(update_fields=["name_en", "intro", "intro_en"])
    link = settings.SITE_URL.rstrip("/") + reverse(
        "campaign_landing", kwargs={"token": campaign.public_token}
    )
    return f"Career Compass demo link (no login needed): {link}"

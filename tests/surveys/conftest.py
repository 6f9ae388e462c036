from __future__ import annotations

from typing import Any

import pytest

from koers.instruments import get_instrument
from koers.surveys.models import Campaign


@pytest.fixture
def compass() -> Any:
    return get_instrument("career_compass")


@pytest.fixture
def campaign(org_a: Any, compass: Any) -> Campaign:
    return Campaign.objects.create(
        organisation=org_a,
        name="Kompas test",
        instrument_key=compass.key,
        instrument_version=compass.version,
        departments=["R&D", "Productie"],
    )


@pytest.fixture
def invite_campaign(org_a: Any, compass: Any) -> Campaign:
    return Campaign.objects.create(
        organisation=org_a,
        name="Kompas uitnodigingen",
        instrument_key=compass.key,
        instrument_version=compass.version,
        mode=Campaign.Mode.INVITATIONS,
    )


def first_scale_item(instrument: Any) -> Any:
    return next(item for item in instrument.items if item.type == "scale" and not item.show_if)


def open_link(client: Any, credential: str) -> str:
    """Open a personal link like a respondent: the credential moves into a cookie on the
    client and the redirect leads to the slot's pages. Returns the slot."""
    from django.urls import resolve, reverse

    reply = client.get(reverse("respond", kwargs={"credential": credential}))
    assert reply.status_code == 302, reply.status_code
    return str(resolve(reply["Location"]).kwargs["slot"])


def hold_cookie(client: Any, credential: str) -> str:
    """Put a credential (right or guessed) in the client's cookie for its slot, as a
    browser (or an attacker) holds it; no request. Returns the slot."""
    from koers.surveys import links

    slot = links.slot_of(credential)
    client.cookies[links.cookie_name(slot)] = links.cookie_value(credential)
    return slot

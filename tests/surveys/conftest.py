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

"""The heavy Compass staff pages make as many SQL statements for a large campaign as for a
small one (bench/pages_bench.py walks every page; these are the ones with the most work),
and the reliability table is computed once per release, not per view."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.compass import reliability
from koers.compass.models import Release
from koers.organisations.models import Role
from koers.surveys.models import Campaign
from tests.compass.conftest import add_generated

PAGES = [
    ("compass_profiles", Role.RESEARCHER),
    ("compass_scan", Role.HR_ANALYST),
    ("campaign_detail", Role.HR_ANALYST),
    ("campaign_list", Role.HR_ANALYST),
]


def _statements(client: Any, url: str) -> int:
    client.get(url)  # makes a release when one is due, fills the reliability table
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_the_page_does_not_grow_with_the_campaign(
    client: Any, campaign: Campaign, member_of: Any, name: str, role: str
) -> None:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    client.force_login(member_of(role))
    kwargs = {"org": "alpha"} if name == "campaign_list" else {"org": "alpha", "pk": campaign.pk}
    url = reverse(name, kwargs=kwargs)
    add_generated(campaign, 12, seed=1, department="R&D")
    small = _statements(client, url)
    # Five times as many, in a second release and more departments.
    add_generated(campaign, 30, seed=2, department="Staf")
    add_generated(campaign, 30, seed=3, department="Productie")
    releases = Release.objects.filter(campaign=campaign)
    assert releases.count() == (1 if name.startswith("compass") else 0)
    large = _statements(client, url)
    assert releases.count() == (2 if name.startswith("compass") else 0)
    assert large <= small, f"{name}: {small} statements at 12 responses, {large} at 72"


def test_reliability_is_computed_once_per_release_and_again_after_a_deletion(
    client: Any, campaign: Campaign, member_of: Any
) -> None:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    responses = add_generated(campaign, 40, seed=12)
    client.force_login(member_of(Role.RESEARCHER))
    url = reverse("compass_profiles", kwargs={"org": "alpha", "pk": campaign.pk})
    with mock.patch.object(reliability, "compute", wraps=reliability.compute) as compute:
        first = client.get(url).context["reliability"]
        again = client.get(url).context["reliability"]
        assert compute.call_count == 1
        assert again == first
        responses[0].delete()
        after = client.get(url).context["reliability"]
        assert compute.call_count == 2
    extraversion = campaign.instrument().scale("extraversion").label.get("nl")
    n_before = next(r["n"] for r in first if r["label"] == extraversion)
    n_after = next(r["n"] for r in after if r["label"] == extraversion)
    assert (n_before, n_after) == (40, 39)

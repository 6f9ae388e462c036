"""The Compass pages' population is kept between views, never stale, and leaves the cache
with a deleted response."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pandas as pd
import pytest
from django.core.cache import cache
from django.urls import reverse

from koers.compass import population_cache, releases, teamscan
from koers.compass.models import ProfileAssignment, ResponseScores
from koers.organisations.models import Role
from koers.surveys.models import Campaign
from tests.compass.conftest import add_generated

pytestmark = pytest.mark.django_db


def _fresh(campaign: Campaign) -> pd.DataFrame:
    loaded = releases.load(campaign)
    return releases.population(campaign, list(loaded.frame.index))


@pytest.mark.parametrize(
    ("name", "role"), [("compass_scan", Role.HR_ANALYST), ("compass_profiles", Role.RESEARCHER)]
)
def test_a_second_view_builds_no_population(
    client: Any, campaign: Campaign, member_of: Any, name: str, role: str
) -> None:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    add_generated(campaign, 30, seed=4)
    client.force_login(member_of(role))
    url = reverse(name, kwargs={"org": "alpha", "pk": campaign.pk})
    first = client.get(url)
    with mock.patch.object(releases, "population", side_effect=AssertionError("built again")):
        again = client.get(url)
    assert again.status_code == first.status_code == 200


def test_the_kept_frame_is_the_built_one_and_follows_new_profiles_and_scores(
    campaign: Campaign,
) -> None:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    responses = add_generated(campaign, 30, seed=5)
    kept = releases.load(campaign).frame.drop(columns="_release")
    assert len(kept) == 30
    pd.testing.assert_frame_equal(kept, _fresh(campaign))
    # A new fit: other profiles under another model label (bulk update, no signal).
    ProfileAssignment.objects.filter(response=responses[0]).update(
        model_label="fitted-v9", profile_key="zz-new"
    )
    after = releases.load(campaign).frame
    assert after.loc[responses[0].pk, "profile"] == "zz-new"
    # Scores under a new scoring key: new values are read.
    row = ResponseScores.objects.get(response=responses[1])
    scale = teamscan.CAREER_SCALES[0]
    ResponseScores.objects.filter(pk=row.pk).update(
        fingerprint="new-key", values={**row.values, scale: 7.0}
    )
    frame = releases.load(campaign).frame
    assert frame.loc[responses[1].pk, scale] == 7.0
    pd.testing.assert_frame_equal(frame.drop(columns="_release"), _fresh(campaign))


def test_deleting_a_response_takes_every_kept_frame_of_its_campaign_out_of_the_cache(
    campaign: Campaign,
) -> None:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    responses = add_generated(campaign, 30, seed=6)
    assert len(releases.load(campaign).frame) == 30
    keys = cache.get(population_cache._index(campaign.pk))
    assert keys
    assert all(cache.get(key) is not None for key in keys)
    gone = responses[3].pk
    responses[3].delete()
    assert cache.get(population_cache._index(campaign.pk)) is None
    assert all(cache.get(key) is None for key in keys)
    assert gone not in releases.load(campaign).frame.index

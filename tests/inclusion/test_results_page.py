"""The inclusion results page: the demo's two rounds, who may open it, when it shows nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from koers.inclusion.demo import load_demo_inclusion
from koers.inclusion.models import RoundRelease
from koers.inclusion.services import results_context
from koers.organisations.models import Role
from koers.surveys.models import Campaign
from tests.conftest import PASSWORD


@pytest.fixture
def hr(member_of: Any, client: Any) -> Any:
    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    return user


def _url(org: Any) -> str:
    return reverse("inclusion_results", kwargs={"org": org.slug})


@pytest.mark.django_db
def test_the_demo_shows_both_planted_gaps_and_the_narrowing_of_one(org_a: Any) -> None:
    load_demo_inclusion(org_a)
    context = results_context(org_a)
    scales = {row["scale"]: row for row in context["latest"]["scales"]}
    assert all(row["shown"] for row in scales.values())
    # Round 2: masculine culture still clearly worse for women.
    assert scales["masculine_culture"]["worse_for_women"] is True
    assert scales["masculine_culture"]["gap"]["ci_low"] > 0
    trend = {row["scale"]: row for row in context["trend"]}
    assert trend["psych_safety"]["shown"]
    assert trend["psych_safety"]["marked"]
    assert trend["psych_safety"]["narrowed"]
    assert not trend["masculine_culture"]["marked"]
    # The first round had both gaps.
    first = results_context(org_a, Campaign.objects.get(name__startswith="Inclusiemonitor 2025"))
    first_scales = {row["scale"]: row for row in first["latest"]["scales"]}
    assert first_scales["psych_safety"]["worse_for_women"] is True
    assert first_scales["masculine_culture"]["worse_for_women"] is True
    unplanted = [s for s in first_scales if s not in {"psych_safety", "masculine_culture"}]
    assert sum(first_scales[s]["worse_for_women"] is not None for s in unplanted) <= 2
    assert load_demo_inclusion(org_a) == ""  # idempotent


@pytest.mark.django_db
def test_hr_reads_the_gaps_intervals_and_trend_on_the_page(
    org_a: Any, hr: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    page = client.get(_url(org_a))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Psychologische veiligheid" in text
    assert "Verschil (95%-interval)" in text
    assert "verschil duidelijk kleiner" in text
    assert "ongunstiger voor vrouwen" in text
    # Open answers: themes only, never the text itself.
    assert "Flexibiliteit en werktijden" in text
    assert "kantine" not in text


@pytest.mark.django_db
def test_another_organisation_and_a_manager_cannot_open_it(
    org_a: Any, charlie: Any, bob: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    client.force_login(charlie)
    assert client.get(_url(org_a)).status_code == 404
    client.force_login(bob)
    assert client.get(_url(org_a)).status_code == 403


@pytest.mark.django_db
def test_an_open_round_shows_no_figures_until_it_closes(org_a: Any, hr: Any, client: Any) -> None:
    Campaign.objects.create(
        organisation=org_a,
        name="Open ronde",
        instrument_key="inclusion",
        instrument_version=1,
        mode=Campaign.Mode.INVITATIONS,
        opens_on=dt.date(2026, 1, 1),
    )
    page = client.get(_url(org_a))
    assert page.status_code == 200
    assert "nog geen afgesloten ronde" in page.content.decode()
    assert not RoundRelease.objects.exists()


@pytest.mark.django_db
def test_the_page_reads_in_english_with_the_instruments_english_labels(
    org_a: Any, hr: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    client.cookies["django_language"] = "en"
    text = client.get(_url(org_a), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Difference per scale" in text
    assert "Psychological safety" in text
    assert "Difference (95% interval)" in text
    assert "Verschil per schaal" not in text


@pytest.mark.django_db
def test_the_page_costs_a_fixed_number_of_queries(
    org_a: Any, hr: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    load_demo_inclusion(org_a)
    client.get(_url(org_a))  # freezes both rounds
    with django_assert_max_num_queries(20):
        assert client.get(_url(org_a)).status_code == 200


@pytest.mark.django_db
def test_a_deleted_response_leaves_every_figure_and_the_round_shows_no_new_one(
    org_a: Any, hr: Any, client: Any
) -> None:
    from koers.surveys.models import Response

    load_demo_inclusion(org_a)
    results_context(org_a)
    release = RoundRelease.objects.get(campaign__name__startswith="Inclusiemonitor 2026")
    woman = Response.objects.filter(
        campaign=release.campaign, answer__item_id="gender", answer__value="woman"
    ).first()
    assert woman is not None
    woman.delete()
    context = results_context(org_a)
    assert context["latest"]["n_women"] == 69
    release.refresh_from_db()
    assert set(release.figures) <= set(release.planned)
    assert release.n_planned == len(release.response_ids) - 1


@pytest.mark.django_db
def test_an_inclusion_campaign_links_to_its_results_not_to_the_team_scan(
    org_a: Any, hr: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    campaign = Campaign.objects.get(name__startswith="Inclusiemonitor 2025")
    page = client.get(reverse("campaign_detail", kwargs={"org": org_a.slug, "pk": campaign.pk}))
    text = page.content.decode()
    assert f"{_url(org_a)}?ronde={campaign.pk}" in text
    assert reverse("compass_scan", kwargs={"org": org_a.slug, "pk": campaign.pk}) not in text
    chosen = client.get(f"{_url(org_a)}?ronde={campaign.pk}").content.decode()
    assert "Inclusiemonitor 2025 (demo)</h2>" in chosen
    assert "Ontwikkeling tussen rondes" not in chosen  # the first round has no earlier one


@pytest.mark.django_db
def test_a_scale_worse_for_women_lists_measures_for_its_leaving_reason(
    org_a: Any, hr: Any, client: Any
) -> None:
    from koers.plan.catalogue import load_catalogue

    load_demo_inclusion(org_a)
    text = client.get(_url(org_a)).content.decode()
    at_home = [m for m in load_catalogue().measures if "not_at_home" in m.reasons]
    work_family = [m for m in load_catalogue().measures if m.reasons == ("work_family",)]
    assert at_home
    assert at_home[0].text("title", "nl") in text  # masculine culture, clearly worse in 2026
    # No gap on work–family conflict or flexibility: none of their own measures is listed.
    assert all(m.text("title", "nl") not in text for m in work_family)
    assert reverse("plan_recommendations", kwargs={"org": org_a.slug}) in text

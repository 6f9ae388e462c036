"""Team scan filter choices, profile chart, merged profiles explained; check page per role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from koers.compass.models import ProfileAssignment, ProfileModel
from koers.compass.teamscan import value_labels
from koers.instruments import get_instrument
from koers.organisations.models import Role
from tests.compass.conftest import add_generated
from tests.compass.test_results import invitations


def scan_value_labels(language: str) -> dict[str, dict[str, str]]:
    return value_labels(get_instrument("career_compass"), language)


def scan_page(client: Any, campaign: Any, member_of: Any, **params: str) -> Any:
    """The team scan as an HR analyst (logged in once per test)."""
    if not getattr(client, "koers_hr", False):
        client.force_login(member_of(Role.HR_ANALYST))
        client.koers_hr = True
    url = reverse("compass_scan", kwargs={"org": "alpha", "pk": campaign.pk})
    return client.get(url, params)


@pytest.mark.django_db
def test_filter_values_are_readable_choices_without_duplicates(
    client: Any, campaign: Any, member_of: Any
) -> None:
    invitations(campaign)
    add_generated(campaign, 30, seed=3, department="R&D", job_category="engineer")
    add_generated(campaign, 30, seed=4, department="Staf", job_category="researcher")
    add_generated(campaign, 30, seed=5, department="Productie")
    page = scan_page(client, campaign, member_of)
    html = page.content.decode()
    assert "<datalist" not in html
    first = re.search(r'<select id="g1".*?</select>', html, re.S)
    assert first is not None
    values = re.findall(r'<option value="([^"]+)"', first.group(0))
    assert len(values) == len(set(values))
    options = page.context["scan"]["options"]
    assert sorted(values) == sorted(f"{n}:{v}" for n, vs in options.items() for v in vs)
    labels = scan_value_labels("nl")
    for name, shown in options.items():
        for value in shown:
            label = labels.get(name, {}).get(value, value)
            assert (
                f'value="{escape(name)}:{escape(value)}">{escape(label)}</option>' in first.group(0)
            )
    assert labels["job_category"]["researcher"] == "Onderzoeker"
    assert labels["function_type"]["technical"] == "Technisch werk"
    assert scan_value_labels("en")["gender"]["woman"] == "Woman"
    assert len(values) >= 3
    shown_department = options["department"][0]
    chosen = scan_page(client, campaign, member_of, g1=f"department:{shown_department}")
    assert chosen.context["scan"]["group"]["n"] == 30
    assert f'value="department:{shown_department}" selected' in chosen.content.decode()


@pytest.mark.django_db
def test_an_unknown_value_says_what_is_wrong_in_dutch_and_english(
    client: Any, campaign: Any, member_of: Any
) -> None:
    invitations(campaign)
    add_generated(campaign, 30, seed=3, department="R&D")
    page = scan_page(client, campaign, member_of, f1="department", v1="Marketing")
    html = page.content.decode()
    assert page.context["scan"]["decision"]["reason"] == "unknown"
    assert "„Marketing” is geen waarde van Afdeling in deze campagne." in html
    assert "Kies een groep uit de lijst." in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = scan_page(client, campaign, member_of, f1="department", v1="Marketing")
    assert "“Marketing” is not a value of Department in this campaign." in english.content.decode()


@pytest.mark.django_db
def test_the_profile_mix_is_a_chart_and_a_merged_profile_is_explained(
    client: Any, campaign: Any, member_of: Any
) -> None:
    invitations(campaign)
    responses = add_generated(campaign, 40, seed=6)
    # A fitted model that does not separate Nerd and Einzelgänger: one profile named both.
    names = [
        {"key": "nerd+einzelganger", "keys": ["nerd", "einzelganger"], "nl": "Nerd & Einzelgänger",
         "en": "Nerd & Einzelgänger", "quality": 0.9, "qualities": [0.9, 0.85]},
        {"key": "allrounder", "keys": ["allrounder"], "nl": "All-rounder", "en": "All-rounder",
         "quality": 0.95, "qualities": [0.95]},
    ]  # fmt: skip
    model = ProfileModel.objects.create(
        organisation=campaign.organisation, campaign=campaign, version=1, n_rows=40,
        facets=["a"], center=[4.0], scale=[1.25], weights=[0.5, 0.5], means=[[0.0], [1.0]],
        covariances=[[[1.0]], [[1.0]]], fits=[], selected_k=2, names=names,
    )  # fmt: skip
    for i, r in enumerate(responses):
        ProfileAssignment.objects.update_or_create(
            response=r,
            defaults={"model": model, "model_label": "fitted-v1", "posteriors": [1.0, 0.0],
                      "names": names, "profile_index": i % 2,
                      "profile_key": names[i % 2]["key"]},
        )  # fmt: skip
    from koers.compass import releases

    releases.make_release(campaign)
    page = scan_page(client, campaign, member_of)
    html = page.content.decode()
    assert 'class="certainty-chart profile-mix"' in html
    rows = {r["key"]: r for r in page.context["scan"]["whole"]["profiles"]}
    assert rows["nerd+einzelganger"]["name"] == "Nerd & Einzelgänger"
    assert rows["nerd+einzelganger"]["percent"] == 50
    assert rows["traditionalist"]["count"] == 0
    assert rows["traditionalist"]["merged"]
    assert not rows["allrounder"]["merged"]
    assert not rows["nerd"]["merged"]  # it is in the model, under both names
    assert "onderscheidt het eigen profielmodel van deze campagne niet" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "statistics"), [(Role.HR_ANALYST, False), (Role.RESEARCHER, True)]
)
def test_hr_gets_the_summary_and_researchers_the_statistics(
    client: Any, campaign: Any, member_of: Any, role: str, statistics: bool
) -> None:
    invitations(campaign)
    add_generated(campaign, 30, seed=8)
    client.force_login(member_of(role))
    page = client.get(reverse("compass_profiles", kwargs={"org": "alpha", "pk": campaign.pk}))
    html = page.content.decode()
    assert "Samenvatting" in html
    assert page.context["statistics"] is statistics
    assert ("Betrouwbaarheid per schaal" in html) is statistics
    assert ("alfa" in html) is statistics

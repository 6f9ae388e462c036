"""Issue 12 (a pure report) and issue 13 point 9 (the respondent's path): finishing with
questions skipped, what the report then says, and the report HR reads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from koers.compass.models import ProfileAssignment, ReportShare, ResponseScores
from koers.compass.report import build_context
from koers.compass.services import assign_profiles, estimate_assignments, profile_facets
from koers.instruments import get_instrument, scoring_key, unscored_scales
from koers.organisations.models import Role
from koers.stats.scales import score_scales
from koers.surveys import services
from tests.compass.conftest import add_generated, finished_respondent
from tests.surveys.conftest import open_link


def test_building_the_report_writes_nothing(campaign: Any) -> None:
    """An old response without stored rows: the report computes them in memory only."""
    started = finished_respondent(campaign)
    stored = ProfileAssignment.objects.get(response=started.response)
    ResponseScores.objects.all().delete()
    ProfileAssignment.objects.all().delete()
    context = build_context(started.response, "nl")
    assert not ResponseScores.objects.exists()
    assert not ProfileAssignment.objects.exists()
    assert context["profile"] is not None
    # the in-memory estimate is what finishing stored
    estimate = estimate_assignments([started.response])[0]
    assert estimate is not None
    assert estimate.pk is None
    assert estimate.posteriors == pytest.approx(stored.posteriors)
    assert estimate.calibrated == pytest.approx(stored.calibrated)


def test_the_report_page_is_a_read_only_get(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    ResponseScores.objects.all().delete()
    ProfileAssignment.objects.all().delete()
    url = reverse("compass_report", kwargs={"slot": open_link(client, started.secret)})
    assert client.get(url).status_code == 200
    assert not ResponseScores.objects.exists()
    assert not ProfileAssignment.objects.exists()
    assign_profiles([started.response])  # the explicit service call stores it
    assert ProfileAssignment.objects.filter(response=started.response).exists()


def test_unscored_scales_follow_the_scoring_rule() -> None:
    """Cross-check against koers.stats.scales on random partial answers."""
    instrument = get_instrument("career_compass")
    rng = np.random.default_rng(5)
    items = [i.id for i in instrument.items if i.type == "scale"]
    for _ in range(20):
        keep = rng.random(len(items)) < rng.uniform(0.05, 0.9)
        answers = {i: int(rng.integers(1, 8)) for i, k in zip(items, keep, strict=True) if k}
        frame = pd.DataFrame([answers], columns=items, dtype=float)
        scored = score_scales(frame, scoring_key(instrument)).iloc[0]
        expected = {s for s, v in scored.items() if pd.isna(v)}
        assert {s.id for s in unscored_scales(instrument, answers)} == expected


def _partial(campaign: Any, answered: list[str]) -> services.Started:
    started = services.start_open_response(campaign, "nl")
    instrument = campaign.instrument()
    for item in answered:
        services.save_answer(started.response, instrument, item, 5, 0)
    return started


def test_before_finishing_the_review_says_what_will_be_missing(client: Any, campaign: Any) -> None:
    instrument = campaign.instrument()
    extraversion = [i.id for i in instrument.scale_items("extraversion")]
    started = _partial(campaign, extraversion)
    slot = open_link(client, started.secret)
    html = client.get(reverse("respond_review", kwargs={"slot": slot})).content.decode()
    assert "Wat er in je rapport zal ontbreken" in html
    n_unscored = len(unscored_scales(instrument, dict.fromkeys(extraversion, 5)))
    assert f"krijg je voor {n_unscored} onderdelen geen score" in html
    assert "Je profiel rust dan op minder onderdelen" in html
    assert "Terug om vragen aan te vullen" in html
    nothing = _partial(campaign, [])
    slot = open_link(client, nothing.secret)
    html = client.get(reverse("respond_review", kwargs={"slot": slot})).content.decode()
    assert "Je rapport krijgt dan ook geen profiel" in html


def test_a_partial_report_has_one_summary_and_the_right_norm_sentence(
    client: Any, campaign: Any
) -> None:
    add_generated(campaign, 30)
    instrument = campaign.instrument()
    extraversion = [i.id for i in instrument.scale_items("extraversion")]
    started = _partial(campaign, extraversion)
    services.finish_response(started.response, started.secret)
    url = reverse("compass_report", kwargs={"slot": open_link(client, started.secret)})
    html = client.get(url).content.decode()
    assert "te weinig antwoorden" not in html
    assert html.count("Wat er in je rapport ontbreekt") == 1
    n_missing = len(unscored_scales(instrument, dict.fromkeys(extraversion, 5)))
    n_facets_and_career = sum(s.kind == "facet" for s in instrument.scales) + 4
    assert f"Voor {n_missing - 1} van de {n_facets_and_career} onderdelen" in html
    model = profile_facets(instrument)
    assert f"Het profiel rust daardoor op 1 van de {len(model)} onderdelen" in html
    # 30 others finished: the sentence says how many, not a wrong "zodra 50 meededen"
    norm = "Vergelijken met anderen kan zodra minstens 104 anderen meededen; nu zijn dat er 30."
    assert norm in html


def test_a_report_with_no_facet_score_says_why_there_is_no_profile(
    client: Any, campaign: Any
) -> None:
    started = _partial(campaign, [])
    services.finish_response(started.response, started.secret)
    url = reverse("compass_report", kwargs={"slot": open_link(client, started.secret)})
    html = client.get(url).content.decode()
    assert "Daarom is er geen profiel" in html
    assert "Je profiel:" not in html
    assert "te weinig antwoorden" not in html


HR_FORBIDDEN = ("Je profiel", "Jouw scores", "jij scoort", "Jij en je loopbaan", "Je voelt je")


def test_hr_reads_the_shared_report_in_the_third_person(
    client: Any, campaign: Any, member_of: Any
) -> None:
    hr = member_of(Role.HR_ANALYST)
    started = finished_respondent(campaign)
    share = ReportShare.objects.create(response=started.response, user=hr)
    client.force_login(hr)
    url = reverse("compass_shared_report", kwargs={"org": "alpha", "pk": share.pk})
    html = client.get(url).content.decode()
    for second_person in HR_FORBIDDEN:
        assert second_person not in html, second_person
    assert "Mensen met het profiel" in html
    assert "De medewerker en de loopbaan" in html
    assert "Suggesties die Koers de medewerker geeft" in html
    context = build_context(started.response, "nl", reader="hr")
    assert all(c["meaning"].startswith("De ") for c in context["career"])


def test_a_profile_matching_two_signatures_is_described_as_both(campaign: Any) -> None:
    """A fitted profile named after two reference profiles ("Nerd & Einzelgänger") gets the
    research's text of each, marked as part of the merged profile, in both languages."""
    from koers.compass.profiles import load_profiles
    from koers.compass.texts import profile_texts

    started = finished_respondent(campaign)
    assignment = ProfileAssignment.objects.get(response=started.response)
    profiles = load_profiles()
    a, b = profiles.keys[0], profiles.keys[1]
    merged = {
        "key": f"{a}+{b}",
        "keys": [a, b],
        "nl": f"{profiles.get(a).name['nl']} & {profiles.get(b).name['nl']}",
        "en": f"{profiles.get(a).name['en']} & {profiles.get(b).name['en']}",
    }
    k = len(assignment.posteriors)
    assignment.names = [merged] + [
        {"key": f"p{i}", "nl": f"P{i}", "en": f"P{i}"} for i in range(1, k)
    ]
    assignment.model_label = "fitted v1"
    assignment.posteriors = [0.97] + [0.03 / (k - 1)] * (k - 1)
    assignment.calibrated = [0.95] + [0.04 / (k - 1)] * (k - 1) + [0.01]
    assignment.profile_index = 0
    assignment.save()
    texts = profile_texts().profiles
    for language in ("nl", "en"):
        described = build_context(started.response, language)["profile"]["described"]
        assert [d["name"] for d in described] == [
            profiles.get(a).name[language],
            profiles.get(b).name[language],
        ]
        assert all(d["part_of"] == merged[language] for d in described)
        assert len(described[0]["typical"]) == len(texts[a].typical)
        assert len(described[1]["typical"]) == len(texts[b].typical)
        assert described[0]["next_steps"]
        assert described[1]["next_steps"]
